"""``actiondeck sim --servers N`` and ``--demo-servers N``: a real process on loopback."""

from __future__ import annotations

import selectors
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tui.cli.main import main
from tui.embedded import start_simulator

ACTIONDECK = Path(sys.executable).with_name("actiondeck")
START_TIMEOUT = 30.0
"""Seconds the simulator may take to print its banner (it ends, or the test fails)."""


def first_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The process's first line of output, waiting at most ``timeout`` seconds."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise AssertionError(f"no output within {timeout} s")
    return process.stdout.readline()


@pytest.fixture
def thousand(tmp_path: Path) -> Iterator[dict[str, str]]:
    """``actiondeck sim --servers 1000 --frozen`` running: its OpenStack backend config."""
    config = tmp_path / "sim.toml"
    process = subprocess.Popen(
        [str(ACTIONDECK), "sim", "--servers", "1000", "--frozen", "--write-config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = first_line(process, START_TIMEOUT)
        assert "simulator running" in line, line
        backends = tomllib.loads(config.read_text(encoding="utf-8"))["backends"]
        yield next(b for b in backends if b["type"] == "openstack")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sim_with_1000_servers_starts_and_answers(thousand: dict[str, str]) -> None:
    """The project lists 1,000 live servers in one full page, then an empty one."""
    openstack = thousand
    password = "sim-os-password"  # the simulator's well-known demo password
    auth = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": openstack["username"],
                        "domain": {"name": "Default"},
                        "password": password,
                    }
                },
            },
            "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}},
        }
    }
    with httpx.Client(timeout=30) as client:
        token = client.post(f"{openstack['auth_url']}/auth/tokens", json=auth)
        assert token.status_code == 201, token.text
        compute = next(
            e["url"]
            for service in token.json()["token"]["catalog"]
            if service["type"] == "compute"
            for e in service["endpoints"]
            if e["interface"] == "public"
        )
        headers = {"X-Auth-Token": token.headers["X-Subject-Token"]}
        first = client.get(f"{compute}/servers", headers=headers).json()
        second = client.get(first["servers_links"][0]["href"], headers=headers).json()
    assert len({s["id"] for s in first["servers"]}) == 1000
    assert second == {"servers": []}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sim", "--servers", "0"], "must be a positive integer"),
        (["sim", "--servers", "10001"], "must be at most 10,000"),
        (["--demo-servers", "0"], "--demo-servers must be between 1 and 10,000"),
    ],
)
def test_bad_server_counts_are_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """A server count out of range exits 2 with one clear line, no traceback."""
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.startswith("actiondeck: ") and "Traceback" not in err


def test_demo_simulator_takes_a_server_count() -> None:
    """``--demo-servers N`` starts the embedded simulator with N live servers."""
    sim = start_simulator(seed=1, servers=12)
    try:
        live = [s for s in sim.openstack_api.world.servers if s.deleted_us is None]
    finally:
        sim.stop()
    assert len(live) == 12
