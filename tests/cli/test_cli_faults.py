"""The installed CLI against a hostile server posing as each backend type.

Each case runs ``python -m tui`` in a fresh process (through a tiny wrapper
that reports the child's peak RSS) with one backend pointing at a
:class:`~tests.helpers.hostile.HostileServer` that proxies the shared
simulator except where a fault is scripted. For every case: exit code 3
(never 70), exactly one ``actiondeck:`` line on stderr and no traceback, the
deadline (``list``/``show``: backend timeout + 2 s; ``wait --timeout S``:
S + 1 s), peak memory under 300 MB, and no secret in the output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.hostile import (
    HostileServer,
    drip_body,
    drip_headers,
    gzip_bomb,
    hang,
    huge,
    raw,
    redirect,
    reset,
)
from tui.sim import Simulator

TIMEOUT = 2.0
"""The ``timeout`` of the backend under test (seconds)."""
WAIT_TIMEOUT = 2.0
SLACK = 1.5
"""Scheduling slack on a loaded machine (process start-up alone can take seconds there).

The promised bound is what each case is measured against and reported; the
assertion allows this much more so that the suite proves "it ends" without
flaking when other work shares the cores.
"""
RELAXED_TIMEOUT = 5.0
"""The backend timeout of cases that are not about deadlines."""
MAX_RSS_KB = 300 * 1024
WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(code)\n"
)


@dataclass(frozen=True)
class Target:
    """Where a backend type's requests go, and how to name one of its actions."""

    kind: str
    pattern: str
    """The paths a fault applies to."""
    method: str | None = None


SEEWEB = Target("seeweb", r"^/ecs/v2/")
REDIS = Target("redis", r"^/v[12]/")
KEYSTONE = Target("keystone", r"^/identity/v3/auth/tokens", "POST")
NOVA = Target("nova", r"^/compute/")
TARGETS = [SEEWEB, REDIS, KEYSTONE, NOVA]
REFS = {
    "seeweb": "edge:1",
    "redis": "edge:1",
    "keystone": "edge:server-1/req-1",
    "nova": "edge:server-1/req-1",
}

Fault = Callable[[HostileServer], object]


def _redirect(status: int) -> Fault:
    return lambda elsewhere: redirect(f"{elsewhere.url}/stolen?where=here", status)


FAULTS: dict[str, Fault] = {
    "hang": lambda _: hang(),
    "drip-body": lambda _: drip_body(interval=1.0),
    "drip-headers": lambda _: drip_headers(interval=1.0),
    "gzip-bomb": lambda _: gzip_bomb(),
    "50MB": lambda _: huge(50 * 1024 * 1024, declared=False),
    "2GB": lambda _: huge(2 * 1024**3, declared=False),
    "302": _redirect(302),
    "307": _redirect(307),
    "reset": lambda _: reset(),
}
SLOW = {"hang", "drip-body", "drip-headers"}


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_kb: int


@pytest.fixture
def elsewhere() -> Iterator[HostileServer]:
    """Another origin: redirects point here; it must never see a request."""
    with HostileServer() as server:
        yield server


@pytest.fixture
def hostile(sim: Simulator, request: pytest.FixtureRequest) -> Iterator[HostileServer]:
    """A hostile server proxying the simulator's API of the target under test."""
    kind = request.param
    upstream = {
        "seeweb": sim.seeweb.url,
        "redis": sim.redis_url,
        "keystone": sim.openstack.url,
        "nova": sim.openstack.url,
    }[kind]
    with HostileServer(upstream) as server:
        yield server


def _config(
    tmp_path: Path,
    kind: str,
    server: HostileServer,
    sim: Simulator,
    timeout: float = TIMEOUT,
    identity: str = "/identity/v3",
) -> Path:
    creds = sim.credentials
    if kind == "seeweb":
        entry = f'type = "seeweb"\nurl = "{server.url}/ecs/v2"\ntoken_env = "SIM_SEEWEB_TOKEN"'
    elif kind == "redis":
        entry = (
            f'type = "redis-enterprise"\nurl = "{server.url}"\n'
            f'username = "{creds.redis_username}"\npassword_env = "SIM_REDIS_PASSWORD"'
        )
    else:
        entry = (
            f'type = "openstack"\nauth_url = "{server.url}{identity}"\n'
            f'username = "{creds.os_username}"\npassword_env = "SIM_OS_PASSWORD"\n'
            f'project_name = "{creds.os_project}"\nuser_domain_name = "{creds.os_domain}"\n'
            f'project_domain_name = "{creds.os_domain}"'
        )
    path = tmp_path / "hostile.toml"
    path.write_text(f'[[backends]]\nname = "edge"\n{entry}\ntimeout = {timeout}\n', "utf-8")
    return path


