"""A theme chosen in the palette is remembered in the state dir (never the real one in tests)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers.app import AppFactory, Settle
from tui.config import UiConfig
from tui.console.ui_state import STATE_LIMIT, remembered_theme, state_path

SIZE = (100, 30)


async def test_a_theme_chosen_in_the_palette_is_used_next_time(
    make_app: AppFactory, settle: Settle
) -> None:
    path = state_path()
    assert str(path).startswith(os.environ["XDG_STATE_HOME"])  # the test's own, not the user's
    assert not path.exists()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"light", "enter")
        await pilot.pause()
        assert app.theme == "actiondeck-light"
    assert remembered_theme() == "actiondeck-light"

    again = make_app(ui=UiConfig(theme="actiondeck-dark"))  # the palette's choice wins
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.theme == "actiondeck-light"
    flag = make_app(theme="actiondeck-high-contrast")  # and --theme wins over both
    async with flag.run_test(size=SIZE) as pilot:
        await settle(flag, pilot)
        assert flag.theme == "actiondeck-high-contrast"


def test_a_broken_state_file_reads_as_nothing_remembered(tmp_path: Path) -> None:
    path = tmp_path / "console.json"
    for content in (b"{not json", b"[1]", b'{"theme": 3}', b'{"theme": "x"}' + b" " * STATE_LIMIT):
        path.write_bytes(content)
        assert remembered_theme(path) is None
    assert remembered_theme(tmp_path / "missing.json") is None
