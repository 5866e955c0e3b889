"""Console state: reactive views that repaint only on a new value, and app-to-screen messages."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.message import Message
from textual.visual import Visual
from textual.widgets import Static

from tests.helpers.app import AppFactory, Settle, Until
from tui.console.app import ActionDeckApp
from tui.console.messages import (
    BackendsSnapshot,
    DetailRequested,
    FetchPurpose,
    FilterRequested,
    PauseChanged,
    PollFinished,
    RowsFailed,
)
from tui.console.widgets.backend_bar import BackendBar, BackendSegment, SegmentView
from tui.console.widgets.content_view import ContentView, LineRepaintView, SameContent
from tui.console.widgets.line_diff import changed_lines
from tui.console.widgets.pager import Pager, PagerView
from tui.poller import BackendHealth, HealthState

SIZE = (120, 36)


class ViewsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Pager(id="pager")
        yield BackendBar(["seeweb"], id="bar")
        yield ContentView(id="content")


@pytest.fixture
def updates(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the widgets whose content was replaced (each ``Static.update``)."""
    seen: list[str] = []
    original = Static.update

    def spy(self: Static, *args: Any, **kwargs: Any) -> None:
        seen.append(self.id or type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Static, "update", spy)
    return seen


async def test_an_equal_view_repaints_nothing_and_a_different_one_repaints(
    updates: list[str],
) -> None:
    app = ViewsApp()
    async with app.run_test() as pilot:
        pager = app.query_one(Pager)
        segment = app.query_one(BackendSegment)
        content = app.query_one(ContentView)
        updates.clear()
        pager.view = PagerView(1, 20, 754)
        segment.view = SegmentView("seeweb", "ok", "4s ago", 2)
        content.shown = SameContent(Content.styled("done", "bold"))
        await pilot.pause()
        assert sorted(updates) == ["BackendSegment", "content", "pager"]
        assert pager.plain == "1–20 of 754" and segment.plain == "✔ seeweb 4s ago · 2 active"

        updates.clear()
        pager.view = PagerView(1, 20, 754)  # equal values: new objects, same content
        segment.view = SegmentView("seeweb", "ok", "4s ago", 2)
        content.shown = SameContent(Content.styled("done", "bold"))
        await pilot.pause()
        assert updates == []

        content.shown = SameContent(Content.styled("done", "italic"))  # same text, new style
        pager.view = PagerView(1, 20, 754, loading="loading more from seeweb…")
        await pilot.pause()
        assert sorted(updates) == ["content", "pager"]