def _secrets(sim: Simulator) -> list[str]:
    creds = sim.credentials
    return [creds.seeweb_token, creds.os_password, creds.redis_password]


def run_cli(tmp_path: Path, sim: Simulator, *args: str) -> Run:
    """Run ``python -m tui ARGS`` in a fresh process; time it and read its peak RSS."""
    creds = sim.credentials
    env = {
        **os.environ,
        "SIM_SEEWEB_TOKEN": creds.seeweb_token,
        "SIM_OS_PASSWORD": creds.os_password,
        "SIM_REDIS_PASSWORD": creds.redis_password,
    }
    peak_file = tmp_path / "peak"
    command = [sys.executable, "-c", WRAPPER, str(peak_file), sys.executable, "-m", "tui", *args]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    seconds = time.monotonic() - started
    return Run(done.returncode, done.stdout, done.stderr, seconds, int(peak_file.read_text()))


def assert_one_clean_error(run: Run, sim: Simulator, *, bound: float) -> str:
    assert run.code == 3, (run.code, run.err)
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("actiondeck: edge: "), run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert run.seconds <= bound + SLACK, f"{run.seconds:.2f}s > {bound}s + {SLACK}s: {run.err}"
    assert run.peak_kb <= MAX_RSS_KB, f"peak RSS {run.peak_kb} kB"
    for secret in _secrets(sim):
        assert secret not in run.out and secret not in run.err
    _record(run, bound)
    return lines[0]


