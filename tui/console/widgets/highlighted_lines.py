"""Syntax highlighting of a long text, a block of lines at a time, when a block is first shown.

Highlighting a 5,000-line traceback in one go costs about half a second, a
block of 200 lines about 40 ms; a block of :data:`BLOCK_LINES` (a screenful
or two) costs a few milliseconds, so opening a view highlights little more
than what it shows. The text is cut into
blocks at lines where the lexer starts afresh anyway (for a Python traceback,
a ``  File "…", line N`` frame: Pygments' traceback lexer enters the same state
there whatever came before), so each block highlights exactly as it would in
the whole text. A block with no such line is cut after
:data:`MAX_BLOCK_LINES` lines regardless. Lines longer than
:data:`MAX_HIGHLIGHTED_LINE` characters are shown unhighlighted, so one
megabyte on one line never goes through the lexer.

The text must already be inert (:func:`tui.text.safe_text`); highlighting
only adds styles of ours. Pygments (through ``textual.highlight``) is imported
when a first block is highlighted, not with the console. Nothing here knows
about widgets.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from textual.content import Content

BLOCK_LINES = 50
"""A block is at least this long before it is cut at a fresh start."""

MAX_BLOCK_LINES = 1000
"""A block is cut here even without a fresh start."""

MAX_HIGHLIGHTED_LINE = 4096
"""Longer lines are shown as plain text."""

TRACEBACK_FRAME = re.compile(r'  File "[^"]+", line \d+')
"""Where Pygments' ``pytb`` lexer begins a frame from any state."""


class HighlightedLines:
    """The lines of ``text``, highlighted as ``language`` block by block on demand."""

    def __init__(self, text: str, language: str, fresh_start: re.Pattern[str] | None) -> None:
        """Split ``text`` into lines and blocks (cheap: nothing is highlighted yet).

        Args:
            text: inert text.
            language: a Pygments language name (``pytb``, ``json``).
            fresh_start: a line matching this may begin a block; ``None``: any line may.
        """
        self.lines = text.split("\n")
        self._language = language
        self._starts = _block_starts(self.lines, fresh_start)
        self._blocks: dict[int, list[Content]] = {}

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, index: int) -> Content:
        """Line ``index``, highlighted (its whole block is highlighted the first time)."""
        block = bisect_right(self._starts, index) - 1
        lines = self._blocks.get(block)
        if lines is None:
            lines = self._highlight(block)
            self._blocks[block] = lines
        return lines[index - self._starts[block]]

    def _highlight(self, block: int) -> list[Content]:
        from textual.highlight import highlight  # with Pygments: only once a block is shown

        start = self._starts[block]
        end = self._starts[block + 1] if block + 1 < len(self._starts) else len(self.lines)
        source = self.lines[start:end]
        short = ["" if len(line) > MAX_HIGHLIGHTED_LINE else line for line in source]
        lines = highlight("\n".join(short), language=self._language).split("\n")
        if len(lines) < len(source):  # the lexer dropped trailing empty lines
            lines += [Content("")] * (len(source) - len(lines))
        return [
            Content(line) if len(line) > MAX_HIGHLIGHTED_LINE else shown
            for line, shown in zip(source, lines, strict=False)
        ]


def _block_starts(lines: list[str], fresh_start: re.Pattern[str] | None) -> list[int]:
    starts = [0]
    for index, line in enumerate(lines):
        length = index - starts[-1]
        if length >= MAX_BLOCK_LINES or (
            length >= BLOCK_LINES and (fresh_start is None or fresh_start.match(line))
        ):
            starts.append(index)
    return starts
