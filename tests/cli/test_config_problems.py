"""Config problems are config errors: exit 2, one line naming file, line and key, everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli.main import main
from tui.config import user_themes_dir
from tui.sim import Simulator

OPENSTACK = (
    '[[backends]]\nname = "os"\ntype = "openstack"\nauth_url = "{auth_url}"\nusername = "u"\n'
    'password_env = "P"\nproject_name = "p"\n'
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    return code, out, err


@pytest.mark.parametrize("command", [["config", "check"], ["list"], ["show", "os:a/b"], []])
def test_a_missing_ca_cert_fails_config_check_cli_and_console_alike(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    monkeypatch.setenv("P", "secret")
    config = tmp_path / "c.toml"
    missing = tmp_path / "ca.pem"
    config.write_text(
        OPENSTACK.format(auth_url="https://keystone.example.com/v3") + f'ca_cert = "{missing}"\n'
    )
    code, out, err = run(capsys, *command, "--config", str(config))
    assert code == 2 and out == ""
    assert err == f"actiondeck: {config}:8: backends[0].ca_cert: no such file ({missing})\n"


@pytest.mark.parametrize("url", ["http://[::1", "ftp://x"])
def test_a_bad_url_fails_before_any_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        f'[[backends]]\nname = "s"\ntype = "seeweb"\ntoken_env = "T"\nurl = "{url}"\n'
    )
    for command in (["config", "check"], ["list", "--json"]):
        code, out, err = run(capsys, *command, "--config", str(config))
        assert (
            code == 2 and out == "" and err.startswith(f"actiondeck: {config}:5: backends[0].url")
        )


def test_config_check_refuses_an_unknown_theme_and_lists_the_available_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[ui]\ntheme = "actiondeck-drak"\n')
    code, _, err = run(capsys, "config", "check", "--config", str(config))
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith(f"actiondeck: {config}:2: ui.theme: no theme named 'actiondeck-drak'")
    for name in ("actiondeck-dark", "actiondeck-light", "actiondeck-high-contrast", "nord"):
        assert name in err


def test_config_check_accepts_shipped_textual_and_user_themes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    themes = user_themes_dir()
    themes.mkdir(parents=True, exist_ok=True)
    (themes / "mine.toml").write_text('name = "my-own"\nprimary = "#336699"\n')
    config = tmp_path / "c.toml"
    for theme in ("actiondeck-high-contrast", "nord", "my-own"):
        config.write_text(f'[ui]\ntheme = "{theme}"\n')
        code, out, err = run(capsys, "config", "check", "--config", str(config))
        assert (code, err) == (0, "") and "OK" in out


def test_a_readable_pem_bundle_passes_config_check(
    sim: Simulator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import certifi

    monkeypatch.setenv("P", sim.credentials.os_password)
    config = tmp_path / "c.toml"
    config.write_text(OPENSTACK.format(auth_url=sim.auth_url) + f'ca_cert = "{certifi.where()}"\n')
    code, out, _ = run(capsys, "config", "check", "--config", str(config))
    assert code == 0 and "OK (os)" in out