async def test_a_new_segment_text_repaints_the_segment_without_a_screen_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A segment takes a fixed share of the bar: its text changing lays nothing out again."""
    layouts: list[bool] = []
    original = BackendSegment.refresh

    def spy(self: BackendSegment, *args: Any, **kwargs: Any) -> Any:
        layouts.append(bool(kwargs.get("layout")))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(BackendSegment, "refresh", spy)
    app = ViewsApp()
    async with app.run_test() as pilot:
        bar = app.query_one(BackendBar)
        bar.show([SegmentView("seeweb", "ok", in_flight=2)])
        await pilot.pause()
        width = app.query_one(BackendSegment).size.width
        layouts.clear()
        bar.show([SegmentView("seeweb", "ok", in_flight=13)])
        await pilot.pause()
        assert bar.segment_text("seeweb") == "✔ seeweb · 13 active"
        assert "13 active" in app.query_one(BackendSegment).render_line(0).text
        assert app.query_one(BackendSegment).size.width == width
    assert layouts and not any(layouts)  # repainted, never laid out


async def test_the_paused_marker_follows_the_bar_reactive() -> None:
    app = ViewsApp()
    async with app.run_test():
        bar = app.query_one(BackendBar)
        assert not bar.has_class("-paused")
        bar.paused = True
        assert bar.has_class("-paused")
        bar.paused = False
        assert not bar.has_class("-paused")


def test_same_content_compares_text_and_styles() -> None:
    bold = SameContent(Content.styled("x", "bold"))
    assert bold == SameContent(Content.styled("x", "bold"))
    assert bold != SameContent(Content("x"))  # Content's own == would call these equal
    assert Content.styled("x", "bold") == Content("x")
    assert bold != SameContent(Content.styled("y", "bold"))


def test_a_backends_snapshot_is_a_read_only_copy() -> None:
    health = {"seeweb": BackendHealth("seeweb")}
    loaded = {"seeweb": 3}
    snapshot = BackendsSnapshot.of(health, loaded)
    health["seeweb"] = BackendHealth("seeweb", HealthState.OK)
    loaded["seeweb"] = 4
    assert snapshot.health["seeweb"].state is HealthState.CONNECTING
    assert snapshot.loaded["seeweb"] == 3
    with pytest.raises(TypeError):
        snapshot.loaded["seeweb"] = 5  # type: ignore[index]


async def test_the_app_tells_the_screen_by_messages_with_snapshots(
    make_app: AppFactory, settle: Settle, until: Until
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        finished = [m for m in messages if isinstance(m, PollFinished)]
        assert {m.backend for m in finished} == set(app.backend_names)
        last = finished[-1].backends
        assert last.health is not app.health and last.loaded is not app.loaded
        assert screen.backends.health == app.health and screen.backends.loaded == app.loaded

        await pilot.press("p")
        await until(pilot, lambda: screen.query_one(BackendBar).has_class("-paused"))
        assert [m.paused for m in messages if isinstance(m, PauseChanged)] == [True]

        app.set_filter("status:failed")
        await until(pilot, lambda: screen.list_state.filter.statuses != frozenset())
        assert any(isinstance(m, FilterRequested) for m in messages)


async def test_an_empty_list_tells_the_app_nothing_is_selected(
    make_app: AppFactory, settle: Settle, until: Until
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        assert screen.selected_ref is not None
        screen.set_filter("no-action-has-this-text-anywhere")
        await until(pilot, lambda: screen.selected_ref is None)
        await pilot.pause()
        requested = [m.ref for m in messages if isinstance(m, DetailRequested)]
        assert requested[-1] is None
        assert screen.detail.action is None
        assert not any(w.group == "detail" and not w.is_finished for w in app.workers)


async def test_news_reaching_the_screen_during_shutdown_is_dropped(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        merged = app.store.merge([])
        news = PollFinished(app.backend_names[0], merged, app.backends_snapshot())
    assert not app.is_running and not screen.query(BackendBar)
    with app._context():  # as the screen's own message loop would run them
        screen.polled(news)  # the widgets are gone: showing it would raise NoMatches
        screen.show_paused(PauseChanged(True))
        screen.fetch_failed(RowsFailed("seeweb", "HTTP 503", FetchPurpose.PAGE))


async def test_a_burst_of_moves_shows_and_fetches_only_the_last_selection(
    make_app: AppFactory, settle: Settle
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        table = screen.table
        await pilot.pause()
        messages.clear()
        for row in range(1, 5):  # four moves before the screen can paint once
            table.move_cursor(row=row)
            screen.follow_cursor()
        last = table.refs[4]
        assert screen.selected_ref == last
        await pilot.pause()
        requested = [m.ref for m in messages if isinstance(m, DetailRequested)]
        # The list moved four times; only the last selection was shown and fetched (a poll
        # that changed it may fetch it again).
        assert requested and set(requested) == {last}
        assert screen.detail.action is not None and screen.detail.action.ref == last


class LinesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LineRepaintView(id="lines")


async def test_a_line_repaint_view_shows_what_it_was_last_given_and_never_parses_markup() -> None:
    app = LinesApp()
    async with app.run_test() as pilot:
        view = app.query_one(LineRepaintView)
        view.update("[bold]x[/bold]")  # text, not markup
        await pilot.pause()
        assert isinstance(view.content, Content) and view.content.plain == "[bold]x[/bold]"
        assert view.visual is view.content and view.render() is view.content
        view.shown = SameContent(Content.styled("one\ntwo", "italic"))
        await pilot.pause()
        assert isinstance(view.content, Content) and view.content.plain == "one\ntwo"
        assert view.size.height == 2


async def test_a_burst_of_search_changes_filters_the_list_once(
    make_app: AppFactory, settle: Settle, until: Until, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys pasted faster than the list repaints: only the box's last value is filtered."""
    from tui.console.widgets.search_box import SearchBox
    from tui.model import Status
    from tui.search import parse_filter as original

    parsed: list[str] = []

    def spy(query: str, **kwargs: Any) -> Any:
        parsed.append(query)
        return original(query, **kwargs)

    monkeypatch.setattr("tui.console.screens.main.parse_filter", spy)
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        box = screen.query_one(SearchBox)
        query = "status:failed"
        for end in range(1, len(query) + 1):  # one change a character, as a paste types them
            box.value = query[:end]
        await until(pilot, lambda: bool(parsed))
        assert parsed == [query]
        assert screen.list_state.filter.statuses == frozenset({Status.FAILED})
        shown = [app.store.get(ref) for ref in screen.table.refs]
        assert shown and all(a is not None and a.status is Status.FAILED for a in shown)


