"""CLI fixtures: a config file pointing at the shared simulator, secrets in the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.embedded import config_toml
from tui.sim import Simulator


def write_sim_config(path: Path, sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write the simulator's ready config and export its demo credentials."""
    creds = sim.credentials
    monkeypatch.setenv("SIM_SEEWEB_TOKEN", creds.seeweb_token)
    monkeypatch.setenv("SIM_OS_PASSWORD", creds.os_password)
    monkeypatch.setenv("SIM_REDIS_PASSWORD", creds.redis_password)
    path.write_text(config_toml(sim), encoding="utf-8")
    return path


@pytest.fixture
def sim_config(tmp_path: Path, sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config file for the shared deterministic simulator."""
    return write_sim_config(tmp_path / "sim.toml", sim, monkeypatch)


@pytest.fixture
def fresh_sim_config(tmp_path: Path, fresh_sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config file for a private simulator the test may break or move."""
    return write_sim_config(tmp_path / "fresh.toml", fresh_sim, monkeypatch)
