"""The backend registry: every family in one place, and what the config takes from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from tests.helpers import toy
from tui.backends import REGISTRY, capabilities_of
from tui.backends.spec import DetailKind
from tui.config import ConfigError, parse_config
from tui.connect import build_backend

ROOT = Path(__file__).resolve().parents[2]


def test_the_registry_names_the_three_families_by_their_type() -> None:
    assert list(REGISTRY) == ["seeweb", "openstack", "redis-enterprise"]
    assert all(spec.type == tag for tag, spec in REGISTRY.items())


@pytest.mark.parametrize("tag", list(REGISTRY))
def test_each_settings_model_is_tagged_with_its_type(tag: str) -> None:
    spec = REGISTRY[tag]
    assert spec.schema().model_fields["type"].annotation.__args__ == (tag,)


@pytest.mark.parametrize("tag", list(REGISTRY))
def test_every_secret_field_can_come_from_a_variable_or_a_command(tag: str) -> None:
    fields = REGISTRY[tag].schema().model_fields
    for secret in REGISTRY[tag].secret_fields:
        assert fields[secret].annotation == SecretStr | None
        assert {f"{secret}_env", f"{secret}_command"} <= set(fields)


def test_capabilities_replace_type_checks() -> None:
    assert [capabilities_of(tag).server_search for tag in REGISTRY] == [True, False, False]
    assert [capabilities_of(tag).detail for tag in REGISTRY] == [
        DetailKind.LIFECYCLE,
        DetailKind.EVENTS,
        DetailKind.PENDING,
    ]
    assert capabilities_of("no-such-type").detail is DetailKind.LIFECYCLE


def test_an_unknown_type_is_never_built_as_another() -> None:
    """Settings of a type that is not registered are refused, not built as OpenStack."""
    entry = toy.ToySettings(name="toys", type="toy", url="http://127.0.0.1:9", token_env="T")
    with pytest.raises(ConfigError, match=r"backend 'toys': no backend type 'toy'"):
        build_backend(entry)


def test_the_tag_list_in_messages_comes_from_the_registry(tmp_path: Path) -> None:
    text = '[[backends]]\nname = "toys"\ntype = "toy"\nurl = "http://127.0.0.1:9"\n'
    with pytest.raises(ConfigError) as raised:
        parse_config(text, tmp_path / "c.toml")
    expected = "type must be one of 'seeweb', 'openstack', 'redis-enterprise'"
    assert str(raised.value) == f"{tmp_path / 'c.toml'}:3: backends[0].type: {expected}"
    with toy.registered(), pytest.raises(ConfigError, match=r"'redis-enterprise', 'toy'$"):
        parse_config('[[backends]]\nname = "x"\ntype = "nope"\n', tmp_path / "c.toml")


def test_a_seeweb_only_config_loads_no_openstack_library(tmp_path: Path) -> None:
    """The families import their implementation only when built: no keystoneauth1 here."""
    config = tmp_path / "c.toml"
    config.write_text(
        '[[backends]]\nname = "s"\ntype = "seeweb"\ntoken_env = "TOK"\n', encoding="utf-8"
    )
    code = (
        "import os, sys\n"
        "os.environ['TOK'] = 'secret'\n"
        "from tui.config import load_config\n"
        "from tui.connect import build_backends\n"
        f"backends = build_backends(load_config({str(config)!r}).config)\n"
        "assert type(backends[0]).__name__ == 'SeewebBackend'\n"
        "heavy = ('keystoneauth1', 'openstack', 'tui.backends.openstack.backend')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"
