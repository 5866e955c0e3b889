"""CLI fixtures: a config file pointing at a simulator, secrets in the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.config import write_sim_config
from tui.sim import Simulator


@pytest.fixture
def sim_config(tmp_path: Path, sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config file for the shared deterministic simulator."""
    return write_sim_config(tmp_path / "sim.toml", sim, monkeypatch)


@pytest.fixture
def fresh_sim_config(tmp_path: Path, fresh_sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config file for a private simulator the test may break or move."""
    return write_sim_config(tmp_path / "fresh.toml", fresh_sim, monkeypatch)
