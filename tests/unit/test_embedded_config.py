"""The demo's config is made without validation, and is exactly what validation would make.

:func:`tui.embedded.simulator_config` builds its models with ``model_construct``
so that the console's start builds no settings validator (the models defer
building it to their first validation): these tests hold that nothing is lost
by it, and that nothing is built.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tui.backends.seeweb import SeewebSettings
from tui.config import Config, RefreshConfig
from tui.config.loading import StuckConfig
from tui.embedded import DEMO_STUCK, simulator_config
from tui.sim.child import Endpoints
from tui.sim.credentials import SimCredentials

ROOT = Path(__file__).resolve().parents[2]


def _validated(config: Config) -> Config:
    """``config`` validated from its values (each backend dumped by its own model)."""
    values = config.model_dump(exclude={"backends"})
    return Config.model_validate({**values, "backends": [b.model_dump() for b in config.backends]})


ENDPOINTS = Endpoints(
    seeweb_url="http://127.0.0.1:8001/ecs/v2",
    auth_url="http://127.0.0.1:8002/identity/v3",
    redis_url="http://127.0.0.1:8003",
    credentials=SimCredentials(*(f"demo-{n}" for n in range(9))),
)


def test_the_demo_config_is_what_validating_it_gives() -> None:
    config = simulator_config(ENDPOINTS, stuck=DEMO_STUCK, seeweb_page_size=1000)
    validated = _validated(config)
    assert validated == config
    assert [type(b) for b in validated.backends] == [type(b) for b in config.backends]
    seeweb = config.backends[0]
    assert isinstance(seeweb, SeewebSettings)
    assert seeweb.page_size == 1000 and seeweb.timeout == 15.0
    assert config.backends[1].tls_verify() is True


def test_the_demo_defaults_are_the_validated_defaults() -> None:
    assert StuckConfig(heartbeat_minutes=1.0) == DEMO_STUCK
    config = simulator_config(ENDPOINTS)
    assert config.refresh == RefreshConfig() and config.stuck == StuckConfig()
    assert _validated(config) == config


def test_making_the_demo_config_builds_no_validator() -> None:
    code = (
        "import json\n"
        "from tui.embedded import simulator_config\n"
        "from tui.sim.child import Endpoints\n"
        "from tui.sim.credentials import SimCredentials\n"
        "e = Endpoints('http://127.0.0.1:1', 'http://127.0.0.1:2/v3', 'http://127.0.0.1:3',"
        " SimCredentials(*'abcdefghi'))\n"
        "config = simulator_config(e)\n"
        "models = [type(config), type(config.ui), *(type(b) for b in config.backends)]\n"
        "print(json.dumps([m.__pydantic_complete__ for m in models]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=dict(os.environ),
        timeout=60,
    )
    assert json.loads(done.stdout) == [False] * 5
