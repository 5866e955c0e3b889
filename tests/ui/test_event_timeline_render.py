"""The events timeline: rows wrapped at the room shown, drawn again only when their look changes."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import ComposeResult
from textual.widgets import Static

from tests.ui.bigdata import NOW, many_events_action
from tests.ui.harness import ThemedApp
from tui.console.widgets import event_timeline
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.event_timeline import EventTimeline
from tui.console.widgets.timeline_rows import TimelineRow, row_content


class TimelineApp(ThemedApp):
    def compose(self) -> ComposeResult:
        yield Static("above")
        yield EventTimeline(id="timeline")


class PaneApp(ThemedApp):
    def compose(self) -> ComposeResult:
        yield DetailPane(None, now=lambda: NOW, age_refresh=None)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[TimelineRow]:
    """Every row whose text is built (a row is built when it is rendered)."""
    rows: list[TimelineRow] = []
    real = row_content

    def spy(row: TimelineRow, *args: Any) -> Any:
        rows.append(row)
        return real(row, *args)

    monkeypatch.setattr(event_timeline, "row_content", spy)
    return rows


def _backgrounds(timeline: EventTimeline) -> set[str]:
    return {
        str(segment.style.bgcolor)
        for y in range(timeline.size.height)
        for segment in timeline.render_line(y)
        if segment.style is not None and segment.style.bgcolor is not None
    }


async def test_focus_renders_only_the_cursor_row_again(built: list[TimelineRow]) -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(DetailPane)
        pane.action = many_events_action(200)
        await pilot.pause()
        timeline = pane.query_one(EventTimeline)
        timeline.action_cursor_down()
        app.set_focus(None)
        await pilot.pause()
        blurred = timeline.get_visual_style("event-timeline--cursor").rich_style.bgcolor
        shown = len(built)
        built.clear()

        pane.focus_body()
        await pilot.pause()
        focused = timeline.get_visual_style("event-timeline--cursor").rich_style.bgcolor
        backgrounds = _backgrounds(timeline)

    assert shown > 5  # a screenful of rows was rendered at first
    assert built and {id(row.event) for row in built} == {id(timeline.highlighted_event)}
    assert focused != blurred
    assert str(focused) in backgrounds and str(blurred) not in backgrounds


async def test_a_new_theme_renders_every_row_on_screen_again(built: list[TimelineRow]) -> None:
    app = TimelineApp()
    async with app.run_test(size=(100, 30)) as pilot:
        timeline = app.query_one(EventTimeline)
        timeline.show_action(many_events_action(200), NOW, keep_cursor=False)
        await pilot.pause()
        shown = len(built)
        built.clear()
        app.theme = "actiondeck-light"
        await pilot.pause()
        background = timeline.visual_style.rich_style.bgcolor
        backgrounds = _backgrounds(timeline)

    assert shown > 5 and len({id(row) for row in built}) >= 8  # the rows on screen
    assert str(background) in backgrounds


@pytest.mark.parametrize("count", [12, 2_000])
async def test_shown_from_an_empty_pane_the_rows_fit_beside_the_scrollbar(count: int) -> None:
    """Hidden until the action came, then given a scrollbar: rows are wrapped at what is left."""
    app = PaneApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(DetailPane)
        pane.action = many_events_action(count)
        await pilot.pause()
        await pilot.pause()
        timeline = pane.query_one(EventTimeline)
        room = timeline.scrollable_content_region.width
        widths = {timeline.render_line(y).cell_length for y in range(timeline.size.height)}
        scrollbar = timeline.show_vertical_scrollbar

    assert scrollbar
    assert widths == {room}


async def test_rows_that_come_to_need_a_scrollbar_are_wrapped_beside_it() -> None:
    """A refresh brings many more events: the scrollbar appears and the rows make room."""
    app = PaneApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(DetailPane)
        pane.action = many_events_action(2)
        await pilot.pause()
        timeline = pane.query_one(EventTimeline)
        before = timeline.show_vertical_scrollbar
        pane.action = many_events_action(2_000)  # the same action, refreshed
        await pilot.pause()
        await pilot.pause()
        room = timeline.scrollable_content_region.width
        widths = {timeline.render_line(y).cell_length for y in range(timeline.size.height)}
        after = timeline.show_vertical_scrollbar

    assert not before and after
    assert widths == {room}
