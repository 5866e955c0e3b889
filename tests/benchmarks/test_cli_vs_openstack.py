"""``actiondeck list`` / ``show`` against ``openstack server event list`` / ``show``.

Both programs run as whole processes, alternately, against one simulated
OpenStack project with one server (Keystone v3 and Nova on loopback); the
figures are medians of :data:`ROUNDS` runs each, and the ratios compare them
within the same run (the machine is shared, so only ratios mean much). Each
command's requests are counted by the simulator, per path family.

The ``openstack`` executable comes from ``ACTIONDECK_OPENSTACK_CLI`` or
``PATH``, as for ``tests/e2e/test_openstack_cli.py``; the benchmark skips
without one. Run with::

    ACTIONDECK_OPENSTACK_CLI=.venv-osc/bin/openstack \\
        .venv/bin/pytest -m benchmark -s tests/benchmarks/test_cli_vs_openstack.py
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers.config import nova_toml
from tui.sim import Simulator

CLI_ENV = "ACTIONDECK_OPENSTACK_CLI"
ROUNDS = 7
"""Runs of each command; they alternate, so both see the same machine load."""
TIMEOUT = 60.0
"""Seconds one command may take."""


def _openstack_cli() -> str | None:
    named = os.environ.get(CLI_ENV)
    if named:
        return named if os.path.isfile(named) and os.access(named, os.X_OK) else None
    return shutil.which("openstack")


OPENSTACK = _openstack_cli()
"""Resolved at import: the autouse fixture that isolates tests clears ``ACTIONDECK_*``."""
_SCRIPT = Path(sys.executable).with_name("actiondeck")
ACTIONDECK = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "tui"]
"""The entry point installed beside this interpreter, else ``python -m tui``."""


@dataclass
class Command:
    """One command line, its environment, and what its runs cost."""

    label: str
    argv: list[str]
    env: dict[str, str]
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """User + system CPU seconds of each run (steadier than wall time on a busy machine)."""
    requests: dict[str, int] = field(default_factory=dict)


@pytest.fixture(scope="module")
def cloud() -> Iterator[Simulator]:
    """A simulator whose OpenStack project holds one server (real clock, like ``sim``)."""
    if OPENSTACK is None:
        pytest.skip(f"no openstack CLI: set {CLI_ENV} or put python-openstackclient on PATH")
    with Simulator(seed=1, servers=1) as simulator:
        yield simulator


def _base_env(home: Path) -> dict[str, str]:
    """A clean environment: an empty home, no ``OS_*`` or ``ACTIONDECK_*`` of the caller."""
    keep = ("PATH", "LANG", "LC_ALL", "TERM")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    env.update(XDG_DATA_HOME=str(home / ".data"), XDG_CACHE_HOME=str(home / ".cache"))
    return env


def _openstack_env(cloud: Simulator, home: Path) -> dict[str, str]:
    creds = cloud.credentials
    env = _base_env(home)
    env.update(
        OS_AUTH_URL=cloud.auth_url,
        OS_USERNAME=creds.os_username,
        OS_PASSWORD=creds.os_password,
        OS_PROJECT_NAME=creds.os_project,
        OS_USER_DOMAIN_NAME=creds.os_domain,
        OS_PROJECT_DOMAIN_NAME=creds.os_domain,
        OS_IDENTITY_API_VERSION="3",
    )
    return env


def _actiondeck_env(cloud: Simulator, home: Path) -> dict[str, str]:
    creds = cloud.credentials
    config = home / "openstack.toml"
    config.write_text(
        nova_toml(cloud, "SIM_OS_PASSWORD"),
        encoding="utf-8",
    )
    env = _base_env(home)
    env.update(SIM_OS_PASSWORD=creds.os_password, ACTIONDECK_CONFIG=str(config))
    return env


def _run(cloud: Simulator, command: Command) -> str:
    """One run of ``command``: its wall time and request counts are recorded."""
    cloud.reset_counts()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command.argv, env=command.env, capture_output=True, text=True, timeout=TIMEOUT
    )
    command.seconds.append(time.perf_counter() - started)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    command.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    assert done.returncode == 0, f"{command.label}: {done.stderr.strip()[-500:]}"
    command.requests = {
        f"{api} {family}": count
        for api, families in cloud.requests_by_family().items()
        for family, count in families.items()
        if count
    }
    return done.stdout


def _alternate(cloud: Simulator, ours: Command, theirs: Command) -> tuple[float, float]:
    """Run both :data:`ROUNDS` times, alternately; print the figures.

    Returns:
        The ratios (theirs / ours) of the median wall times and of the median CPU times.
    """
    for _ in range(ROUNDS):
        _run(cloud, ours)
        _run(cloud, theirs)
    for command in (ours, theirs):
        wall, cpu = statistics.median(command.seconds), statistics.median(command.cpu)
        print(f"\nBENCH {command.label}: median {wall * 1000:.0f} ms wall", end="")
        print(
            f" (min {min(command.seconds) * 1000:.0f}, max {max(command.seconds) * 1000:.0f}),",
            end="",
        )
        print(f" {cpu * 1000:.0f} ms CPU")
        for family, count in sorted(command.requests.items()):
            print(f"      {count:3d} × {family}")
        print(f"      {sum(command.requests.values())} requests in all")
    wall_ratio = statistics.median(theirs.seconds) / statistics.median(ours.seconds)
    cpu_ratio = statistics.median(theirs.cpu) / statistics.median(ours.cpu)
    print(f"BENCH {theirs.label!r} / {ours.label!r}: {wall_ratio:.2f}× wall, {cpu_ratio:.2f}× CPU")
    return wall_ratio, cpu_ratio


def test_list_and_show_against_the_openstack_cli(cloud: Simulator, tmp_path: Path) -> None:
    assert OPENSTACK is not None
    ours_env = _actiondeck_env(cloud, tmp_path)
    theirs_env = _openstack_env(cloud, tmp_path)
    listing = Command("actiondeck list --json", [*ACTIONDECK, "list", "--json"], ours_env)
    actions = json.loads(_run(cloud, listing))
    listing.seconds.clear()  # the first run compiles bytecode: not a figure
    listing.cpu.clear()
    server_id, request_id = actions[0]["id"].split("/")
    events = Command(
        "openstack server event list SERVER",
        [OPENSTACK, "server", "event", "list", server_id, "-f", "json"],
        theirs_env,
    )
    _run(cloud, events)
    events.seconds.clear()
    events.cpu.clear()
    list_ratios = _alternate(cloud, listing, events)

    ref = actions[0]["ref"]
    show = Command("actiondeck show REF --json", [*ACTIONDECK, "show", ref, "--json"], ours_env)
    event = Command(
        "openstack server event show SERVER REQ",
        [OPENSTACK, "server", "event", "show", server_id, request_id, "-f", "json"],
        theirs_env,
    )
    show_ratios = _alternate(cloud, show, event)
    print(
        f"BENCH list {list_ratios[0]:.2f}× wall ({list_ratios[1]:.2f}× CPU), "
        f"show {show_ratios[0]:.2f}× wall ({show_ratios[1]:.2f}× CPU) faster than openstack"
    )
    assert min(*list_ratios, *show_ratios) > 0
