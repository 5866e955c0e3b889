"""Writes pieces of screen lines as escape sequences, with as few bytes as the terminal needs.

Textual sends every segment as ``ESC[codes m text ESC[0m`` and goes to
every piece with an absolute move. :class:`Pen` sends a style's codes only
when the style changes (the cursor moves between pieces keep the
attributes; a new style starts with a reset, ``ESC[0;codes m``, so nothing
of the last one is left, and the last piece ends with one), and goes to a
piece by the shorter of an absolute move and relative ones when it is known
where the last piece left the cursor. It only builds text: it never writes
to the terminal and keeps nothing between updates.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip


def plain(text: str) -> bool:
    """Whether every character of ``text`` is printable and one cell wide."""
    if text.isascii():
        return text.isprintable()
    found = _plain.get(text)
    if found is None:
        if len(_plain) >= _PLAIN_KEPT:
            _plain.clear()
        found = _plain[text] = cell_len(text) == len(text) and text.isprintable()
    return found


_plain: dict[str, bool] = {}
"""What :func:`plain` said of texts that are not ASCII (the same few repeat: bars, marks)."""

_PLAIN_KEPT = 2048


def cells_of(text: str) -> int:
    """How many cells ``text`` takes."""
    return len(text) if text.isascii() else cell_len(text)


class Pen:
    """Writes pieces of lines for one update (make one per update).

    Relative moves (``ESC[B`` down, ``ESC[3C`` right…) are used only after
    plain single-width text that did not reach the last column: where a
    terminal leaves its cursor after writing the last cell differs.
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

    def write(self, x: int, y: int, segments: Sequence[Segment], start: int, end: int) -> None:
        """Write cells ``start``–``end`` (exclusive) of the line ``segments``, placed at ``x``.

        Cuts fall on cell boundaries; a wide character cut in two is sent as
        Textual's own crop sends it (blanks).
        """
        out = self._out
        out.append(self._move(x + start, y))
        known = x + end < self._width
        position = 0
        for segment in segments:
            text, style, _ = segment
            if position >= end:
                break
            if not text:
                continue
            simple = plain(text)
            length = len(text) if simple else cell_len(text)
            if position + length > start:
                cut_from, cut_to = max(start - position, 0), min(end - position, length)
                if (cut_from, cut_to) != (0, length):
                    text = text[cut_from:cut_to] if simple else _cut(segment, cut_from, cut_to)
                known = known and simple
                self._text(text, style)
            position += length
        self._at = (x + end, y) if known else None

    def _text(self, text: str, style: Style | None) -> None:
        if style is None:
            self._set("")
            self._out.append(text)
            return
        if style.link:  # as Textual sends it: the link, then a reset
            self._set("")
            self._out.append(Strip.render_style(style, text, self._color_system))
            return
        self._set(Strip.render_ansi(style, self._color_system))
        self._out.append(text)

    def _move(self, x: int, y: int) -> str:
        """The shortest sequence that puts the cursor at (``x``, ``y``)."""
        absolute = f"\x1b[{y + 1};{x + 1}H"
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


def _cut(segment: Segment, start: int, end: int) -> str:
    """Cells ``start``–``end`` of a segment that is not plain text (as Rich splits cells)."""
    head, _ = segment.split_cells(end)
    return head.split_cells(start)[1].text


def _step(cells: int, forward: str, back: str) -> str:
    """A relative cursor move of ``cells`` (``ESC[B``, ``ESC[3D``…), "" for none."""
    if not cells:
        return ""
    count = "" if abs(cells) == 1 else str(abs(cells))
    return f"\x1b[{count}{forward if cells > 0 else back}"
