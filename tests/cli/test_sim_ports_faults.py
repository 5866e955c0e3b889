"""``actiondeck sim --port P --fault …`` and its fault switch, as a real process on loopback."""

from __future__ import annotations

import json
import subprocess
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.helpers.cli import ACTIONDECK, LineReader, free_port_triple, run

SIM_ENV = {
    "SIM_SEEWEB_TOKEN": "sim-seeweb-token",
    "SIM_OS_PASSWORD": "sim-os-password",
    "SIM_REDIS_PASSWORD": "sim-redis-password",
}
"""The simulator's well-known demo credentials (they open nothing real)."""


@contextmanager
def simulator(*args: str) -> Iterator[LineReader]:
    """``actiondeck sim --frozen ARGS`` running until the block ends."""
    process = subprocess.Popen(
        [str(ACTIONDECK), "sim", "--frozen", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    reader = LineReader(process)
    try:
        assert "simulator running" in reader.next(30)
        yield reader
    finally:
        process.terminate()
        process.wait(timeout=10)


def urls(config: Path) -> list[str]:
    backends = tomllib.loads(config.read_text(encoding="utf-8"))["backends"]
    return [b.get("url") or b["auth_url"] for b in backends]


def test_port_p_serves_on_p_p1_p2_and_a_restart_keeps_the_config_working(tmp_path: Path) -> None:
    port = free_port_triple()
    config = tmp_path / "sim.toml"
    with simulator("--port", str(port), "--write-config", str(config)):
        first = urls(config)
        assert first == [
            f"http://127.0.0.1:{port}/ecs/v2",
            f"http://127.0.0.1:{port + 1}/identity/v3",
            f"http://127.0.0.1:{port + 2}",
        ]
        assert run("--config", str(config), "list", "--limit", "3", env=SIM_ENV).returncode == 0
    with simulator("--port", str(port)):  # the same ports again, the old config still right
        done = run("--config", str(config), "list", "--json", "--limit", "300", env=SIM_ENV)
        assert done.returncode == 0, done.stderr
        assert {a["backend"] for a in json.loads(done.stdout)} == {"seeweb", "openstack", "redis"}


def test_faults_from_the_command_line_and_switched_live(tmp_path: Path) -> None:
    port = free_port_triple()
    config = tmp_path / "sim.toml"
    with simulator("--port", str(port), "--write-config", str(config), "--fault", "seeweb=503",
                   "--fault", "redis=429:30"):  # fmt: skip
        broken = run("--config", str(config), "list", "--limit", "5", env=SIM_ENV)
        assert broken.returncode == 3
        assert "seeweb" in broken.stderr and "503" in broken.stderr
        assert "redis" in broken.stderr and "429" in broken.stderr
        switch = f"http://127.0.0.1:{port + 2}/__sim/faults"  # any of the three ports
        state = httpx.get(switch, timeout=10).json()
        assert state["seeweb"] == {"status": 503} and state["redis"]["retry_after"] == 30
        answer = httpx.post(switch, content=b"seeweb=ok redis=ok", timeout=10)
        assert answer.status_code == 200 and answer.json() == {
            "seeweb": {}, "openstack": {}, "redis": {},
        }  # fmt: skip
        healthy = run("--config", str(config), "list", "--limit", "5", env=SIM_ENV)
        assert healthy.returncode == 0, healthy.stderr
        slow = httpx.post(switch, content=b"openstack=403,path:/compute/*,times:1", timeout=10)
        assert slow.json()["openstack"] == {"status": 403, "path": "/compute/*", "remaining": 1}
        bad = httpx.post(switch, content=b"seeweb=sideways", timeout=10)
        assert bad.status_code == 400 and "unknown fault 'sideways'" in bad.json()["message"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nova=503", "unknown backend 'nova'"),
        ("seeweb=teapot", "unknown fault 'teapot'"),
        ("seeweb=latency", "latency needs a value"),
        ("seeweb", "expected BACKEND=FAULT"),
    ],
)
def test_a_bad_fault_spec_is_a_usage_error(spec: str, message: str) -> None:
    done = run("sim", "--frozen", "--fault", spec, timeout=30)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