def _record(run: Run, bound: float) -> None:
    """Keep the figures the suite measures (read by whoever reports on it)."""
    report = os.environ.get("CLI_FAULT_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as sink:
            case = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
            figures = {"case": case, "over": run.seconds - bound, "peak_kb": run.peak_kb}
            sink.write(json.dumps(figures) + "\n")


def _script(server: HostileServer, target: Target, behaviour: object) -> None:
    server.script(target.pattern, behaviour, method=target.method)  # type: ignore[arg-type]


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("hostile", [t.kind for t in TARGETS], indirect=True)
def test_list_survives_each_transport_fault(
    hostile: HostileServer,
    elsewhere: HostileServer,
    sim: Simulator,
    tmp_path: Path,
    fault: str,
    request: pytest.FixtureRequest,
) -> None:
    target = next(t for t in TARGETS if t.kind == request.node.callspec.params["hostile"])
    _script(hostile, target, FAULTS[fault](elsewhere))
    config = _config(tmp_path, target.kind, hostile, sim)
    run = run_cli(tmp_path, sim, "list", "--config", str(config))
    line = assert_one_clean_error(run, sim, bound=TIMEOUT + 2)
    if fault in ("302", "307"):
        assert f"to {elsewhere.url}; not followed" in line
        assert "stolen" not in line and "where=here" not in line
        assert not elsewhere.seen, "a request followed the redirect to another origin"
    if fault in SLOW:
        assert "timed out" in line


@pytest.mark.parametrize("fault", ["hang", "drip-body"])
@pytest.mark.parametrize("hostile", [t.kind for t in TARGETS], indirect=True)
def test_wait_ends_at_its_deadline(
    hostile: HostileServer,
    sim: Simulator,
    tmp_path: Path,
    fault: str,
    request: pytest.FixtureRequest,
) -> None:
    kind = request.node.callspec.params["hostile"]
    target = next(t for t in TARGETS if t.kind == kind)
    _script(hostile, target, FAULTS[fault](hostile))
    config = _config(tmp_path, kind, hostile, sim)
    wait = ("wait", REFS[kind], "--timeout", str(WAIT_TIMEOUT), "--interval", "0.2")
    run = run_cli(tmp_path, sim, *wait, "--config", str(config))
    line = assert_one_clean_error(run, sim, bound=WAIT_TIMEOUT + 1)
    assert f"gave up after {WAIT_TIMEOUT:g}s" in line


@pytest.mark.parametrize("hostile", [t.kind for t in TARGETS], indirect=True)
def test_show_ends_within_the_timeout_under_a_drip(
    hostile: HostileServer, sim: Simulator, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    kind = request.node.callspec.params["hostile"]
    target = next(t for t in TARGETS if t.kind == kind)
    _script(hostile, target, drip_headers())
    config = _config(tmp_path, kind, hostile, sim)
    run = run_cli(tmp_path, sim, "show", REFS[kind], "--config", str(config))
    assert "timed out" in assert_one_clean_error(run, sim, bound=TIMEOUT + 2)


@pytest.mark.parametrize("hostile", ["keystone"], indirect=True)
def test_keystone_discovery_401_is_an_auth_error_not_a_hang(
    hostile: HostileServer, sim: Simulator, tmp_path: Path
) -> None:
    refusal = raw(401, json.dumps({"error": {"code": 401, "message": "no discovery for you"}}))
    # Discovery happens for an unversioned URL (a v3 URL is used as given).
    hostile.script(r"^/identity/?$", refusal, method="GET")
    config = _config(tmp_path, "keystone", hostile, sim, RELAXED_TIMEOUT, identity="/identity")
    run = run_cli(tmp_path, sim, "list", "--config", str(config))
    line = assert_one_clean_error(run, sim, bound=RELAXED_TIMEOUT + 2)
    assert "refused GET /identity " in line and "HTTP 401" in line


def _token(url: str, **changes: object) -> str:
    """A Keystone v3 token body whose catalog sends compute to ``url``, with ``changes``."""
    endpoint = {
        "id": "e",
        "interface": "public",
        "region": "RegionOne",
        "url": f"{url}/compute/v2.1",
    }
    endpoint["region_id"] = "RegionOne"
    domain = {"id": "default", "name": "Default"}
    token: dict[str, object] = {
        "methods": ["password"],
        "expires_at": "2099-01-01T00:00:00.000000Z",
        "issued_at": "2026-01-01T00:00:00.000000Z",
        "user": {"id": "u", "name": "demo", "domain": domain},
        "project": {"id": "p", "name": "demo", "domain": domain},
        "catalog": [{"id": "c", "type": "compute", "name": "nova", "endpoints": [endpoint]}],
    }
    token.update(changes)
    return json.dumps({"token": {k: v for k, v in token.items() if v is not None}})


MALFORMED_TOKENS: dict[str, Callable[[str], str]] = {
    "no expires_at": lambda url: _token(url, expires_at=None),
    "null body": lambda _: "null",
    "string body": lambda _: '"a token, they said"',
    "catalog not a list": lambda url: _token(url, catalog={"compute": url}),
    "catalog entries of the wrong shape": lambda url: _token(url, catalog=[{"endpoints": 7}]),
    "huge number for a date": lambda url: _token(url, expires_at=10**400),
    "NaN for a date": lambda url: _token(url, issued_at=float("nan")),
    "not JSON": lambda _: "<html>oops</html>",
}


@pytest.mark.parametrize("body", list(MALFORMED_TOKENS))
@pytest.mark.parametrize("hostile", ["keystone"], indirect=True)
def test_malformed_keystone_token_is_a_typed_error(
    hostile: HostileServer, sim: Simulator, tmp_path: Path, body: str
) -> None:
    token = MALFORMED_TOKENS[body](hostile.url)
    answer = raw(201, token, {"X-Subject-Token": "gAAAA-hostile-token"})
    hostile.script(KEYSTONE.pattern, answer, method="POST")
    config = _config(tmp_path, "keystone", hostile, sim, RELAXED_TIMEOUT)
    run = run_cli(tmp_path, sim, "show", REFS["keystone"], "--config", str(config))
    line = assert_one_clean_error(run, sim, bound=RELAXED_TIMEOUT + 2)
    assert "identity service" in line or "compute endpoint" in line
    assert "unexpected" not in line
    assert "gAAAA-hostile-token" not in run.err
