"""The help screen is built once and shown again: same keys, back at the top, same ways out."""

from __future__ import annotations

import pytest
from textual import events
from textual.containers import VerticalScroll
from textual.message import Message

from tests.helpers.app import AppFactory, Settle
from tui.console.app import ActionDeckApp
from tui.console.screens import help as help_module
from tui.console.screens.help import HelpScreen, HelpSection

SIZE = (120, 24)


async def test_the_help_screen_is_kept_and_opens_again_at_the_top(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        first = app.screen
        assert isinstance(first, HelpScreen)
        listed = first.plain
        scroll = first.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0, "the help is taller than this terminal"
        scroll.scroll_end(animate=False)
        await pilot.pause()
        assert scroll.scroll_y > 0
        for close in ("escape", "q", "question_mark"):
            await pilot.press(close)
            assert app.screen is app.main_screen, close
            await pilot.press("question_mark")
            assert app.screen is first, "the same screen, not composed again"
            await pilot.pause()
            assert scroll.scroll_y == 0, "shown from the top"
            assert first.plain == listed


async def test_a_help_that_would_list_other_keys_is_built_again(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark", "escape")
        await pilot.pause()
        assert app.screen is app.main_screen
        kept = app.get_screen(help_module.SCREEN_NAME)
        other = [HelpSection("Everywhere", [("x", "something new")])]
        monkeypatch.setattr(help_module, "help_sections", lambda app: other)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen) and app.screen is not kept
        assert app.screen.plain.splitlines()[0] == "Everywhere"
        assert "something new" in app.screen.plain


async def test_hide_banner_is_offered_only_while_the_banner_is_up(
    make_app: AppFactory, settle: Settle
) -> None:
    """The footer asks on every refresh (each return from the help): a flag, not a query."""
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        assert screen.check_action("hide_banner", ()) is True
        await pilot.press("b")
        await pilot.pause()
        assert screen.check_action("hide_banner", ()) is False
        assert screen.query_one("#banner").has_class("-hidden")
    bare: ActionDeckApp = make_app(banner=None, simulator=None)
    async with bare.run_test(size=SIZE) as pilot:
        await settle(bare, pilot)
        assert not bare.main_screen.query("#banner")
        assert bare.main_screen.check_action("hide_banner", ()) is False


async def test_the_first_open_sizes_each_part_of_the_help_once(
    make_app: AppFactory, settle: Settle
) -> None:
    """The scrollbar's gutter is kept: its coming does not narrow the sections and lay them out
    again (every section resized twice at the first open, 19 resizes over 11 widgets)."""
    app: ActionDeckApp = make_app()
    seen: list[Message] = []
    async with app.run_test(size=(160, 45), message_hook=seen.append) as pilot:
        await settle(app, pilot)
        seen.clear()
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        scroll = screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0, "the help overflows: its scrollbar is shown"
        widgets = [screen, *screen.walk_children(), scroll.vertical_scrollbar]
        resizes = [m for m in {id(m): m for m in seen}.values() if isinstance(m, events.Resize)]
        assert 0 < len(resizes) <= len(widgets), [m.size for m in resizes]
