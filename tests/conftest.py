"""Shared fixtures: an isolated environment and the simulator on loopback.

Both simulators come from :func:`tests.helpers.sim.deterministic_sim` (a fixed
seed and a frozen clock, so every answer is the same from run to run). ``sim``
is shared by the whole session; tests that move the clock or switch on faults
use ``fresh_sim``, their own, so they never disturb others.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers.sim import deterministic_sim
from tui.sim import Simulator

# Property tests check what a function returns, not how fast: a per-example
# deadline only fails them on a loaded machine (speed lives in tests/benchmarks).
settings.register_profile("actiondeck", deadline=None)
settings.load_profile("actiondeck")


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the machine running the tests out of them: no proxies, no real config dirs."""
    for name in list(os.environ):
        upper = name.upper()
        if upper.endswith("_PROXY") or upper.startswith(("OS_", "SSL_", "REQUESTS_CA")):
            monkeypatch.delenv(name, raising=False)
        if upper.startswith("ACTIONDECK_"):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))


@pytest.fixture(scope="session")
def sim() -> Iterator[Simulator]:
    """A shared, deterministic simulator. Do not move its clock or set faults on it."""
    with deterministic_sim() as simulator:
        yield simulator


@pytest.fixture
def fresh_sim() -> Iterator[Simulator]:
    """A private deterministic simulator: move its clock and break it at will."""
    with deterministic_sim() as simulator:
        yield simulator


@pytest.fixture
def tmp_config(tmp_path: Path) -> Path:
    """A path for a test's own config file."""
    return tmp_path / "config.toml"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say in the summary when the end-to-end tests were skipped for want of tmux."""
    if shutil.which("tmux") is None:
        terminalreporter.write_line(
            "end-to-end tests (tests/e2e) skipped: tmux is not installed (apt-get install tmux)",
            yellow=True,
        )
