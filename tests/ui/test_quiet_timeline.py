"""The events timeline writes to the terminal only the cells that changed.

Each line on screen is compared with the one drawn there before: new events,
a moved cursor or a finished attempt resend the lines (and the cells) that
read otherwise, never the timeline's blank lines or the rows that stayed put.
Painted through the recording driver of :mod:`tests.helpers.terminal`.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

from tests.helpers.terminal import record_terminal
from tests.ui.test_detail import DetailApp, at, nova_action
from tests.ui.test_quiet_terminal import output_of, places_written
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.event_timeline import EventTimeline, changed_cells
from tui.model import Event, Status


@pytest.fixture(autouse=True)
def recording(monkeypatch: pytest.MonkeyPatch) -> None:
    record_terminal(monkeypatch)


def lines_in(region: Region, output: str) -> set[int]:
    """The screen lines ``output`` writes text to inside ``region``."""
    return {y for x, y in places_written(output) if region.contains(x, y)}


async def test_a_new_event_rewrites_the_lines_that_moved_not_the_blank_ones() -> None:
    action = nova_action(status=Status.RUNNING)
    app = DetailApp(action)
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        timeline = pane.query_one(EventTimeline)
        await pilot.pause()
        region = timeline.region
        rows_end = region.y + timeline.virtual_size.height
        newer = Event(name="compute_confirm_resize", started_at=at(-5))

        def fetched() -> None:  # the fetched detail brings one more event, at the end
            pane.action = replace(action, events=(newer, *action.events))

        out = await output_of(app, pilot, fetched)
        written = lines_in(region, out)
        grown_end = region.y + timeline.virtual_size.height

    assert written  # the new heading and attempt
    assert max(written) < grown_end <= region.bottom  # no blank line below the rows
    assert min(written) >= rows_end - 1  # the rows above stayed put: not written again


async def test_a_cursor_move_rewrites_the_two_attempts_it_left_and_reached() -> None:
    app = DetailApp(nova_action())
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        timeline = pane.query_one(EventTimeline)
        pane.focus_body()
        await pilot.press("j")
        await pilot.pause()

        def down() -> None:
            timeline.action_cursor_down()

        out = await output_of(app, pilot, down)
        written = lines_in(timeline.region, out)
        height = len(timeline.row_contents()[timeline.cursor or 0].plain.split("\n"))

    assert written and len(written) <= 2 * max(height, 3)  # the row it left, the row it reached
    assert len(out.encode()) < 3_000  # a whole repaint of the list is over 3 KB


def test_changed_cells_are_the_span_that_reads_otherwise() -> None:
    bold = Style(bold=True)
    old = Strip([Segment("  ● running  (3s so far)", None), Segment("   ", bold)])
    new = Strip([Segment("  ● running  (4s so far)", None), Segment("   ", bold)])
    assert changed_cells(old, old) is None
    assert changed_cells(old, new) == (14, 15)
    restyled = Strip([Segment("  ● running  (3s so far)", None), Segment("   ", None)])
    assert changed_cells(old, restyled) == (24, 27)
    shorter = Strip([Segment("  ● running", None)])
    assert changed_cells(old, shorter) == (11, 27)
    wide = Strip([Segment("日本", None)])
    assert changed_cells(Strip([Segment("ab", None)]), wide) == (0, 4)