async def test_a_burst_handed_over_in_two_parts_filters_the_list_once(
    make_app: AppFactory, settle: Settle, until: Until, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first keys of a paste, a frame, then the rest: the filter waits for the rest."""
    from tui.console.screens import main
    from tui.console.widgets.search_box import SearchBox
    from tui.search import parse_filter as original

    parsed: list[str] = []

    def spy(query: str, **kwargs: Any) -> Any:
        parsed.append(query)
        return original(query, **kwargs)

    monkeypatch.setattr("tui.console.screens.main.parse_filter", spy)
    monkeypatch.setattr(main, "BURST_QUIET", 0.3)  # far longer than the frame between the parts
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        box = screen.query_one(SearchBox)
        query = "status:failed"
        for end in range(1, 5):  # "stat", faster than the box repaints
            box.value = query[:end]
        await pilot.pause()  # its frame is drawn; the filter waits
        assert parsed == []
        for end in range(5, len(query) + 1):
            box.value = query[:end]
        await until(pilot, lambda: bool(parsed))
        await pilot.pause(0.5)
        assert parsed == [query]
        assert screen.list_state.filter.statuses


async def test_a_key_typed_on_its_own_is_filtered_without_waiting(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No burst: the filter runs right after the frame that echoes the key."""
    from tui.console.screens import main
    from tui.console.widgets.search_box import SearchBox

    monkeypatch.setattr(main, "BURST_QUIET", 60.0)  # a wait would never end in this test
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        screen.query_one(SearchBox).value = "status:failed"  # one change, as a paste event is
        await pilot.pause()
        await pilot.pause()
        assert screen.list_state.filter.statuses


LINES_BEFORE = Content.assemble(
    ("status      ", "dim"), ("✔ completed", "green"), "\n", "created     2026-03-14 (3m ago)\n",
    "user        alice\n", "message     -",
)  # fmt: skip
LINES_AFTER = [
    LINES_BEFORE,  # nothing changed
    Content.assemble(
        ("status      ", "dim"),
        ("✔ completed", "red"),
        "\n",
        "created     2026-03-14 (4m ago)\n",
        "user        alice\n",
        "message     -",
    ),  # a colour, and a digit
    Content.assemble(
        ("status      ", "dim"),
        ("✔ completed", "green"),
        "\n",
        "created     2026-03-14 (3m ago)\n",
        "user        bob\n",
        "message     a much longer message than before",
    ),  # shorter and longer lines
    Content.assemble(
        ("status      ", "dim"),
        ("✔ completed", "green"),
        "\n",
        "created\t2026-03-14 (3m ago)\n",
        "user        alice\n",
        "message     " + "x" * 200,
    ),  # a tab, a line wider than the widget: rendered whole
]


@pytest.mark.parametrize("after", LINES_AFTER)
async def test_a_line_repaint_view_finds_the_lines_a_whole_render_finds(after: Content) -> None:
    """Rendering only the lines whose text or styles differ finds the same lines, up to the
    same cells, as comparing two renders of the whole text."""

    app = LinesApp()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(LineRepaintView)
        view.shown = SameContent(LINES_BEFORE)
        await pilot.pause()
        width, height = view.size
        style = view.visual_style
        whole = changed_lines(
            Visual.to_strips(view, LINES_BEFORE, width, height, style),
            Visual.to_strips(view, after, width, height, style),
        )
        found = view._changed_lines(SameContent(LINES_BEFORE), SameContent(after))
    assert found == whole
    assert bool(found) == (after is not LINES_BEFORE)


async def test_a_typed_key_lets_the_output_thread_write_its_echo_before_filtering(
    make_app: AppFactory, settle: Settle, until: Until, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interpreter is let go of (a sleep) after the echo's frame, before the filter."""
    from tui.console.screens import main
    from tui.search import parse_filter as original

    seen: list[str] = []

    def parse_spy(query: str, **kwargs: Any) -> Any:
        seen.append(f"filter {query}")
        return original(query, **kwargs)

    def sleep_spy(seconds: float) -> None:
        seen.append(f"sleep {seconds}")

    monkeypatch.setattr(main, "parse_filter", parse_spy)
    monkeypatch.setattr(main, "sleep", sleep_spy)
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "e")
        await until(pilot, lambda: "filter e" in seen)
        assert seen[seen.index("filter e") - 1] == f"sleep {main.ECHO_OUT}"
        seen.clear()
        await pilot.press("enter")  # leaving filters what was typed, with nothing to echo
        await pilot.pause()
        assert not [step for step in seen if step.startswith("sleep")]
