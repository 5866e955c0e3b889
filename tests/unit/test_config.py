"""The config file: validation errors name the file, line and key; secrets resolve safely."""

from __future__ import annotations

import os
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path

import certifi
import pytest

import tui.config.secrets as secrets_module
from tui.backends.openstack import OpenStackSettings
from tui.backends.redis_enterprise import RedisEnterpriseSettings
from tui.backends.seeweb import SeewebSettings
from tui.config import (
    ConfigError,
    check_theme,
    load_config,
    parse_config,
    resolve_secret,
    validate_backends,
)

CA_BUNDLE = certifi.where()
"""A real PEM bundle: a ``ca_cert`` must exist and load when the config is read."""

GOOD = f"""
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
ca_cert = "{CA_BUNDLE}"

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
    assert isinstance(seeweb, SeewebSettings) and seeweb.url == "https://api.seeweb.it/ecs/v2"
    assert isinstance(huawei, OpenStackSettings) and huawei.servers == ["web-01"]
    assert isinstance(cache, RedisEnterpriseSettings)
    assert cache.tls_verify() == CA_BUNDLE
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
        resolve_secret(SeewebSettings(name="s", type="seeweb", token_env="TOK"), "token")
        == "from-env"
    )
    command = f"{sys.executable} -c \"print('from-command')\""
    by_command = SeewebSettings(name="s", type="seeweb", token_command=command)
    assert resolve_secret(by_command, "token") == "from-command"
    (plain,) = validate_backends([{"name": "s", "type": "seeweb", "token": "plain"}])
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
    (backend,) = validate_backends([{"name": "s", "type": "seeweb", **fields}])
    with pytest.raises(ConfigError, match=expected):
        resolve_secret(backend, "token")


# -- local files and URLs are checked when the file is read ------------------------------

BACKENDS = {
    "seeweb": 'type = "seeweb"\ntoken_env = "T"\n',
    "openstack": 'type = "openstack"\nauth_url = "https://keystone.example.com/v3"\n',
    "redis": 'type = "redis-enterprise"\nurl = "https://c.example.com:9443"\nusername = "u"\n',
}


def _backend(kind: str, extra: str) -> str:
    return f'[[backends]]\nname = "b"\n{BACKENDS[kind]}{extra}'


@pytest.mark.parametrize("kind", sorted(BACKENDS))
@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d: d / "missing.pem", "no such file"),
        (lambda d: d, "is a directory, not a CA bundle file"),
        (lambda d: _write(d / "junk.pem", "not a certificate\n"), "not a PEM CA bundle"),
    ],
    ids=["missing", "directory", "not-pem"],
)
def test_an_unusable_ca_cert_is_a_config_error(
    tmp_path: Path, kind: str, make: Callable[[Path], Path], reason: str
) -> None:
    bundle = make(tmp_path)
    text = _backend(kind, f'ca_cert = "{bundle}"\n')
    line = text.splitlines().index(f'ca_cert = "{bundle}"') + 1
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("/etc/c.toml"))
    assert str(caught.value) == f"/etc/c.toml:{line}: backends[0].ca_cert: {reason} ({bundle})"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_ca_cert_is_a_config_error(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text(Path(CA_BUNDLE).read_text())
    bundle.chmod(0)
    with pytest.raises(ConfigError, match="permission denied"):
        parse_config(_backend("redis", f'ca_cert = "{bundle}"\n'), Path("c.toml"))


def test_a_ca_cert_is_not_read_when_tls_is_not_verified(tmp_path: Path) -> None:
    text = _backend("seeweb", f'ca_cert = "{tmp_path / "nope.pem"}"\nverify = false\n')
    assert parse_config(text, Path("c.toml")).config.backends[0].tls_verify() is False


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("kind", "key", "url", "reason"),
    [
        ("seeweb", "url", "http://[::1", "not a valid URL (Invalid IPv6 URL)"),
        ("seeweb", "url", "ftp://x", "must be an http:// or https:// URL"),
        ("redis", "url", "cluster:9443", "must be an http:// or https:// URL"),
        ("redis", "url", "https://", "not a valid URL (no host"),
        ("redis", "url", "https://c.example.com:99999", "not a valid URL (Port out of range"),
        ("seeweb", "url", "https://exa mple.com/ecs/v2", "not a valid URL (no host, or spaces"),
        ("openstack", "auth_url", "http://[::1", "not a valid URL (Invalid IPv6 URL)"),
        ("openstack", "auth_url", "file:///etc/passwd", "must be an http:// or https:// URL"),
    ],
)
def test_a_malformed_or_non_http_url_is_a_config_error(
    kind: str, key: str, url: str, reason: str
) -> None:
    base = BACKENDS[kind].replace("auth_url = ", "#").replace("url = ", "#")
    text = f'[[backends]]\nname = "b"\n{base}{key} = "{url}"\n'
    line = len(text.splitlines())
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("/etc/c.toml"))
    message = str(caught.value)
    assert message.startswith(f"/etc/c.toml:{line}: backends[0].{key}: {reason}"), message
    assert "\n" not in message


def test_http_and_https_urls_with_ports_paths_and_ipv6_hosts_load() -> None:
    for url in ("http://127.0.0.1:8080/ecs/v2", "https://[::1]:9443", "HTTPS://Example.com"):
        assert parse_config(_backend("seeweb", f'url = "{url}"\n'), Path("c.toml"))


# -- the theme ------------------------------------------------------------------------


def test_an_unknown_theme_names_the_key_and_the_available_themes(tmp_config: Path) -> None:
    tmp_config.write_text('[refresh]\nbusy_interval = 2\n\n[ui]\ntheme = "nope"\n')
    loaded = load_config(tmp_config)
    assert loaded is not None
    check_theme(loaded, ["nope", "other"])  # known: fine
    with pytest.raises(ConfigError) as caught:
        check_theme(loaded, ["actiondeck-light", "actiondeck-dark"])
    assert str(caught.value) == (
        f"{tmp_config}:5: ui.theme: no theme named 'nope' "
        "(available: actiondeck-dark, actiondeck-light)"
    )


# -- secret commands are bounded ------------------------------------------------------


def test_secret_commands_are_stopped_after_ten_seconds() -> None:
    assert secrets_module.SECRET_COMMAND_TIMEOUT == 10.0


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("import time; time.sleep(60)", "did not finish within 0.5 s and was stopped"),
        ("import subprocess; subprocess.run(['sleep', '60'])", "did not finish within 0.5 s"),
        ("import sys\nwhile True: sys.stdout.write('x' * 65536)", "printed more than 64 KiB"),
    ],
    ids=["hang", "hanging-child", "endless-output"],
)
def test_a_hanging_or_flooding_secret_command_is_stopped(
    monkeypatch: pytest.MonkeyPatch, script: str, reason: str
) -> None:
    monkeypatch.setattr(secrets_module, "SECRET_COMMAND_TIMEOUT", 0.5)
    command = f"{sys.executable} -c {shlex.quote(script)}"
    backend = SeewebSettings(name="s", type="seeweb", token_command=command)
    started = time.monotonic()
    with pytest.raises(ConfigError) as caught:
        resolve_secret(backend, "token")
    assert time.monotonic() - started < 5  # it ends, children included
    assert str(caught.value).startswith("backend 's': token_command ") and reason in str(
        caught.value
    )


def test_a_secret_command_may_print_up_to_the_limit() -> None:
    script = "print('s' * 60000)"
    command = f"{sys.executable} -c {shlex.quote(script)}"
    backend = SeewebSettings(name="s", type="seeweb", token_command=command)
    assert resolve_secret(backend, "token") == "s" * 60000


def test_the_stuck_section_builds_the_rule(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[stuck]\nfactor = 4\nmin_samples = 2\nfloor_minutes = 1.5\nheartbeat_minutes = 2\n"
    )
    loaded = load_config(path)
    assert loaded is not None
    rule = loaded.config.stuck.rule()
    assert rule.factor == 4.0
    assert rule.min_samples == 2
    assert rule.floor.total_seconds() == 90
    assert rule.heartbeat_stale.total_seconds() == 120
    path.write_text("[stuck]\nfactor = 1\n")
    with pytest.raises(ConfigError, match="factor"):
        load_config(path)
