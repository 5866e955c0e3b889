"""The demo's config is made directly, and is exactly what validating it gives.

:func:`tui.embedded.simulator_config` makes the plain settings classes
directly, without the config file's schema, so that the console's start on
the demo never imports pydantic: these tests hold that nothing is lost by it,
that each plain class names the keys and defaults of its schema, and that
nothing of pydantic is loaded.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from tui.backends import REGISTRY
from tui.backends.openstack import credentials
from tui.backends.openstack import schema as openstack_schema
from tui.backends.seeweb import SeewebSettings
from tui.backends.settings import Secret
from tui.backends.settings_schema import Strict, to_plain
from tui.config import Config, RefreshConfig, schema
from tui.config.loading import StuckConfig
from tui.config.schema import validate_config
from tui.embedded import DEMO_STUCK, simulator_config
from tui.sim.child import Endpoints
from tui.sim.credentials import SimCredentials

ROOT = Path(__file__).resolve().parents[2]


def _values(items: list[tuple[str, Any]]) -> dict[str, Any]:
    return {key: v.get_secret_value() if isinstance(v, Secret) else v for key, v in items}


def _validated(config: Config) -> Config:
    """``config`` validated by the config file's schema from its values, as a file says them."""
    return validate_config(dataclasses.asdict(config, dict_factory=_values))


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


def _default(field: Any) -> Any:
    """A field's default, made from its factory when it has one (pydantic's or a dataclass's)."""
    factory = field.default_factory
    if factory not in (None, dataclasses.MISSING):
        return factory()
    return field.default


def _schema_pairs() -> list[tuple[type[BaseModel], type[Any]]]:
    tables: list[type[Strict]] = [schema.RefreshConfig, schema.SavedSearch, schema.UiConfig]
    tables += [schema.StuckConfig, schema.HistoryConfig, schema.Config]
    pairs: list[tuple[type[BaseModel], type[Any]]] = [(model, model.PLAIN) for model in tables]
    pairs += [(REGISTRY[tag].schema(), REGISTRY[tag].settings) for tag in REGISTRY]
    groups: list[tuple[type[BaseModel], type[Any]]] = [
        (openstack_schema.UserOptions, credentials.UserOptions),
        (openstack_schema.ProjectOptions, credentials.ProjectOptions),
        (openstack_schema.AppCredentialOptions, credentials.AppCredentialOptions),
        (openstack_schema.CatalogOptions, credentials.CatalogOptions),
    ]
    return [*pairs, *groups]


@pytest.mark.parametrize(("model", "plain"), _schema_pairs(), ids=lambda t: t.__qualname__)
def test_each_plain_class_has_its_schemas_keys_and_defaults(
    model: type[BaseModel], plain: type[Any]
) -> None:
    """What the demo makes directly has every key of the file's schema, with its default."""
    held = {field.name: field for field in dataclasses.fields(plain)}
    assert set(held) == set(model.model_fields)
    for name, field in model.model_fields.items():
        if field.is_required():
            continue
        assert _default(held[name]) == to_plain(_default(field)), name


def test_the_demo_console_starts_without_pydantic() -> None:
    """The demo's config, its backends and the console app are made without loading pydantic.

    A config file still loads it, to validate the file (the last check).
    """
    code = (
        "import json, sys\n"
        "from tui.console.app import ActionDeckApp\n"
        "from tui.embedded import DEMO_STUCK, simulator_config\n"
        "from tui.sim.child import Endpoints\n"
        "from tui.sim.credentials import SimCredentials\n"
        "e = Endpoints('http://127.0.0.1:1', 'http://127.0.0.1:2/v3', 'http://127.0.0.1:3',"
        " SimCredentials(*'abcdefghi'))\n"
        "app = ActionDeckApp(simulator_config(e, stuck=DEMO_STUCK), simulator=e, preload=True)\n"
        "before = sorted(m for m in sys.modules if m.split('.')[0].startswith('pydantic'))\n"
        "from tui.config import parse_config\n"
        "from pathlib import Path\n"
        "parse_config('[ui]\\nbell = true\\n', Path('c.toml'))\n"
        "print(json.dumps({'backends': len(app.backends), 'before': before,"
        " 'after': 'pydantic' in sys.modules}))\n"
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
    assert json.loads(done.stdout) == {"backends": 3, "before": [], "after": True}
