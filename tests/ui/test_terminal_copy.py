"""A repaint sends only the cells the terminal does not already show, and the screen stays right.

The console keeps a copy of what its terminal shows (:mod:`tui.console.terminal_copy`)
and trims each piece Textual would resend to the cells that read otherwise.
These tests paint through the recording driver of :mod:`tests.helpers.terminal`,
count what is sent, and replay everything sent into a screen that must look
exactly like a full repaint of the app as it is.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip

from tests.helpers.app import AppFactory, Settle
from tests.helpers.terminal import (
    full_paint,
    looks,
    record_terminal,
    replay,
    terminal_output,
)
from tests.ui.test_detail import DetailApp, at, nova_action
from tests.ui.test_quiet_terminal import MOVE, output_of, places_written
from tui.console.terminal_cells import (
    UNKNOWN,
    Cells,
    changed_span,
    line_cells,
    segment_offsets,
    strip_cells,
)
from tui.console.terminal_copy import QuietTerminalApp, TerminalCopy
from tui.console.terminal_pen import Pen
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.event_timeline import EventTimeline
from tui.console.widgets.fields import FieldList
from tui.model import Status

SIZE = (100, 36)
"""Narrower than the pane's two columns: the fields stack, the times under the identity."""

WHITE_ON_BLACK = Style(color="white", bgcolor="black")
GREY_ON_BLACK = Style(color="grey50", bgcolor="black")


@pytest.fixture(autouse=True)
def recording(monkeypatch: pytest.MonkeyPatch) -> None:
    record_terminal(monkeypatch)


class QuietDetailApp(QuietTerminalApp[None], DetailApp):
    """The pane alone, writing through a copy of its terminal as the console does."""


def strip(text: str, style: Style = WHITE_ON_BLACK) -> Strip:
    return Strip([Segment(text, style)])


def test_blanks_look_alike_whatever_their_text_colour_but_not_on_another_background() -> None:
    truecolor = ColorSystem.TRUECOLOR
    white = strip_cells(strip("  "), truecolor)
    grey = strip_cells(strip("  ", GREY_ON_BLACK), truecolor)
    on_red = strip_cells(strip("  ", Style(color="white", bgcolor="red")), truecolor)
    underlined = strip_cells(strip("  ", WHITE_ON_BLACK + Style(underline=True)), truecolor)
    assert white == grey
    assert white != on_red and white != underlined
    assert strip_cells(strip("ab"), truecolor) != strip_cells(strip("ab", GREY_ON_BLACK), truecolor)


def test_a_wide_or_control_character_is_never_taken_as_known() -> None:
    pieces = Strip([Segment(text, WHITE_ON_BLACK) for text in ("a", "中", "b", "\x07")])
    cells = strip_cells(pieces, ColorSystem.TRUECOLOR)
    assert len(cells) == 4 and cells.chars[1] is UNKNOWN and cells.chars[2] is UNKNOWN
    assert cells.chars[3] == "b"  # the control character takes no cell
    assert changed_span(cells, cells.part(0, 4)) == (1, 3)  # the same again is still resent


def test_changed_span_is_from_the_first_to_the_last_cell_that_differs() -> None:
    def cells(text: str) -> Cells:
        return strip_cells(strip(text), ColorSystem.TRUECOLOR)

    assert changed_span(cells("created (12s)"), cells("created (17s)")) == (10, 11)
    assert changed_span(cells("abc"), cells("abc")) is None
    assert changed_span(cells("abc"), cells("xbz")) == (0, 3)


def chops_update(line: int, x: int, piece: Strip, width: int) -> ChopsUpdate:
    """Textual's update of one piece of one line of a ``width``-cell screen, one line high."""
    chops: list[dict[int, Strip | None]] = [{} for _ in range(line + 1)]
    ends: list[list[int]] = [[] for _ in range(line + 1)]
    chops[line] = {0: None, x: piece} if x else {0: piece}
    ends[line] = [x, width] if x else [width]
    return ChopsUpdate(chops, [(line, x, x + piece.cell_length)], ends)


def written(update: object, console: Console) -> str:
    """What ``update`` sends to the terminal."""
    assert isinstance(update, CompositorUpdate)
    return update.render_segments(console)


