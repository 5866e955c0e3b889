"""The config file: validation errors name the file, line and key; secrets resolve safely."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tui.config import (
    ConfigError,
    OpenStackConfig,
    RedisEnterpriseConfig,
    SeewebConfig,
    load_config,
    parse_config,
    resolve_secret,
)

GOOD = """
[[backends]]
name = "seeweb"
type = "seeweb"
token_env = "SEEWEB_TOKEN"

[[backends]]
name = "huawei"
type = "openstack"
cloud = "huawei-eu"
servers = ["web-01"]

[[backends]]
name = "cache"
type = "redis-enterprise"
url = "https://cluster.example.com:9443"
username = "ops@example.com"
password_env = "RE_PASSWORD"
ca_cert = "/etc/ssl/cluster-ca.pem"

[refresh]
busy_interval = 1.5

[ui]
theme = "actiondeck-light"
"""


def test_the_documented_shape_loads(tmp_config: Path) -> None:
    tmp_config.write_text(GOOD)
    loaded = load_config(tmp_config)
    assert loaded is not None and loaded.path == tmp_config and not loaded.warnings
    seeweb, huawei, cache = loaded.config.backends
    assert isinstance(seeweb, SeewebConfig) and seeweb.url == "https://api.seeweb.it/ecs/v2"
    assert isinstance(huawei, OpenStackConfig) and huawei.servers == ["web-01"]
    assert isinstance(cache, RedisEnterpriseConfig)
    assert cache.tls_verify() == "/etc/ssl/cluster-ca.pem"
    assert loaded.config.refresh.busy_interval == 1.5
    assert loaded.config.ui.theme == "actiondeck-light"


def test_no_config_means_the_simulator_but_a_named_missing_file_is_an_error(tmp_path: Path) -> None:
    assert load_config(None) is None
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "missing.toml")


def test_env_variable_names_the_config(tmp_config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_config.write_text(GOOD)
    monkeypatch.setenv("ACTIONDECK_CONFIG", str(tmp_config))
    assert load_config(None) is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[backends]]\nname = "x"\ntype = "sewb"\n',
            "c.toml:3: backends[0].type: type must be one of",
        ),
        (
            '[[backends]]\nname = "x"\ntype = "seeweb"\ntokn_env = "A"\n',
            "c.toml:4: backends[0].tokn_env: unknown key",
        ),
        (
            '[[backends]]\nname = "c"\ntype = "redis-enterprise"\nusername = "u"\n',
            "backends[0].url: Field required",
        ),
        ('[[backends]]\nname = "o"\ntype = "openstack"\n', "give either 'cloud'"),
        (
            '[[backends]]\nname = "a b"\ntype = "seeweb"\n',
            "c.toml:2: backends[0].name: String should match",
        ),
        (
            '[refresh]\nbusy_interval = "fast"\n',
            "c.toml:2: refresh.busy_interval: Input should be a valid number",
        ),
        (
            '[[backends]]\nname = "a"\ntype = "seeweb"\n' * 2,
            "repeated: a",
        ),
        ("backends = [\n", "not valid TOML"),
    ],
)
def test_errors_name_file_line_key_and_expectation(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("/etc/c.toml"))
    assert expected in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_plain_text_secret_warns_unless_file_is_private(tmp_config: Path) -> None:
    tmp_config.write_text('[[backends]]\nname = "s"\ntype = "seeweb"\ntoken = "hunter2"\n')
    tmp_config.chmod(0o644)
    loaded = load_config(tmp_config)
    assert loaded is not None
    [warning] = loaded.warnings
    assert "plain-text secret" in warning and "hunter2" not in warning
    tmp_config.chmod(0o600)
    private = load_config(tmp_config)
    assert private is not None and not private.warnings
    assert "hunter2" not in repr(private.config)


def test_secret_from_environment_command_or_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOK", "from-env")
    assert (
        resolve_secret(SeewebConfig(name="s", type="seeweb", token_env="TOK"), "token")
        == "from-env"
    )
    command = f"{sys.executable} -c \"print('from-command')\""
    by_command = SeewebConfig(name="s", type="seeweb", token_command=command)
    assert resolve_secret(by_command, "token") == "from-command"
    plain = SeewebConfig.model_validate({"name": "s", "type": "seeweb", "token": "plain"})
    assert resolve_secret(plain, "token") == "plain"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"token_env": "UNSET_VARIABLE_X"}, "UNSET_VARIABLE_X is not set"),
        ({"token_command": "false"}, "token_command exited with 1"),
        ({"token_command": "/nonexistent/secret-tool"}, "token_command failed"),
        ({}, "give token_env or token_command"),
    ],
)
def test_secret_errors_are_clear(fields: dict[str, str], expected: str) -> None:
    os.environ.pop("UNSET_VARIABLE_X", None)
    backend = SeewebConfig.model_validate({"name": "s", "type": "seeweb", **fields})
    with pytest.raises(ConfigError, match=expected):
        resolve_secret(backend, "token")
