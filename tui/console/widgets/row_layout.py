"""Where each row of a virtual list starts, when rows are several lines high and laid out lazily.

A row's height is known exactly only once it has been laid out (wrapped at
the widget's width); until then it is an estimate from its number of logical
lines, which is exact unless something wraps. The list lays out the rows it
shows, so the rows on screen (and the cursor's) are always exact and only the
scrollbar's length may be slightly off for rows never seen. Nothing here
knows about widgets or text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate


class RowLayout:
    """Row heights (estimated or exact) and the first line of every row."""

    def __init__(self, estimates: Sequence[int]) -> None:
        """Start from ``estimates`` (each at least 1), none exact yet."""
        heights = list(estimates)
        if heights and min(heights) < 1:
            heights = [max(1, height) for height in heights]
        self._heights = heights
        self._exact = [False] * len(self._heights)
        self._starts: list[int] | None = None

    def __len__(self) -> int:
        return len(self._heights)

    def is_exact(self, row: int) -> bool:
        """True once ``row`` has been laid out at the current width."""
        return self._exact[row]

    def set_exact(self, row: int, height: int) -> bool:
        """Record ``row``'s laid-out height; True when that moved the rows below it."""
        self._exact[row] = True
        height = max(1, height)
        if self._heights[row] == height:
            return False
        self._heights[row] = height
        self._starts = None
        return True

    def forget(self, row: int) -> None:
        """``row`` must be laid out again (its text changed); its old height is the estimate."""
        self._exact[row] = False

    def height(self, row: int) -> int:
        """Lines of ``row`` (exact or estimated)."""
        return self._heights[row]

    def _table(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *accumulate(self._heights)]
        return self._starts

    @property
    def total(self) -> int:
        """Lines of all rows."""
        return self._table()[-1]

    def start(self, row: int) -> int:
        """The first line of ``row``."""
        return self._table()[row]

    def row_at(self, line: int) -> int:
        """The row that line ``line`` belongs to (clamped to the first and last rows)."""
        starts = self._table()
        return max(0, min(len(self._heights) - 1, bisect_right(starts, line) - 1))
