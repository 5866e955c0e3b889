"""The events timeline: rows wrapped at the room shown, drawn again only when their look changes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.visual import Visual
from textual.widgets import Static

from tests.ui.bigdata import NOW, many_events_action
from tests.ui.harness import ThemedApp
from tests.ui.test_detail import nova_action
from tui.console.widgets import event_timeline
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.event_timeline import EventTimeline
from tui.console.widgets.timeline_rows import TimelineRow, row_content
from tui.model import Action, Status


class TimelineApp(ThemedApp):
    def compose(self) -> ComposeResult:
        yield Static("above")
        yield EventTimeline(id="timeline")


class PaneApp(ThemedApp):
    def compose(self) -> ComposeResult:
        yield DetailPane(None, now=lambda: NOW, age_refresh=None)


@asynccontextmanager
async def _pane_showing(
    count: int,
) -> AsyncIterator[tuple[Pilot[None], DetailPane, EventTimeline]]:
    """A 100×30 pane showing a Nova action with ``count`` events, once it is drawn."""
    app = PaneApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(DetailPane)
        pane.action = many_events_action(count)
        await pilot.pause()
        yield pilot, pane, pane.query_one(EventTimeline)


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
    async with _pane_showing(200) as (pilot, pane, timeline):
        timeline.action_cursor_down()
        pilot.app.set_focus(None)
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
    async with _pane_showing(2) as (pilot, pane, timeline):
        before = timeline.show_vertical_scrollbar
        pane.action = many_events_action(2_000)  # the same action, refreshed
        await pilot.pause()
        await pilot.pause()
        room = timeline.scrollable_content_region.width
        widths = {timeline.render_line(y).cell_length for y in range(timeline.size.height)}
        after = timeline.show_vertical_scrollbar

    assert not before and after
    assert widths == {room}


async def test_opening_5000_events_builds_only_the_rows_on_screen(
    built: list[TimelineRow],
) -> None:
    async with _pane_showing(5_000) as (pilot, _, timeline):
        height = timeline.scrollable_content_region.height
        opened = timeline.built_rows
        first = {id(row) for row in built}
        await pilot.click(timeline, offset=(2, 1))  # nothing else: just to focus the list
        for _ in range(3):
            timeline.action_page_down()
        await pilot.pause()
        scrolled = timeline.built_rows
        timeline.action_last()
        await pilot.pause()
        last = timeline.built_rows
        shown_last = timeline.highlighted_event

    assert timeline.row_count == 5_050  # 50 headings and their attempts
    assert 1 <= opened <= height and len(first) == opened  # a screenful at most, each built once
    assert opened < scrolled <= opened + 4 * height  # the newly shown rows, not the ones between
    assert last <= scrolled + height + 1
    assert shown_last is not None and shown_last.name == "step_049"


async def test_every_row_on_screen_has_the_height_it_was_guessed_to_have() -> None:
    """Rows not yet seen count their lines; laid out, those on screen keep them: no relayout."""
    async with _pane_showing(5_000) as (pilot, _, timeline):
        guessed = timeline.virtual_size.height
        await pilot.pause()
        timeline.action_last()
        await pilot.pause()
        after = timeline.virtual_size.height
        rows = timeline.row_contents()

    assert guessed == after == sum(len(row.plain.split("\n")) for row in rows)


async def test_the_cursor_follows_its_attempt_when_the_rows_change_shape() -> None:
    action = many_events_action(300)
    app = PaneApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(DetailPane)
        pane.action = action
        await pilot.pause()
        timeline = pane.query_one(EventTimeline)
        pane.focus_body()
        for key in ("G", "k", "k"):
            await pilot.press(key)
        chosen = timeline.highlighted_event
        row = timeline.cursor
        newer = replace(action.events[0], name="step_new", started_at=NOW)
        pane.action = replace(action, events=(newer, *action.events))  # the fetched detail
        await pilot.pause()
        followed = timeline.highlighted_event
        moved = timeline.cursor
        top, bottom = timeline.scroll_offset.y, timeline.scroll_offset.y + timeline.size.height
        start = sum(len(c.plain.split("\n")) for c in timeline.row_contents()[: moved or 0])

    assert chosen is not None and followed == chosen
    assert row is not None and moved == row  # the new group comes after it (newest last)
    assert top <= start < bottom  # and it is still on screen


async def test_a_look_that_comes_back_is_drawn_once_each_time(built: list[TimelineRow]) -> None:
    """Focus, blur, focus: the cursor row is drawn again for each change, not on every paint."""
    async with _pane_showing(200) as (pilot, pane, timeline):
        pane.focus_body()
        timeline.action_cursor_down()
        await pilot.pause()
        counts = []
        for focus in (False, True, False):
            built.clear()
            if focus:
                pane.focus_body()
            else:
                pilot.app.set_focus(None)
            await pilot.pause()
            timeline.refresh()  # paint again, looks unchanged: nothing is built
            await pilot.pause()
            counts.append(len(built))

    assert all(1 <= count <= 2 for count in counts), counts


@pytest.mark.parametrize("width", [30, 61, 98])
async def test_rows_are_drawn_as_textual_draws_their_text(width: int) -> None:
    """Each pre-wrapped line drawn on its own reads as ``Visual.to_strips`` draws the row:
    same cells, styles (theme colours resolved) and offsets; folded lines included."""
    long_name = replace(nova_action().events[0], name="x" * 120, details="y" * 150)
    action = replace(nova_action(), events=(long_name, *nova_action().events))
    app = TimelineApp()
    async with app.run_test(size=(100, 30)) as pilot:
        timeline = app.query_one(EventTimeline)
        timeline.show_action(action, NOW, keep_cursor=False)
        await pilot.pause()
        style = timeline.visual_style
        contents = [row_content(row, NOW, "", width) for row in timeline._rows]
        drawn = [event_timeline.row_strips(timeline, c, width, style) for c in contents]
        textual = [Visual.to_strips(timeline, c, width, None, style) for c in contents]

    assert any(line.cell_length > width for c in contents for line in c.split("\n"))
    assert drawn == textual
    assert [[list(s) for s in row] for row in drawn] == [[list(s) for s in row] for row in textual]


def _lines(timeline: EventTimeline) -> list[str]:
    return [timeline.render_line(y).text for y in range(timeline.scrollable_content_region.height)]


def _copy(action: Action) -> Action:
    """The same action with a new events tuple: nothing kept for it applies."""
    return replace(action, events=tuple(list(action.events)))


async def test_an_action_shown_again_renders_none_of_its_rows_again(
    built: list[TimelineRow],
) -> None:
    app = TimelineApp()
    first, other = many_events_action(200), many_events_action(10)
    async with app.run_test(size=(100, 30)) as pilot:
        timeline = app.query_one(EventTimeline)
        timeline.show_action(first, NOW, keep_cursor=False)
        await pilot.pause()
        before = _lines(timeline)
        timeline.show_action(other, NOW, keep_cursor=False)
        await pilot.pause()
        built.clear()
        timeline.show_action(first, NOW, keep_cursor=False)
        await pilot.pause()
        again = _lines(timeline)

    assert again == before
    assert built == []  # not a heading, not an attempt


def _running(count: int) -> Action:
    """``count`` finished attempts and a last one still running."""
    action = many_events_action(count)
    last = replace(action.events[0], result=None, finished_at=None, traceback=None)
    return replace(action, status=Status.RUNNING, events=(last, *action.events[1:]))


@pytest.mark.parametrize("change", ["clock", "theme", "width"])
async def test_an_action_shown_again_reads_as_it_would_shown_afresh(change: str) -> None:
    """Shown again after the clock moved, the theme or the width changed, the kept rows are
    not used as they were: the timeline reads as the same action shown for the first time."""
    app = TimelineApp()
    action, other = _running(30), many_events_action(10)
    later = NOW + timedelta(minutes=7) if change == "clock" else NOW
    async with app.run_test(size=(100, 30)) as pilot:
        timeline = app.query_one(EventTimeline)
        timeline.show_action(action, NOW, keep_cursor=False)
        timeline.action_last()  # the running attempt on screen
        await pilot.pause()
        before = _lines(timeline)
        timeline.show_action(other, NOW, keep_cursor=False)
        await pilot.pause()
        if change == "theme":
            app.theme = "actiondeck-light"
        if change == "width":
            await pilot.resize_terminal(70, 30)
        await pilot.pause()
        timeline.show_action(action, later, keep_cursor=False)
        timeline.action_last()
        await pilot.pause()
        again = [timeline.render_line(y) for y in range(timeline.size.height)]
        timeline.show_action(_copy(action), later, keep_cursor=False)
        timeline.action_last()
        await pilot.pause()
        fresh = [timeline.render_line(y) for y in range(timeline.size.height)]

    assert [strip.text for strip in again] == [strip.text for strip in fresh]
    assert again == fresh  # the styles too
    if change != "theme":
        assert [strip.text for strip in again] != before
