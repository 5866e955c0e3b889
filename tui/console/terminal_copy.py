"""What the terminal shows, cell by cell, so that a repaint sends only the cells that differ.

Textual repaints conservatively: a widget that moved or changed size is
resent whole, blank lines and trailing blanks included, and often once more
in the next frame (a container's new virtual size, a resized widget's own
dirty region); a dirty piece of a line is resent from the piece's start.
:class:`TerminalCopy` keeps what the app last wrote to each cell (its
character and the escape codes of its style) and trims each piece of a
partial update to the span of cells that read otherwise, dropping pieces
that changed nothing. What reaches the terminal is the same screen; only
cells it already shows are left out.

It works on Textual's compositor updates (``ChopsUpdate``, ``LayoutUpdate``),
which Textual does not document: anything else, or any update whose shape is
not the expected one, makes the copy forget what it knew, and updates then
go out as Textual made them until the next full repaint teaches it the
screen again. A cell holding anything but one single-width character (a
wide or combining character, a control code) is never taken as known, so it
is always resent. This module draws nothing itself and never writes to the
terminal: the app writes what it returns. :class:`QuietTerminalApp` is the
Textual app that writes through a copy.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar, cast

from rich.color import ColorSystem
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.app import App
from textual.screen import Screen
from textual.strip import Strip

from tui.console.terminal_cells import (
    Cells,
    changed_span,
    line_cells,
    segment_offsets,
    strip_cells,
)
from tui.console.terminal_pen import Pen

ReturnType = TypeVar("ReturnType")


def _color_system(console: Console) -> ColorSystem:
    """The colour system Textual renders strips with (``Strip.render`` picks it the same way)."""
    system = getattr(console, "_color_system", None)
    return system if isinstance(system, ColorSystem) else ColorSystem.TRUECOLOR


class TrimmedUpdate(CompositorUpdate):
    """A partial update that writes only the cells of each piece the terminal does not show."""

    def __init__(self, update: ChopsUpdate, copy: TerminalCopy) -> None:
        """Trim ``update`` against ``copy`` when rendered (``copy`` learns what it writes)."""
        self._update = update
        self._copy = copy
        self._rendered: str | None = None

    def render_segments(self, console: Console) -> str:
        """The escape sequences for the cells that change (once: the copy learns them)."""
        if self._rendered is None:
            self._rendered = self._copy.render_trimmed(self._update, console)
        return self._rendered

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """As a Rich renderable: the update as Textual made it (the copy learns nothing)."""
        yield from self._update.__rich_console__(console, options)


class TerminalCopy:
    """The cells the app has written to its terminal, as far as it knows them."""

    def __init__(self) -> None:
        """Start knowing nothing (the first full repaint teaches the screen)."""
        self._lines: list[Cells | tuple[int, list[Strip]]] | None = None
        """Each line's cells, or where a full repaint's strips start and the strips."""
        self._color_system = ColorSystem.TRUECOLOR
        """The colour system of the last full repaint (its strips' keys)."""

    @property
    def known(self) -> bool:
        """Whether the copy knows the screen (else updates pass through as they are)."""
        return self._lines is not None

    def forget(self) -> None:
        """Something else may have drawn on the terminal: trust nothing until a full repaint."""
        self._lines = None

    def update_for(self, update: object) -> object:
        """What to write for ``update``: trimmed when partial and the screen is known.

        A full repaint is written as it is and teaches the copy the screen;
        anything the copy cannot follow makes it forget.
        """
        if type(update) is LayoutUpdate:
            return _Seeding(update, self)
        if type(update) is ChopsUpdate and self._lines is not None and _chops_shape(update):
            return TrimmedUpdate(update, self)
        if update is not None:
            self.forget()
        return update

    def seed(self, update: LayoutUpdate, console: Console) -> None:
        """Learn the screen from a full repaint (each line's cells worked out when first needed)."""
        region = update.region
        self._color_system = _color_system(console)
        self._lines = [_unknown(region.width) for _ in range(region.y)]
        self._lines += [(region.x, list(line)) for line in update.strips]

    def render_trimmed(self, update: ChopsUpdate, console: Console) -> str:
        """Escape sequences for ``update``'s pieces, each cut to the cells that change.

        A line's piece that several dirty spans touch has its cells worked
        out once; each span then writes what changed between the end of the
        span before it and its own end, as if each were a piece of its own.
        """
        if self._lines is None:
            return update.render_segments(console)
        color_system = _color_system(console)
        pen = Pen(color_system, _screen_width(update))
        for y, x, segments, ends in _pieces(update):
            self._trim_piece(pen, y, x, segments, ends, color_system)
        return pen.done()

    def _trim_piece(
        self,
        pen: Pen,
        y: int,
        x: int,
        segments: list[Segment],
        ends: list[int],
        color_system: ColorSystem,
    ) -> None:
        """Write what changed of one piece at (``x``, ``y``), up to each of ``ends`` in turn."""
        line = self._line(y)
        cells = line_cells(segments, ends[-1] - x, color_system)
        stop = x + len(cells)
        if len(line) < stop:
            line.unknown(stop - len(line))
        offsets: list[int] | None = None
        start = x
        for end in ends:
            end = min(end, stop)
            if end <= start:
                continue
            new, shown = cells.part(start - x, end - x), line.part(start, end)
            if not shown.same_as(new):
                line.put(start, new)
                span = changed_span(shown, new)
                if span is not None:
                    offsets = offsets or segment_offsets(segments)
                    first = bisect_right(offsets, start - x + span[0]) - 1
                    at = x + offsets[first]
                    pen.write(at, y, segments[first:], start + span[0] - at, start + span[1] - at)
            start = end

    def _line(self, y: int) -> Cells:
        """Line ``y``'s cells (worked out now if a full repaint left it as strips)."""
        lines = self._lines
        assert lines is not None
        while len(lines) <= y:
            lines.append(Cells())
        line = lines[y]
        if isinstance(line, Cells):
            return line
        x, strips = line
        cells = _unknown(x)
        for strip in strips:
            cells.put(len(cells), strip_cells(strip, self._color_system))
        lines[y] = cells
        return cells


def _unknown(width: int) -> Cells:
    cells = Cells()
    cells.unknown(width)
    return cells


class _Seeding(CompositorUpdate):
    """A full repaint, written as Textual made it, that teaches the copy the screen."""

    def __init__(self, update: LayoutUpdate, copy: TerminalCopy) -> None:
        self._update = update
        self._copy = copy

    def render_segments(self, console: Console) -> str:
        """The full repaint's escape sequences (the copy learns the screen from it)."""
        self._copy.seed(self._update, console)
        return self._update.render_segments(console)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """As a Rich renderable: the repaint as Textual made it."""
        yield from self._update.__rich_console__(console, options)


def _chops_shape(update: ChopsUpdate) -> bool:
    """Whether ``update`` holds what this module reads (Textual's own attributes)."""
    return all(hasattr(update, name) for name in ("chops", "spans", "chop_ends"))


def _screen_width(update: ChopsUpdate) -> int:
    """How wide the screen is: where its lines' last pieces end."""
    return max((ends[-1] for ends in update.chop_ends if ends), default=0)


def _pieces(update: ChopsUpdate) -> Iterable[tuple[int, int, list[Segment], list[int]]]:
    """``(y, x, segments, ends)`` of each piece Textual would write (``render_segments``).

    ``ends`` are where the dirty spans that touch the piece stop on the line
    (in order): Textual writes the piece once per span, from its start (at
    most) to that end.
    """
    chops: Sequence[Mapping[int, Strip | None]] = update.chops
    chop_ends: list[list[int]] = update.chop_ends
    spans: dict[int, list[tuple[int, int]]] = {}
    for y, x1, x2 in update.spans:
        spans.setdefault(y, []).append((x1, x2))
    for y, line_spans in spans.items():
        for end, (x, strip) in zip(chop_ends[y], chops[y].items(), strict=False):
            if strip is None:
                continue
            length = strip.cell_length
            stops = sorted(
                x + length if x2 > x >= x1 and end <= x2 else x + min(length, min(end, x2) - x)
                for x1, x2 in line_spans
                if not (x > x2 or end <= x1)
            )
            stops = [stop for stop in stops if stop > x]
            if stops:
                yield y, x, list(strip), stops


class QuietTerminalApp(App[ReturnType]):
    """A Textual app whose repaints send only the cells its terminal does not show yet."""

    _terminal_copy: TerminalCopy | None = None
    """What the terminal shows (made at the first write)."""

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        """Write an update, trimmed to the cells the terminal does not show yet."""
        copy = self._terminal_copy
        if copy is None:
            copy = self._terminal_copy = TerminalCopy()
            self.app_suspend_signal.subscribe(self, self._forget_terminal)
            self.app_resume_signal.subscribe(self, self._repaint_terminal)
        if self.is_inline or self._driver is None or self.is_headless:
            copy.forget()
            super()._display(screen, renderable)
            return
        super()._display(screen, cast("RenderableType | None", copy.update_for(renderable)))

    def action_redraw(self) -> None:
        """Repaint the whole screen (a message from another program scribbled on it)."""
        self._repaint_terminal()

    def _forget_terminal(self, _app: object = None) -> None:
        """Another program gets the terminal: trust nothing it shows."""
        if self._terminal_copy is not None:
            self._terminal_copy.forget()

    def _repaint_terminal(self, _app: object = None) -> None:
        """Back from another program: trust nothing shown, and repaint the screen whole."""
        self._forget_terminal()
        self.refresh()
