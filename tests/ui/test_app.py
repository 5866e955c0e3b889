"""The console's main screen against the simulator: list, keys, detail, help, palette, safety."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.text import Text
from textual.binding import Binding
from textual.color import Color
from textual.message import Message
from textual.notifications import Notify
from textual.widget import Widget
from textual.widgets import Input

from tests.helpers.app import AppFactory, Settle, screenshot_after, wait_until
from tui.console.app import ActionDeckApp
from tui.console.messages import ActionLoaded, ActionsFetched, FetchPurpose
from tui.console.palette import palette_commands
from tui.console.screens.help import HelpScreen
from tui.console.screens.main import MainScreen
from tui.console.screens.traceback import TracebackScreen
from tui.console.themes import BUILTIN_THEME_NAMES
from tui.console.widgets.action_table import COLUMNS, ActionTable, fit_columns
from tui.console.widgets.backend_bar import BackendBar
from tui.console.widgets.cells import progress_bar
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.pager import Pager, PagerView
from tui.console.widgets.search_box import SearchBox
from tui.model import Action, Status, action_from_json

SIZE = (120, 36)

DIVIDER_DISTANCE = 60
"""RGB distance a divider keeps from what is behind it (black to grey 238 is 118)."""


def row_texts(table: ActionTable, ref: str) -> list[str]:
    """The plain text of every cell of one row."""
    return [cell.plain for cell in table.get_row(ref)]


def column(table: ActionTable, key: str) -> list[str]:
    """The plain text of one column, top to bottom."""
    return [table.get_cell(ref, key).plain for ref in table.refs]


async def test_first_poll_fills_the_list_newest_first_across_backends(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        table = screen.table
        bar = screen.query_one(BackendBar)

        assert table.refs == app.store.refs()[: len(table.refs)]
        assert len(table.refs) == screen.page_size() == 30  # 36 rows less banner, bars, header
        assert {app.store.get(ref).backend for ref in app.store.refs()} == {  # type: ignore[union-attr]
            "seeweb", "openstack", "redis",
        }  # fmt: skip
        for name in app.backend_names:
            assert bar.segment_text(name).startswith(f"✔ {name} · ")  # fresh: no age shown
        total = sum(max(app.loaded[n], h.total or 0) for n, h in app.health.items())
        assert total > len(app.store)  # Seeweb reports more than its first poll reads
        expected = f"1–30 of {total:,} ({len(app.store):,} loaded)"
        assert screen.query_one(Pager).plain == expected
        statuses = column(table, "status")
        assert all(label.split(" ")[0] in "●✔✖…⊘?" for label in statuses)


async def test_vim_and_arrow_keys_move_the_selection_and_the_detail_follows(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        refs = screen.table.refs

        await pilot.press("j", "j")
        assert screen.selected_ref == refs[2]
        await pilot.press("k")
        assert screen.selected_ref == refs[1]
        await pilot.press("down", "up", "up")
        assert screen.selected_ref == refs[0]
        await settle(app, pilot)
        assert screen.query_one(DetailPane).action is not None
        assert screen.query_one(DetailPane).action.ref == refs[0]  # type: ignore[union-attr]

        last_loaded = app.store.refs()[-1]
        await pilot.press("G")
        assert screen.selected_ref == last_loaded
        await settle(app, pilot)  # the last page prefetches deeper Seeweb rows...
        assert screen.selected_ref == last_loaded  # ...and the selection stays put
        assert screen.table.cursor_ref == last_loaded
        await pilot.press("g")
        assert (screen.page_index, screen.selected_ref) == (0, refs[0])
        last_loaded = app.store.refs()[-1]
        await pilot.press("end")
        assert screen.selected_ref == last_loaded
        await pilot.press("home")
        assert screen.selected_ref == refs[0]


async def test_enter_opens_the_full_detail_and_escape_returns_to_the_list(
    make_app: AppFactory, settle: Settle
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        nova = next(r for r in screen.table.refs if r.startswith("openstack:"))
        while screen.selected_ref != nova:
            await pilot.press("j")
        await pilot.press("enter")
        await settle(app, pilot)

        detail = screen.query_one(DetailPane)
        assert app.focused is not None and detail in app.focused.ancestors_with_self
        loaded = [m for m in messages if isinstance(m, ActionLoaded) and m.ref == nova]
        assert loaded, "the full detail was fetched with get_action"
        assert detail.action == loaded[-1].action == app.store.get(nova)
        await pilot.press("escape")
        assert app.focused is screen.table


async def test_the_list_keeps_its_columns_whatever_the_detail_shows_and_gets_them_back(
    make_app: AppFactory, settle: Settle
) -> None:
    """At one terminal size the list has two layouts only: beside the detail, and
    beside the opened (focused, wider) detail; neither depends on what the pane shows."""
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        table, detail = screen.table, screen.query_one(DetailPane)

        def layout() -> tuple[list[str], int, int]:
            return (table.column_keys, table.size.width, detail.size.width)

        beside = layout()
        for ref in list(table.refs)[:8]:  # Nova, Redis, Seeweb details of every length
            while screen.selected_ref != ref:
                await pilot.press("j")
            await settle(app, pilot)
            assert layout() == beside, ref
        await pilot.press("enter")
        await settle(app, pilot)
        opened = layout()
        assert opened[2] > beside[2] and set(opened[0]) < set(beside[0])
        assert {"action", "resource", "status"} <= set(opened[0])
        await pilot.press("escape")
        await settle(app, pilot)
        assert layout() == beside
        await pilot.press("enter", "escape", "enter")
        await settle(app, pilot)
        assert layout() == opened


async def test_on_a_narrow_terminal_opening_the_detail_keeps_the_lists_columns(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.main_screen.table
        closed = (table.column_keys, table.size.width)
        await pilot.press("enter")
        await settle(app, pilot)
        assert (table.column_keys, table.size.width) == closed  # the detail grows in height
        await pilot.press("escape")
        await settle(app, pilot)
        assert (table.column_keys, table.size.width) == closed


async def test_t_opens_the_traceback_of_a_failed_nova_event_full_screen(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        screen.set_filter("status:failed backend:openstack")
        await pilot.pause()
        detail = screen.query_one(DetailPane)
        for _ in screen.table.refs:
            await settle(app, pilot)
            if detail.action is not None and any(e.traceback for e in detail.action.failed_events):
                break
            await pilot.press("j")
        assert detail.action is not None
        [event, *_] = [e for e in detail.action.failed_events if e.traceback]
        assert event.traceback is not None

        await pilot.press("t")
        traceback = app.screen
        assert isinstance(traceback, TracebackScreen)
        assert traceback.event_name == event.name and traceback.action_ref == detail.action.ref
        assert traceback.text == event.traceback.rstrip("\n") and "File " in traceback.text
        await pilot.press("escape")
        assert app.screen is screen


async def test_clicking_a_row_selects_it_and_q_quits(make_app: AppFactory, settle: Settle) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        await pilot.click(ActionTable, offset=(20, 4))  # the header, then rows 0, 1, 2
        assert screen.selected_ref == screen.table.refs[3]
        await pilot.press("slash", "q")  # typed into the search box...
        assert screen.query_one(Input).value == "q" and app.is_running
        await pilot.press("escape", "q")  # ...but from the list, q quits
        await pilot.pause()
        assert not app.is_running and app.return_code == 0


async def test_theme_comes_from_the_option_and_an_unknown_one_falls_back(
    make_app: AppFactory, settle: Settle
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app(theme="no-such-theme")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        assert app.theme == "actiondeck-dark"
        [toast] = [m.notification for m in messages if isinstance(m, Notify)]
        assert "no-such-theme" in toast.message
        table = app.main_screen.table
        ref = table.refs[0]
        dark = table.get_cell(ref, "status").style
        app.use_theme("actiondeck-high-contrast")
        await pilot.pause()
        await pilot.pause()
        colour = Color.parse(app.theme_variables[f"status-{app.store.get(ref).status}"])  # type: ignore[union-attr]
        restyled = table.get_cell(ref, "status").style
        assert restyled != dark and restyled.color.triplet == colour.rich_color.triplet  # type: ignore[union-attr]


def _in_256_colours(colour: Color) -> tuple[int, int, int]:
    """The colour a 256-colour terminal shows for ``colour``."""
    shown = RichColor.from_rgb(*colour.rgb).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return (shown.red, shown.green, shown.blue)


@pytest.mark.parametrize("theme", BUILTIN_THEME_NAMES)
async def test_the_list_detail_divider_is_visible_in_256_colours(
    make_app: AppFactory, settle: Settle, theme: str
) -> None:
    app: ActionDeckApp = make_app(theme=theme)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        detail = app.main_screen.query_one("#detail", Widget)
        _, divider = detail.styles.border_left
        _, background = detail.background_colors
        line, behind = _in_256_colours(divider), _in_256_colours(background)
    assert math.dist(line, behind) >= DIVIDER_DISTANCE, (theme, divider.hex, background.hex)


async def test_help_lists_every_binding_of_the_console(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = app.screen.plain
        for node in (ActionDeckApp, MainScreen, ActionTable, DetailPane):
            for binding in Binding.make_bindings(node.BINDINGS):
                assert binding.description in listed, binding
        keys_shown = ("↓ j", "↑ k", "home g", "end G", "pgup [", "pgdn ]", "/", "w", "p", "r", "^p")
        for keys in keys_shown:
            assert f"  {keys} " in listed
        await pilot.press("escape")
        assert app.screen is app.main_screen


async def test_help_lists_the_consoles_own_bindings_each_once(
    make_app: AppFactory, settle: Settle
) -> None:
    """No key a Textual base class binds for itself; no key twice for one thing."""
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = app.screen.plain
        for internal in (
            "Focus Next",
            "Focus Previous",
            "Scroll Left",
            "Page Left",
            "Copy selected",
        ):
            assert internal not in listed, internal
        ours = {
            binding.description
            for node in (ActionDeckApp, MainScreen, ActionTable, SearchBox, DetailPane)
            for binding in Binding.make_bindings(node.__dict__["BINDINGS"])
        } | {"Command palette"}
        keyed = [
            section
            for section in app.screen.sections
            if not section.title.startswith(("Jump", "Search l"))
        ]
        main_screen = [
            section
            for section in keyed
            if section.title not in ("Traceback viewer", "Notifications log")
        ]
        pairs = [
            (key, what)
            for section in main_screen
            for keys, what in section.rows
            for key in keys.split()
        ]
        assert {what for _, what in pairs} <= ours
        assert len(pairs) == len(set(pairs)), sorted(pairs)
        assert [key for key, _ in pairs].count("pgup") == 1
        assert [key for key, _ in pairs].count("esc") == 1


async def test_palette_offers_filters_backends_themes_and_polling(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [command.title for command in palette_commands(app)]
        assert titles[:2] == ["Filter: failed actions", "Filter: in-flight"]
        for expected in (
            "Filter: backend seeweb", "Filter: backend openstack", "Filter: backend redis",
            "Clear filter", "Theme: actiondeck-dark", "Theme: actiondeck-light",
            "Theme: actiondeck-high-contrast", "Pause/resume polling", "Refresh now",
        ):  # fmt: skip
            assert expected in titles

        await pilot.press("ctrl+p", *"failed", "enter")
        await pilot.pause()
        assert app.main_screen.query_one(Input).value == "status:failed"
        statuses = {app.store.get(ref).status for ref in app.main_screen.table.refs}  # type: ignore[union-attr]
        assert statuses == {Status.FAILED}

        await pilot.press("ctrl+p", *"light", "enter")
        await pilot.pause()
        assert app.theme == "actiondeck-light"


def evil_action(index: int, **fields: Any) -> Action:
    """An action whose server strings try to be markup and terminal escapes."""
    base = {
        "ref": f"seeweb:{900000 + index}",
        "backend": "seeweb",
        "backend_type": "seeweb",
        "id": str(900000 + index),
        "name": "[bold]boom[/bold]",
        "status": Status.RUNNING,
        "resource": "[@click=app.quit]x",
        "user": "\x1b[2Jmallory\x1b]52;c;aGk=\x07",
    }
    return action_from_json({**base, **fields})


async def test_server_text_is_shown_literally_and_does_nothing(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app(ui=None)
    async with app.run_test(size=(160, 36)) as pilot:
        await settle(app, pilot)
        newest = app.store.get(app.store.refs()[0])
        assert newest is not None and newest.created_at is not None
        evil = evil_action(1, created_at=newest.created_at.replace(year=2030))
        app.post_message(ActionsFetched("seeweb", [evil], FetchPurpose.PRELOAD))
        await pilot.pause()
        table = app.main_screen.table
        assert table.refs[0] == evil.ref

        cells = dict(zip(table.column_keys, table.get_row(evil.ref), strict=True))
        assert all(isinstance(cell, Text) for cell in cells.values())
        assert cells["action"].plain == "[bold]boom[/bold]"
        assert cells["resource"].plain == "[@click=app.quit]x"
        assert cells["user"].plain == "␛[2Jmallory␛]52;c;aGk=␇"
        assert not any(
            span.style and "@click" in str(span.style) for c in cells.values() for span in c.spans
        )

        await pilot.click(ActionTable, offset=(30, 1))
        await pilot.click(ActionTable, offset=(30, 1))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert "[@click=app.quit]x" in app.export_screenshot()


async def test_banner_is_one_line_and_b_hides_it(make_app: AppFactory, settle: Settle) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        banner = screen.query_one("#banner")
        assert banner.size.height == 1
        assert "Demo mode" in str(screen.query_one("#banner-text").render())
        before = screen.page_size()
        await pilot.press("b")
        await pilot.pause()
        assert not banner.display or banner.has_class("-hidden")
        assert screen.page_size() == before + 1
        assert len(screen.table.refs) == before + 1


async def test_narrow_terminal_stacks_the_detail_under_the_list(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app(banner=None, simulator=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        assert screen.has_class("-narrow")
        assert not screen.query("#banner")
        table, detail = screen.table, screen.query_one(DetailPane)
        assert detail.region.y > table.region.y and detail.region.width == 80
        assert table.column_keys == [
            "mark", "backend", "action", "resource", "status", "progress", "duration",
        ]  # fmt: skip
        assert screen.query_one(Pager).plain.startswith(f"1–{len(table.refs)} of ")
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert not screen.has_class("-narrow")


async def test_opened_detail_takes_most_of_the_width_until_esc(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        detail = screen.query_one(DetailPane)
        beside = detail.outer_size.width
        await pilot.press("enter")
        await pilot.pause()
        opened = detail.outer_size.width
        columns = screen.table.column_keys
        await pilot.press("escape")
        await pilot.pause()
        closed = detail.outer_size.width

    assert (beside, opened, closed) == (48, 72, 48)
    assert columns == ["mark", "action", "resource", "status"]


async def test_stacked_detail_grows_when_opened_and_the_list_repages(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app(banner=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        table, pager = screen.table, screen.query_one(Pager)
        rows_before = len(table.refs)
        await pilot.press("enter")
        await pilot.pause()
        rows_opened, pager_opened = len(table.refs), pager.plain
        page_opened = screen.page_size()
        await pilot.press("escape")
        await pilot.pause()
        rows_after = len(table.refs)

    assert 0 < rows_opened == page_opened < rows_before == rows_after
    assert pager_opened.startswith(f"1–{rows_opened} of ")


def _error_toast(message: Message) -> bool:
    return isinstance(message, Notify) and message.notification.severity == "error"


async def test_watched_notices_never_parse_server_markup(
    make_app: AppFactory, settle: Settle
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        newest = app.store.get(app.store.refs()[0])
        assert newest is not None and newest.created_at is not None
        evil = evil_action(2, created_at=newest.created_at.replace(year=2030))
        app.post_message(ActionsFetched("seeweb", [evil], FetchPurpose.PRELOAD))
        await pilot.pause()
        await pilot.press("w")
        done = replace(evil, status=Status.FAILED)
        app.post_message(ActionsFetched("seeweb", [done], FetchPurpose.PRELOAD))
        # preload windows reach the list twice a second: wait for the one that tells
        await wait_until(pilot, lambda: any(_error_toast(m) for m in messages))

    toasts = [m.notification for m in messages if isinstance(m, Notify)]
    assert all(not toast.markup for toast in toasts)
    [failed] = [t for t in toasts if t.severity == "error"]
    assert failed.message == "✖ failed: [bold]boom[/bold] on [@click=app.quit]x (seeweb)"


def test_columns_give_way_on_narrow_lists() -> None:
    wide = [spec.key for spec, _ in fit_columns(200)]
    assert wide == [spec.key for spec in COLUMNS]
    assert "user" not in [spec.key for spec, _ in fit_columns(80)]
    narrow = dict((spec.key, width) for spec, width in fit_columns(72))
    assert "progress" in narrow and "started" not in narrow
    assert sum(width + 2 for width in narrow.values()) <= 72


def test_progress_bar_has_eighth_steps_and_never_rounds_up_to_done() -> None:
    assert progress_bar(None) == ""
    assert progress_bar(0) == "       0%"
    assert progress_bar(42) == "█▋    42%"
    assert progress_bar(99.6) == "███▉  99%"
    assert progress_bar(100) == "████ 100%"
    assert progress_bar(250) == "████ 100%"


def test_pager_line_wording() -> None:
    assert PagerView(41, 60, 754).text() == "41–60 of 754"
    assert PagerView(1, 20, 754, loaded=120).text() == "1–20 of 754 (120 loaded)"
    assert PagerView(1, 5, 5, filtered=True).text() == "1–5 of 5  ·  filtered"
    assert PagerView(0, 0, 0, filtered=True).text() == "no matching actions"
    assert PagerView(1, 20, 100_000).text() == "1–20 of 100,000"


async def test_help_hides_the_console_beneath_it(make_app: AppFactory, settle: Settle) -> None:
    """The help is opaque: the console is not drawn (and tinted) under it on every frame."""
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await screenshot_after(app, pilot, "question_mark")
        assert "Keys&#160;and&#160;search" in screen
        assert "seeweb" not in screen
