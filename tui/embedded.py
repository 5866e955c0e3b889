"""The embedded default: start the simulator and describe it as a config.

Used when there is no config file, by ``actiondeck sim`` (which prints the
config for other tools) and by ``--demo-actions N`` / ``--demo-servers N``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.backends.openstack import OpenStackSettings
from tui.backends.redis_enterprise import RedisEnterpriseSettings
from tui.backends.seeweb import SeewebSettings
from tui.backends.settings import Secret
from tui.config import Config, HistoryConfig, RefreshConfig, UiConfig
from tui.config.loading import StuckConfig

if TYPE_CHECKING:
    from tui.sim import Clock, Simulator
    from tui.sim.child import Endpoints

SIM_BACKEND_NAMES = ("seeweb", "openstack", "redis")
"""The backend names the embedded simulator is monitored under."""

DEMO_STUCK = StuckConfig(heartbeat_minutes=1.0)
"""The demo console's stuck rule: the simulator's Redis stalls show within a minute
(a real cluster's default is 5 minutes)."""

DEMO_PAGE_SIZE = 1000
"""Seeweb page length for ``--demo-actions``: the most a config may ask (the real
API's), so a preload window of 2,000 takes two requests; the first poll still
reads one short page (the backend's ``FIRST_POLL_MAX``) before the first rows."""


def simulator_config(
    sim: Simulator | Endpoints,
    *,
    refresh: RefreshConfig | None = None,
    ui: UiConfig | None = None,
    stuck: StuckConfig | None = None,
    seeweb_page_size: int = 50,
) -> Config:
    """An in-memory config that monitors a running simulator (here or in a child process).

    The simulator's demo credentials are passed inline; they open nothing real.
    The settings are made directly, without the config file's schema: the values
    are the simulator's own and valid, and validating them would import pydantic
    and build every schema before the console's first rows;
    tests/unit/test_embedded_config.py holds that validation would give the same
    config.
    ``seeweb_page_size`` is raised for ``--demo-actions`` so that loading
    100,000 actions takes a few hundred requests, not thousands.
    """
    creds = sim.credentials
    seeweb, openstack, redis = SIM_BACKEND_NAMES
    return Config(
        backends=[
            SeewebSettings(
                name=seeweb,
                type="seeweb",
                url=sim.seeweb_url,
                token=Secret(creds.seeweb_token),
                page_size=seeweb_page_size,
            ),
            OpenStackSettings(
                name=openstack,
                type="openstack",
                auth_url=sim.auth_url,
                username=creds.os_username,
                password=Secret(creds.os_password),
                project_name=creds.os_project,
                user_domain_name=creds.os_domain,
                project_domain_name=creds.os_domain,
            ),
            RedisEnterpriseSettings(
                name=redis,
                type="redis-enterprise",
                url=sim.redis_url,
                username=creds.redis_username,
                password=Secret(creds.redis_password),
            ),
        ],
        refresh=refresh or RefreshConfig(),
        ui=ui or UiConfig(),
        stuck=stuck or StuckConfig(),
        history=HistoryConfig(),
    )


def start_simulator(
    *,
    actions: int | None = None,
    seed: int | None = None,
    clock: Clock | None = None,
    servers: int | None = None,
) -> Simulator:
    """Start a simulator on loopback (random seed unless given; ``servers`` OpenStack servers)."""
    import random

    from tui.sim import Simulator

    chosen_seed = seed if seed is not None else random.randrange(1 << 30)
    return Simulator(seed=chosen_seed, actions=actions, clock=clock, servers=servers).start()


def config_toml(sim: Simulator) -> str:
    """A ready-to-use config file for a running simulator (secrets via environment)."""
    creds = sim.credentials
    return f"""\
# ActionDeck config for the simulator (export the variables below first)
[[backends]]
name = "seeweb"
type = "seeweb"
url = "{sim.seeweb_url}"
token_env = "SIM_SEEWEB_TOKEN"

[[backends]]
name = "openstack"
type = "openstack"
auth_url = "{sim.auth_url}"
username = "{creds.os_username}"
password_env = "SIM_OS_PASSWORD"
project_name = "{creds.os_project}"
user_domain_name = "{creds.os_domain}"
project_domain_name = "{creds.os_domain}"

[[backends]]
name = "redis"
type = "redis-enterprise"
url = "{sim.redis_url}"
username = "{creds.redis_username}"
password_env = "SIM_REDIS_PASSWORD"
"""


def environment_exports(sim: Simulator) -> str:
    """Shell lines exporting the simulator's demo credentials."""
    creds = sim.credentials
    return "\n".join(
        [
            f"export SIM_SEEWEB_TOKEN={creds.seeweb_token}",
            f"export SIM_OS_PASSWORD={creds.os_password}",
            f"export SIM_REDIS_PASSWORD={creds.redis_password}",
        ]
    )
