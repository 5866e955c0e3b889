"""What a Python traceback says, read from its text: the error, the innermost frame, repeats.

Nova stores ``traceback.format_tb`` frames (no exception line) or a whole
``format_exception`` text (ending in ``ExcType: message``); both are read.
:func:`fold_rows` says which lines to show when frames repeat (recursion,
retry loops): a run of the same one to :data:`MAX_PERIOD` frames is shown
once, then one line counting the rest. Pure functions on text that is
already inert (:func:`tui.text.safe_text`); nothing here builds widgets or
styles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FRAME_LINE = re.compile(r'^\s*File "(?P<path>[^"]*)", line (?P<line>\d+), in (?P<func>.*)$')
"""``  File "…/manager.py", line 5, in prep``."""

MAX_PERIOD = 4
"""The longest block of frames recognised as repeating."""

MIN_REPEATS = 3
"""A block is folded when it appears at least this many times in a row."""

_NOT_AN_ERROR = (
    "Traceback (most recent call last):",
    "During handling of the above exception",
    "The above exception was the direct cause",
)


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame of a traceback: its ``File`` line and the source line under it."""

    path: str
    line: int
    function: str
    source: str
    """The source line shown under the frame, stripped ("" when there is none)."""

    @property
    def location(self) -> str:
        """``manager.py:5 in prep`` (the file's last path part)."""
        return f"{self.path.rsplit('/', 1)[-1]}:{self.line} in {self.function}"


@dataclass(frozen=True, slots=True)
class Fold:
    """A run of repeated frames that is not shown: ``lines`` of them, ``times`` repeats."""

    frames: int
    """How many frames the repeating block has."""
    times: int
    """How many more times the block repeated (after the one shown)."""
    hidden: range
    """The text's line indexes not shown."""

    @property
    def text(self) -> str:
        """``  [the frame above repeated 996 more times]``."""
        what = "frame above" if self.frames == 1 else f"{self.frames} frames above"
        return f"  [the {what} repeated {self.times:,} more times]"


Row = int | Fold
"""A shown row: a line of the text (its index), or a fold."""


def exception_line(lines: list[str]) -> str | None:
    """The ``ExcType: message`` line ending the traceback, if it has one."""
    for line in reversed(lines):
        if not line.strip():
            continue
        if line[:1].isspace() or line.startswith(_NOT_AN_ERROR) or FRAME_LINE.match(line):
            return None
        return line
    return None


def innermost_frame(lines: list[str]) -> Frame | None:
    """The last frame of the traceback (where the error was raised), if any."""
    for index in range(len(lines) - 1, -1, -1):
        match = FRAME_LINE.match(lines[index])
        if match:
            return _frame(lines, index, match)
    return None


def _frame(lines: list[str], index: int, match: re.Match[str]) -> Frame:
    following = lines[index + 1] if index + 1 < len(lines) else ""
    source = "" if FRAME_LINE.match(following) or not following[:1].isspace() else following
    return Frame(match["path"], int(match["line"]), match["func"], source.strip())


def _frame_spans(lines: list[str]) -> list[range]:
    """The line ranges of the frames: a ``File`` line and the indented lines under it."""
    spans: list[range] = []
    start: int | None = None
    for index, line in enumerate(lines):
        if 'File "' in line and FRAME_LINE.match(line):  # the test in C first: most lines fail it
            if start is not None:
                spans.append(range(start, index))
            start = index
        elif start is not None and not line[:1].isspace():
            spans.append(range(start, index))
            start = None
    if start is not None:
        spans.append(range(start, len(lines)))
    return spans


def fold_rows(lines: list[str]) -> list[Row]:
    """The rows to show: every line, except repeats of a block of frames, counted instead."""
    spans = _frame_spans(lines)
    keys = [tuple(lines[span.start : span.stop]) for span in spans]
    rows: list[Row] = []
    shown_to = 0
    index = 0
    while index < len(spans):
        if keys[index] not in keys[index + 1 : index + 1 + MAX_PERIOD]:  # cannot repeat: skip
            index += 1
            continue
        period, times = _repeat_at(keys, spans, index)
        if times < MIN_REPEATS:
            index += 1
            continue
        first_hidden = spans[index + period].start
        last = spans[index + period * times - 1].stop
        rows.extend(range(shown_to, first_hidden))
        rows.append(Fold(period, times - 1, range(first_hidden, last)))
        shown_to = last
        index += period * times
    rows.extend(range(shown_to, len(lines)))
    return rows


def _repeat_at(keys: list[tuple[str, ...]], spans: list[range], index: int) -> tuple[int, int]:
    """The block of frames starting at ``index`` that repeats most, and how often."""
    best = (1, 1)
    first = keys[index]
    for period in range(1, MAX_PERIOD + 1):
        if index + period >= len(keys):
            break
        if keys[index + period] != first:  # no second copy of this block: it does not repeat
            continue
        block = keys[index : index + period]
        times = 1
        at = index + period
        while keys[at : at + period] == block and spans[at - 1].stop == spans[at].start:
            times += 1
            at += period
        if times * period > best[0] * best[1] and times >= MIN_REPEATS:
            best = (period, times)
    return best