def test_a_piece_is_cut_to_what_changed_and_one_that_changed_nothing_is_not_sent() -> None:
    console = Console(color_system="truecolor", force_terminal=True)
    copy = TerminalCopy()
    seed = copy.update_for(LayoutUpdate([[strip("created (12s ago)   ")]], Region(0, 0, 20, 1)))
    written(seed, console)
    assert copy.known

    same = copy.update_for(chops_update(0, 0, strip("created (12s ago)   "), 20))
    assert same.render_segments(console) == ""  # type: ignore[attr-defined]
    moved = copy.update_for(chops_update(0, 0, strip("created (17s ago)   "), 20))
    sent = written(moved, console)
    assert MOVE.findall(sent) == [("1", "11")] and "7" in sent and "created" not in sent

    assert copy.update_for("anything else") == "anything else"
    assert not copy.known  # it cannot follow that: updates go out whole until a full repaint
    whole = copy.update_for(chops_update(0, 0, strip("created (17s ago)   "), 20))
    assert "created" in written(whole, console)


def test_each_span_over_one_piece_writes_only_its_own_changes() -> None:
    """A line piece that two dirty spans touch: each span's changed cells go out alone."""
    console = Console(color_system="truecolor", force_terminal=True)
    copy = TerminalCopy()
    written(
        copy.update_for(LayoutUpdate([[strip("abcdefghij" + " " * 10)]], Region(0, 0, 20, 1))),
        console,
    )
    piece = Strip([Segment("aXcdef", WHITE_ON_BLACK), Segment("ghYj" + " " * 10, WHITE_ON_BLACK)])
    update = ChopsUpdate([{0: piece}], [(0, 1, 2), (0, 8, 9)], [[20]])
    sent = written(copy.update_for(update), console)
    assert places_written(sent) == [(1, 0), (8, 0)]
    assert "X" in sent and "Y" in sent and "c" not in sent and "h" not in sent
    screen = replay(sent, (20, 1), replay(full_paint_of(strip("abcdefghij" + " " * 10)), (20, 1)))
    assert "".join(char for char, _ in screen[0]) == "aXcdefghYj" + " " * 10
    assert written(copy.update_for(update), console) == ""  # the copy learnt both


def full_paint_of(line: Strip) -> str:
    """A line as Textual writes it at the top left of the screen."""
    console = Console(color_system="truecolor", force_terminal=True)
    return "\x1b[1;1H" + line.render(console)


def test_a_segment_cut_short_is_keyed_as_if_it_ended_there() -> None:
    """Blanks that end a piece show their background only, even when kept cells had text after."""
    truecolor = ColorSystem.TRUECOLOR
    whole = [Segment("ab  cd", WHITE_ON_BLACK)]
    line_cells(whole, 6, truecolor)  # its cells are kept now
    cut = line_cells(whole, 4, truecolor)
    assert cut == strip_cells(strip("ab  "), truecolor)
    inside = line_cells(whole, 6, truecolor).keys[2:4]  # blanks between text: its whole style
    assert cut.keys[2:4] != inside
    assert cut.keys[2:4] == strip_cells(strip("  ", GREY_ON_BLACK), truecolor).keys
    wide = [Segment("中中", WHITE_ON_BLACK), Segment("z", WHITE_ON_BLACK)]
    line_cells(wide, 5, truecolor)
    assert line_cells(wide, 3, truecolor).chars == [UNKNOWN] * 3


def test_segment_offsets_count_cells_as_the_pen_does() -> None:
    segments = [Segment(text) for text in ("ab", "中", "", "\x07", "cd")]
    assert segment_offsets(segments) == [0, 2, 4, 4, 4]


def test_pieces_in_one_style_share_its_codes_and_look_as_textual_sends_them() -> None:
    console = Console(color_system="truecolor", force_terminal=True)
    black_on_blue = Style(color="#000000", bgcolor="#00007f", bold=True)
    pieces = [
        (90, 20, strip("12", black_on_blue)),
        (90, 21, strip("34", black_on_blue)),
        (0, 22, Strip([Segment("a", WHITE_ON_BLACK), Segment("b"), Segment("c", black_on_blue)])),
    ]
    pen = Pen(ColorSystem.TRUECOLOR, 120)
    for x, y, piece in pieces:
        pen.write(x, y, list(piece), 0, piece.cell_length)
    sent = pen.done()
    textual = "".join(f"\x1b[{y + 1};{x + 1}H" + piece.render(console) for x, y, piece in pieces)

    assert looks(replay(sent, (120, 23))) == looks(replay(textual, (120, 23)))
    assert sent.count("38;2;0;0;0") == 2 and len(sent) < len(textual)  # "12" and "34": once
    assert sent.endswith("\x1b[0m")
    assert "\x1b[B\x1b[2D" in sent  # from after "12" to under it: down one, back two


