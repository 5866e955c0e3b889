"""The body of the traceback viewer: numbered, highlighted lines; repeats folded; wrap; find.

Built on :class:`~tui.console.widgets.line_view.LineView`, so only the visible
lines are highlighted and rendered: opening or scrolling a 5,000-line
traceback costs a screenful. Repeated frames are shown once and counted
(:func:`~tui.console.widgets.traceback_parts.fold_rows`); the gutter keeps the
text's own line numbers. With soft wrap on, a long line continues on the
next rows under its text (cut at the width, so nothing is lost); off, the
view scrolls sideways. :meth:`TracebackView.find` marks every match of a
text and :meth:`TracebackView.next_match` walks them. The text arrives
already neutralised; this module adds only styles of ours.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style

from tui.console.widgets.formatting import MUTED
from tui.console.widgets.highlighted_lines import TRACEBACK_FRAME, HighlightedLines
from tui.console.widgets.line_view import LONG_LINE, LineView, content_strip
from tui.console.widgets.traceback_parts import Fold, Row, fold_rows

EMPTY_TRACEBACK = "(empty traceback)"
"""Shown instead of an empty traceback."""

MATCH_STYLE = "reverse"
"""How every match of the search is marked."""

CURRENT_MATCH_STYLE = "bold reverse $accent"
"""How the match ``n``/``N`` went to is marked."""


def _width(text: str) -> int:
    """Cells of ``text`` (inert text: an ASCII line is as wide as it is long)."""
    return len(text) if text.isascii() else cell_len(text)


@dataclass(frozen=True, slots=True)
class Match:
    """One place the searched text occurs: a shown row and a character range in its text."""

    row: int
    start: int
    end: int


class TracebackView(LineView):
    """The traceback's rows with a line-number gutter, highlighted as they come into view."""

    def __init__(self, text: str, *, wrap: bool = False, id: str | None = None) -> None:
        """Show ``text`` (already neutralised).

        Args:
            text: the traceback; empty shows :data:`EMPTY_TRACEBACK`.
            wrap: start with soft wrap on.
            id: the widget id.
        """
        super().__init__(id=id)
        self._wrap = wrap
        self._starts: list[int] = []
        self._load(text)
        self._lay_out()

    def _load(self, text: str) -> None:
        """Take ``text``: its lines, shown rows and their widths; no matches."""
        self._lines = HighlightedLines(text, "pytb", TRACEBACK_FRAME) if text else None
        raw = self._lines.lines if self._lines else []
        self._rows: list[Row] = fold_rows(raw) if raw else []
        self._folds = [row for row in self._rows if isinstance(row, Fold)]
        self._gutter = len(str(len(raw) or 1)) + 1
        self._cells = [_width(raw[row] if isinstance(row, int) else row.text) for row in self._rows]
        self._matches: list[Match] = []
        self._by_row: dict[int, list[Match]] = {}
        self._current: int | None = None

    def show_text(self, text: str, *, wrap: bool) -> None:
        """Show another traceback (already neutralised) from its top, with no matches."""
        self._load(text)
        self._wrap = wrap
        self._lay_out()
        self.scroll_to(0, 0, animate=False, immediate=True)

    # -- rows ------------------------------------------------------------------------------

    @property
    def folds(self) -> list[Fold]:
        """The runs of repeated frames not shown."""
        return self._folds

    def row_text(self, index: int) -> str:
        """The plain text of shown row ``index``, without the gutter."""
        if not self._rows:
            return EMPTY_TRACEBACK
        row = self._rows[index]
        if isinstance(row, Fold):
            return row.text
        assert self._lines is not None
        return self._lines.lines[row]

    def line_content(self, index: int) -> Content:
        """``  12 File "…", line 3, in f``: the text's line number, then the highlighted line."""
        if self._lines is None:
            return Content(EMPTY_TRACEBACK)
        row = self._rows[index]
        if isinstance(row, Fold):
            number, body = " " * self._gutter, Content.styled(row.text, f"italic {MUTED}")
        else:
            number, body = f"{row + 1:>{self._gutter - 1}} ", self._lines.line(row)
        for match in self._by_row.get(index, ()):
            current = self._current is not None and self._matches[self._current] is match
            style = CURRENT_MATCH_STYLE if current else MATCH_STYLE
            body = body.stylize(style, match.start, match.end)
        return Content.styled(number, MUTED) + body

    # -- wrapping --------------------------------------------------------------------------

    @property
    def wrap(self) -> bool:
        """Soft wrap: long lines continue on the next rows instead of scrolling sideways."""
        return self._wrap

    @wrap.setter
    def wrap(self, on: bool) -> None:
        if on != self._wrap:
            self._wrap = on
            self._lay_out()
            self.scroll_to(x=0, animate=False)

    def _room(self) -> int:
        """Cells for a row's text beside the gutter."""
        return max(1, self.scrollable_content_region.width - self._gutter)

    def _lay_out(self) -> None:
        count = max(1, len(self._rows))
        longest = max(self._cells, default=len(EMPTY_TRACEBACK))
        self.set_lines(count, max(longest + self._gutter, len(EMPTY_TRACEBACK)))
        if not self._wrap:
            self._starts = []
            return
        room = self._room()
        starts, total = [], 0
        for cells in self._cells or [0]:
            starts.append(total)
            total += max(1, -(-cells // room))
        self._starts = starts
        self.virtual_size = Size(room + self._gutter, total)

    def on_resize(self) -> None:
        """Wrap again at the new width."""
        if self._wrap:
            self._lay_out()

    def render_line(self, y: int) -> Strip:
        """Visible line ``y``: a row, or with wrap on, one part of a row."""
        if not self._wrap:
            return super().render_line(y)
        visual = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        style = self.visual_style
        if not self._starts or visual >= self.virtual_size.height:
            return Strip.blank(width, style.rich_style)
        index = bisect_right(self._starts, visual) - 1
        part = visual - self._starts[index]
        room, gutter = self._room(), self._gutter
        left = gutter + part * room
        strip = self._part(index, style, left, room)
        head = self._strip(index, style, gutter).crop(0, gutter)
        if part:
            head = Strip.blank(gutter, style.rich_style)
        return Strip.join([head, strip]).extend_cell_length(width, style.rich_style)

    def _part(self, index: int, style: Style, left: int, room: int) -> Strip:
        """Cells ``left`` to ``left + room`` of row ``index``."""
        if self._cells and self._cells[index] > LONG_LINE:
            content = self.line_content(index)[left : left + room]
            return content_strip(self, content, style).extend_cell_length(room, style.rich_style)
        strip = self._strip(index, style, left + room)
        return strip.crop_extend(left, left + room, style.rich_style)

    # -- finding ---------------------------------------------------------------------------

    @property
    def matches(self) -> list[Match]:
        """Where the searched text occurs, in order."""
        return self._matches

    @property
    def current_match(self) -> int | None:
        """The index (into :attr:`matches`) of the match last gone to."""
        return self._current

    def find(self, text: str) -> int:
        """Mark every occurrence of ``text`` (case-insensitive); go to the first one on screen
        or below. Returns how many there are."""
        needle = text.lower()
        matches: list[Match] = []
        if needle:
            for index in range(len(self._rows)):
                line = self.row_text(index).lower()
                at = line.find(needle)
                while at >= 0:
                    matches.append(Match(index, at, at + len(needle)))
                    at = line.find(needle, at + len(needle))
        self._matches = matches
        self._by_row = {}
        for match in matches:
            self._by_row.setdefault(match.row, []).append(match)
        self._current = None
        self._strips.clear()
        self.refresh()
        if matches:
            top = self._row_at(self.scroll_offset.y)
            first = next((i for i, m in enumerate(matches) if m.row >= top), 0)
            self._go_to(first)
        return len(matches)

    def next_match(self, step: int = 1) -> int | None:
        """Go to the next (``step`` 1) or previous (-1) match, round the ends; its index."""
        if not self._matches:
            return None
        start = self._current if self._current is not None else -1 if step > 0 else 0
        self._go_to((start + step) % len(self._matches))
        return self._current

    def _go_to(self, number: int) -> None:
        old = self._current
        self._current = number
        rows = {self._matches[number].row} | (set() if old is None else {self._matches[old].row})
        for row in rows:
            self._strips.discard(row)
        self.refresh()
        match = self._matches[number]
        self.scroll_to_region(self._match_region(match), animate=False, force=True)

    def _row_at(self, visual: int) -> int:
        if not self._wrap or not self._starts:
            return visual
        return bisect_right(self._starts, visual) - 1

    def _match_region(self, match: Match) -> Region:
        gutter = self._gutter
        if not self._wrap:
            return Region(gutter + match.start, match.row, max(1, match.end - match.start), 1)
        part = match.start // self._room()
        return Region(0, self._starts[match.row] + part, 1, 1)
