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

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar, cast

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.control import Control
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.app import App
from textual.screen import Screen
from textual.strip import Strip

ReturnType = TypeVar("ReturnType")

Cell = tuple[str, str, str | None]
"""A cell as the terminal shows it: its character, its style's SGR codes, its link."""

UNKNOWN: object = object()
"""A cell whose content is not known (never equal to what is written there)."""

_Line = list[Cell | object]


def _color_system(console: Console) -> ColorSystem:
    """The colour system Textual renders strips with (``Strip.render`` picks it the same way)."""
    system = getattr(console, "_color_system", None)
    return system if isinstance(system, ColorSystem) else ColorSystem.TRUECOLOR


def strip_cells(strip: Strip, color_system: ColorSystem) -> _Line:
    """The cells ``strip`` writes, in order; :data:`UNKNOWN` for any not plainly one character."""
    cells: _Line = []
    for text, style, _ in strip:
        if not text:
            continue
        if cell_len(text) != len(text) or not text.isprintable():
            cells += [UNKNOWN] * cell_len(text)
            continue
        codes, blank = _style_keys(style, color_system)
        cells += [blank if char == " " else (char, *codes) for char in text]
    return cells


_BLANK_MARKS = ("reverse", "underline", "underline2", "strike", "overline", "frame", "encircle")
"""Attributes that show on a blank cell (without them a blank shows its background only)."""

_keys: dict[tuple[Style, ColorSystem], tuple[tuple[str, str | None], Cell]] = {}
"""Each style's keys, worked out once (styles repeat; bounded by :data:`_KEYS_KEPT`)."""

_KEYS_KEPT = 4096


def _style_keys(
    style: Style | None, color_system: ColorSystem
) -> tuple[tuple[str, str | None], Cell]:
    """What a style sends to the terminal (SGR codes, link), and what a blank in it shows.

    A blank shows no foreground colour, weight or slant: two blanks on the
    same background look the same whatever their text style (meta sends nothing).
    """
    if style is None:
        return ("", None), (" ", "", None)
    found = _keys.get((style, color_system))
    if found is not None:
        return found
    codes = (Strip.render_ansi(style, color_system), style.link)
    if style.link or any(getattr(style, mark) for mark in _BLANK_MARKS):
        blank: Cell = (" ", *codes)
    else:
        background = style.bgcolor
        codes_bg = (
            () if background is None else background.downgrade(color_system).get_ansi_codes(False)
        )
        blank = (" ", "bg:" + ";".join(codes_bg), None)
    if len(_keys) >= _KEYS_KEPT:
        _keys.clear()
    _keys[(style, color_system)] = found = (codes, blank)
    return found


def changed_span(shown: Sequence[object], new: Sequence[object]) -> tuple[int, int] | None:
    """``(first, end)``: the cells of ``new`` that differ from ``shown`` (``None``: none do)."""
    length = len(new)
    first = 0
    while first < length and new[first] is not UNKNOWN and new[first] == shown[first]:
        first += 1
    if first == length:
        return None
    end = length
    while end > first and new[end - 1] is not UNKNOWN and new[end - 1] == shown[end - 1]:
        end -= 1
    return first, end


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
        self._lines: list[_Line] | None = None

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
        """Learn the screen from a full repaint (what it writes, line by line)."""
        color_system = _color_system(console)
        region = update.region
        lines: list[_Line] = []
        for line in update.strips:
            cells: _Line = [UNKNOWN] * region.x
            for strip in line:
                cells += strip_cells(strip, color_system)
            lines.append(cells)
        self._lines = [[UNKNOWN] * region.width for _ in range(region.y)] + lines

    def render_trimmed(self, update: ChopsUpdate, console: Console) -> str:
        """Escape sequences for ``update``'s pieces, each cut to the cells that change."""
        lines = self._lines
        if lines is None:
            return update.render_segments(console)
        color_system = _color_system(console)
        pen = Pen(color_system, _screen_width(update))
        for y, x, strip in _pieces(update):
            line = self._line(y, x + strip.cell_length)
            cells = strip_cells(strip, color_system)
            if len(cells) != strip.cell_length:  # not what the cells say: write it whole
                cells = [UNKNOWN] * strip.cell_length
            span = changed_span(line[x : x + len(cells)], cells)
            line[x : x + len(cells)] = cells
            if span is not None:
                first, end = span
                pen.write(x + first, y, strip.crop(first, end))
        return pen.done()

    def _line(self, y: int, width: int) -> _Line:
        lines = self._lines
        assert lines is not None
        while len(lines) <= y:
            lines.append([])
        line = lines[y]
        if len(line) < width:
            line += [UNKNOWN] * (width - len(line))
        return line


