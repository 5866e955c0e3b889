"""A new backend type is one package and one registry line: a toy family, end to end.

The toy family (:mod:`tests.helpers.toy`) has its own settings, client, SPEC
and loopback server. Registered for the test, it goes through the config
file, ``actiondeck list --json`` and the console, with no other file of the
product knowing it exists.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Static

from tests.helpers import toy
from tests.helpers.app import Settle, Until
from tui.cli.main import main
from tui.config import ConfigError, load_config, parse_config
from tui.console.app import ActionDeckApp
from tui.console.widgets.detail_pane import DetailPane


@pytest.fixture
def toy_url() -> Iterator[str]:
    """The toy family registered, and a toy service on loopback."""
    with toy.registered(), toy.toy_server() as url:
        yield url


@pytest.fixture
def toy_config(toy_url: str, tmp_config: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config file with one toy backend, its token in the environment."""
    monkeypatch.setenv("TOY_TOKEN", toy.TOKEN)
    tmp_config.write_text(
        f'[[backends]]\nname = "toys"\ntype = "toy"\nurl = "{toy_url}"\ntoken_env = "TOY_TOKEN"\n',
        encoding="utf-8",
    )
    os.chmod(tmp_config, 0o600)
    return tmp_config


def test_the_config_validates_a_toy_entry_with_its_own_model(toy_config: Path) -> None:
    loaded = parse_config(toy_config.read_text(encoding="utf-8"), toy_config)
    (entry,) = loaded.config.backends
    assert isinstance(entry, toy.ToySettings) and entry.token_env == "TOY_TOKEN"
    assert loaded.warnings == ()


def test_the_toy_entry_gets_the_usual_messages(toy_url: str, tmp_path: Path) -> None:
    """Unknown keys, bad URLs and plain-text secrets are worded as for every family."""
    path = tmp_path / "c.toml"
    text = f'[[backends]]\nname = "toys"\ntype = "toy"\nurl = "{toy_url}"\ncolour = "red"\n'
    with pytest.raises(ConfigError) as raised:
        parse_config(text, path)
    assert str(raised.value) == f"{path}:5: backends[0].colour: unknown key"
    with pytest.raises(ConfigError, match=r":4: backends\[0\].url: must be an http"):
        parse_config(text.replace(toy_url, "ftp://x").replace('colour = "red"\n', ""), path)
    path.write_text("", encoding="utf-8")
    os.chmod(path, 0o644)
    plain = text.replace('colour = "red"', 'token = "x"')
    (warning,) = parse_config(plain, path).warnings
    assert "backends[0].token is a plain-text secret" in warning


def test_the_cli_lists_toy_actions_as_json(
    toy_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["list", "--config", str(toy_config), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    listed = json.loads(out)
    assert [(a["ref"], a["backend_type"], a["status"]) for a in listed] == [
        ("toys:t-2", "toy", "running"),
        ("toys:t-1", "toy", "completed"),
    ]
    assert toy.TOKEN not in out + err


def test_the_cli_names_the_toy_backend_when_its_token_is_wrong(
    toy_config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOY_TOKEN", "not-the-token")
    code = main(["list", "--config", str(toy_config), "--json"])
    _, err = capsys.readouterr()
    assert code != 0 and err.startswith("actiondeck: toys: ") and "Traceback" not in err


async def test_the_console_lists_toy_actions_and_shows_the_toy_detail_kind(
    toy_config: Path, settle: Settle, until: Until
) -> None:
    loaded = load_config(toy_config)
    assert loaded is not None
    app = ActionDeckApp(loaded.config)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        assert screen.table.refs == ["toys:t-2", "toys:t-1"]
        pane = screen.query_one(DetailPane)
        await until(pilot, lambda: pane.action is not None and pane.action.ref == "toys:t-2")
        await pilot.pause()
        assert pane.has_class("-pending") and not pane.has_class("-lifecycle")
        section = pane.query_one("#detail-section", Static).content
        assert isinstance(section, Content)
        assert section.plain == "State machine and pending operations"
        times = pane.query_one("#detail-times", Static).content
        assert isinstance(times, Content) and "created" in times.plain
        assert "state" not in times.plain  # the pending section leads with it
