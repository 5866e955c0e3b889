"""The events timeline renders a row again only when its look changed (focus, theme)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import ComposeResult
from textual.widgets import Static

from tests.ui.bigdata import NOW, many_events_action
from tests.ui.harness import ThemedApp
from tui.console.widgets import event_timeline
from tui.console.widgets.event_timeline import EventTimeline
from tui.console.widgets.timeline_rows import TimelineRow, row_content


class TimelineApp(ThemedApp):
    def compose(self) -> ComposeResult:
        yield Static("above")
        yield EventTimeline(id="timeline")


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
    app = TimelineApp()
    async with app.run_test(size=(100, 30)) as pilot:
        timeline = app.query_one(EventTimeline)
        timeline.show_action(many_events_action(200), NOW, keep_cursor=False)
        timeline.action_cursor_down()
        app.set_focus(None)  # the app focused it at start
        await pilot.pause()
        blurred = timeline.get_visual_style("event-timeline--cursor").rich_style.bgcolor
        shown = len(built)
        built.clear()

        timeline.focus()
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

    assert shown > 5 and len({id(row) for row in built}) >= 8  # every row on screen
    assert str(background) in backgrounds
