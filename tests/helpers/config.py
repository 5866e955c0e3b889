"""Config files for the command-line tests."""

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


def nova_toml(sim: Simulator, password_env: str) -> str:
    """A config with one backend: the simulator's OpenStack, its password in ``password_env``."""
    creds = sim.credentials
    return f"""\
[[backends]]
name = "nova"
type = "openstack"
auth_url = "{sim.auth_url}"
username = "{creds.os_username}"
password_env = "{password_env}"
project_name = "{creds.os_project}"
user_domain_name = "{creds.os_domain}"
project_domain_name = "{creds.os_domain}"
"""