class Pen:
    """Writes pieces of lines, sending a style's codes only when the style changes.

    Textual sends every segment as ``ESC[codes m text ESC[0m``; a run of
    pieces in one style (the digits of a column ticking on several rows, the
    cells of one row) needs its codes once: the cursor moves between them
    keep the attributes. A new style starts with a reset (``ESC[0;codes m``),
    so nothing of the last one is left; the last piece ends with one.

    The cursor goes to each piece by the shorter of an absolute move
    (``ESC[y;xH``) and relative ones (``ESC[nB`` down, ``ESC[nC`` right…)
    when it is known where the last piece left it: after plain single-width
    text that did not reach the last column (where terminals differ).
    """

    def __init__(self, color_system: ColorSystem, width: int) -> None:
        """A pen for a screen ``width`` cells wide, with no style in force."""
        self._color_system = color_system
        self._width = width
        self._out: list[str] = []
        self._codes = ""
        """The SGR codes in force ("": none)."""
        self._at: tuple[int, int] | None = None
        """Where the cursor is, when that is known."""

    def write(self, x: int, y: int, strip: Strip) -> None:
        """Move to (``x``, ``y``) and write ``strip`` there."""
        out = self._out
        out.append(self._move(x, y))
        end = x + strip.cell_length
        self._at = (end, y) if end < self._width else None
        for text, style, _ in strip:
            if len(text) != cell_len(text) or not text.isprintable():
                self._at = None
            if style is not None and style.link:  # as Textual sends it, link and reset
                self._set("")
                out.append(Strip.render_style(style, text, self._color_system))
                continue
            self._set("" if style is None else Strip.render_ansi(style, self._color_system))
            out.append(text)

    def _move(self, x: int, y: int) -> str:
        """The shortest sequence that puts the cursor at (``x``, ``y``)."""
        absolute = Control.move_to(x, y).segment.text
        if self._at is None:
            return absolute
        dx, dy = x - self._at[0], y - self._at[1]
        relative = _step(dy, "B", "A") + _step(dx, "C", "D")
        return relative if len(relative) < len(absolute) else absolute

    def _set(self, codes: str) -> None:
        if codes != self._codes:
            self._out.append(f"\x1b[0;{codes}m" if codes else "\x1b[0m")
            self._codes = codes

    def done(self) -> str:
        """Everything written, ending with the attributes reset."""
        self._set("")
        return "".join(self._out)


def _step(cells: int, forward: str, back: str) -> str:
    """A relative cursor move of ``cells`` (``ESC[B``, ``ESC[3D``…), "" for none."""
    if not cells:
        return ""
    count = "" if abs(cells) == 1 else str(abs(cells))
    return f"\x1b[{count}{forward if cells > 0 else back}"


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


def _pieces(update: ChopsUpdate) -> Iterable[tuple[int, int, Strip]]:
    """``(y, x, strip)``: each piece Textual would write (as ``ChopsUpdate.render_segments``)."""
    chops: Sequence[Mapping[int, Strip | None]] = update.chops
    chop_ends: list[list[int]] = update.chop_ends
    for y, x1, x2 in update.spans:
        for end, (x, strip) in zip(chop_ends[y], chops[y].items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if not (x2 > x >= x1 and end <= x2):
                strip = strip.crop(0, min(end, x2) - x)
            if strip.cell_length:
                yield y, x, strip


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
            self.app_resume_signal.subscribe(self, self._forget_terminal)
        if self.is_inline or self._driver is None or self.is_headless:
            copy.forget()
            super()._display(screen, renderable)
            return
        super()._display(screen, cast("RenderableType | None", copy.update_for(renderable)))

    def _forget_terminal(self, _app: object = None) -> None:
        """Another program had the terminal: trust nothing shown, and repaint it whole."""
        if self._terminal_copy is not None:
            self._terminal_copy.forget()
        self.refresh()
