"""The search box's keys: clearing then typing at once, history, saved searches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget

from tests.helpers.app import AppFactory, Settle
from tests.helpers.terminal import record_terminal
from tui.config import ConfigError, UiConfig, load_config
from tui.config.loading import SavedSearch
from tui.console.palette import palette_commands
from tui.console.widgets.search_box import SearchBox, SearchHistory

SIZE = (120, 36)


async def test_ctrl_u_then_text_at_once_keeps_the_text(
    make_app: AppFactory, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        await pilot.press("slash", *"web")
        search = screen.query_one(SearchBox)
        assert search.value == "web"
        for attempt in range(3):
            # what a terminal sends for Ctrl+U then a paste, in one read
            app.post_message(events.Key("ctrl+u", "\x15"))
            app.post_message(events.Paste("status:failed"))
            await pilot.pause()
            await pilot.pause()
            assert search.value == "status:failed", attempt


async def test_up_and_down_walk_the_searches_done(make_app: AppFactory, settle: Settle) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        search = app.main_screen.query_one(SearchBox)
        await pilot.press("slash", *"status:failed", "enter")
        await pilot.press("slash", "ctrl+u", *"backend:redis", "escape")
        await pilot.press("slash", "ctrl+u", *"draft")
        await pilot.press("up")
        assert search.value == "backend:redis"
        await pilot.press("up")
        assert search.value == "status:failed"
        await pilot.press("up")  # nothing older: stays
        assert search.value == "status:failed"
        await pilot.press("down", "down")
        assert search.value == "draft"  # back to what was being typed
        assert app.main_screen.list_state.filter.text == ("draft",)


def test_history_is_bounded_and_skips_blanks_and_repeats() -> None:
    history = SearchHistory(size=3)
    for query in ("a", "a", " ", "b", "c", "d"):
        history.add(query)
    assert len(history) == 3
    assert [history.older(""), history.older(""), history.older(""), history.older("")] == [
        "d",
        "c",
        "b",
        None,
    ]
    assert history.newer() == "c"


async def test_saved_searches_of_the_config_are_in_the_palette(
    make_app: AppFactory, settle: Settle
) -> None:
    searches = [
        SavedSearch(name="redis trouble", query="backend:redis status:failed"),
        SavedSearch(name="[b]evil[/b]\x1b[2J", query="x"),
    ]
    app = make_app(ui=UiConfig(searches=searches))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [command.title for command in palette_commands(app)]
        assert "Search: redis trouble" in titles
        assert not any("\x1b" in title for title in titles)
        await pilot.press("ctrl+p", *"redis trouble", "enter")
        await pilot.pause()
        assert app.main_screen.query_one(SearchBox).value == "backend:redis status:failed"
        kept = {app.store.get(ref).backend for ref in app.main_screen.table.refs}  # type: ignore[union-attr]
        assert kept <= {"redis"}


def test_saved_searches_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[[ui.searches]]\nname = ""\nquery = "x"\n')
    with pytest.raises(ConfigError, match="searches"):
        load_config(path)


class _BoxApp(App[None]):
    CSS = "SearchBox { height: 1; border: none; width: 30; }"

    def compose(self) -> ComposeResult:
        yield SearchBox(id="search")


async def test_a_key_that_keeps_the_text_inside_the_box_lays_nothing_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each key used to ask for a layout of the whole screen (the text's width changed)."""
    layouts: list[str] = []
    original = Widget.refresh

    def spy(self: Widget, *regions: Region, **kwargs: bool) -> Widget:
        if kwargs.get("layout") and isinstance(self, SearchBox):
            layouts.append(self.value)
        return original(self, *regions, **kwargs)

    app = _BoxApp()
    async with app.run_test() as pilot:
        box = app.query_one(SearchBox)
        box.focus()
        await pilot.press("a")
        await pilot.pause()
        monkeypatch.setattr(Widget, "refresh", spy)
        await pilot.press(*"bcdef")
        await pilot.pause()
        assert box.value == "abcdef"
        assert layouts == []
        await pilot.press(*"x" * 40)  # longer than the box: it still scrolls to the cursor
        await pilot.pause()
        assert box.scroll_offset.x > 0
        assert box.virtual_size.width >= len(box.value)


async def test_a_key_shows_in_the_box_before_the_list_is_filtered(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The frame echoing a key is drawn before the filter runs (the list follows in the next)."""
    from tui.search import parse_filter as original
    from tui.search import search_text

    record_terminal(monkeypatch)  # the app paints, as on a terminal
    app = make_app()
    seen: list[tuple[str, str]] = []

    def spy(query: str, **kwargs: Any) -> Any:
        seen.append(("filter", query))
        return original(query, **kwargs)

    monkeypatch.setattr("tui.console.screens.main.parse_filter", spy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        search = screen.query_one(SearchBox)
        display = app._display

        def frame(screen: Any, update: Any) -> None:
            seen.append(("frame", search.value))
            display(screen, update)

        monkeypatch.setattr(app, "_display", frame)
        await pilot.press("slash")
        await pilot.pause()
        for key in "web":
            seen.clear()
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            typed = search.value
            filtered = seen.index(("filter", typed))
            assert ("frame", typed) in seen[:filtered], seen
        assert screen.list_state.filter.text == ("web",)
        shown = [app.store.get(ref) for ref in screen.table.refs]
        assert all(a is not None and "web" in search_text(a) for a in shown)


async def test_a_query_and_enter_in_one_burst_leave_the_list_filtered(
    make_app: AppFactory, settle: Settle
) -> None:
    """A query typed and Enter in one burst (no frame between): the list is filtered by it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        app.post_message(events.Key("slash", "/"))
        for char in "status:failed":
            app.post_message(events.Key(char, char))
        app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        assert screen.list_state.filter.statuses
        assert screen.focused is screen.table
        shown = [app.store.get(ref) for ref in screen.table.refs]
        assert shown and all(a is not None and a.status.value == "failed" for a in shown)