async def test_fields_growing_by_a_line_resend_no_blank_line_of_the_events_and_no_repeat() -> None:
    action = nova_action(status=Status.RUNNING)
    app = QuietDetailApp(replace(action, updated_at=None))
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(DetailPane)
        timeline = pane.query_one(EventTimeline)
        await pilot.pause()
        top = timeline.region.y

        def fetched() -> None:  # the fetched detail brings an "updated" time: one more line
            pane.action = replace(action, updated_at=at(-5))

        grown = await output_of(app, pilot, fetched)
        region = timeline.region
        rows_end = region.y + timeline.virtual_size.height
        again = await output_of(app, pilot, pane.refresh_ages)  # the same time: nothing moves

    assert region.y == top + 1  # the events moved down a line: their rows are resent
    written = {y for x, y in places_written(grown) if region.contains(x, y)}
    assert written and max(written) < rows_end  # but none of the blank lines under them
    assert len(again.encode()) < 200  # and nothing again at the next refresh (it was 2.5 KB)


async def test_an_age_moving_resends_its_digits_not_its_line() -> None:
    app = QuietDetailApp(nova_action(status=Status.RUNNING))
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(DetailPane)
        times = pane.query_one("#detail-times", FieldList)
        await pilot.pause()

        def later() -> None:
            app._now = app._now + timedelta(seconds=60)
            pane.refresh_ages()

        out = await output_of(app, pilot, later)
        region = times.region

    pieces = [
        chunk
        for y, x, chunk in zip(*[iter(MOVE.split(out)[1:])] * 3, strict=True)
        if region.contains(int(x) - 1, int(y) - 1)
    ]
    assert pieces  # the ages moved
    assert all("UTC" not in piece and len(piece.encode()) < 48 for piece in pieces)


async def test_no_piece_is_an_empty_cursor_move() -> None:
    app = QuietDetailApp(nova_action())
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(DetailPane)
        await pilot.pause()
        running = nova_action(Status.RUNNING)
        out = await output_of(app, pilot, lambda: setattr(pane, "action", running))
    frames = [frame for frame in out.split("\x1b[?2026l") if frame.strip()]
    for frame in frames:
        parts = MOVE.split(frame)[1:]
        chunks = parts[2::3][:-1]  # the last move of a frame puts the cursor back
        assert all(chunk.replace("\x1b[?2026h", "").strip("\n") for chunk in chunks)


async def replayed_matches_a_full_paint(app: QuietTerminalApp[int], pilot: Pilot[int]) -> None:
    await pilot.pause()
    await pilot.pause()
    size = (app.size.width, app.size.height)
    sent = looks(replay(terminal_output(app), size))
    assert sent == looks(replay(full_paint(app), size))


async def test_the_terminal_shows_what_a_full_repaint_would_after_any_keys(
    make_app: AppFactory, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await replayed_matches_a_full_paint(app, pilot)
        for keys in (["j"], ["j", "j"], ["pagedown"], ["k"], ["v"], ["v"], ["question_mark"],
                     ["escape"], ["slash", *"status:failed", "escape"], ["g"]):  # fmt: skip
            await pilot.press(*keys)
            await replayed_matches_a_full_paint(app, pilot)
        await pilot.resize_terminal(100, 30)
        await replayed_matches_a_full_paint(app, pilot)
        await pilot.press("j")
        await replayed_matches_a_full_paint(app, pilot)


async def test_after_another_program_had_the_terminal_the_screen_is_repainted_whole() -> None:
    app = QuietDetailApp(nova_action())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        copy = app._terminal_copy
        assert copy is not None and copy.known
        app.app_suspend_signal.publish(app)
        await pilot.pause()
        assert not copy.known  # what the other program drew is not what the copy holds
        resumed = await output_of(app, pilot, lambda: app.app_resume_signal.publish(app))
        assert copy.known  # learnt again from the whole repaint
        height = app.size.height
    assert {y for _, y in places_written(resumed)} == set(range(height))


async def test_ctrl_l_repaints_the_whole_screen(make_app: AppFactory, settle: Settle) -> None:
    """Another program's text over the console (a `wall` message) goes with one key."""
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.poller.pause()  # nothing else changes while the key is answered
        await pilot.pause()
        before = len(terminal_output(app))
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.pause()
        redrawn = terminal_output(app)[before:]
        height = app.size.height
    assert {y for _, y in places_written(redrawn)} == set(range(height))
