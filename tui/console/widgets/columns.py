"""The action list's columns and which of them fit a given width.

Each column has a smallest useful width, how much it may grow and when it
gives way: narrow terminals drop the least useful columns first and share out
spare room to the text columns. Pure arithmetic, no widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the list and how it gives way on narrow terminals."""

    key: str
    label: str
    width: int
    """Smallest useful width."""
    grow: int = 0
    """How much wider it may get when there is room (action, then resource, … get it first)."""
    drop: int = 0
    """Dropped first when there is no room (higher first); 0 = always shown."""


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("mark", " ", 1),
    ColumnSpec("backend", "backend", 9, grow=5, drop=1),
    ColumnSpec("action", "action", 10, grow=16),
    ColumnSpec("resource", "resource", 10, grow=22),
    ColumnSpec("status", "status", 11),
    ColumnSpec("progress", "progress", 9, drop=3),
    ColumnSpec("user", "user", 6, grow=8, drop=5),
    ColumnSpec("started", "started", 7, drop=4),
    ColumnSpec("duration", "duration", 8, drop=2),
)
"""Every column, in display order."""

GROW_ORDER = ("action", "resource", "backend", "user")
"""Which columns get spare room first."""

CELL_PADDING = 1
"""Blank cells on each side of every cell."""

DEFAULT_WIDTH = 100
"""Width assumed before the first layout."""


def fit_columns(width: int, padding: int = CELL_PADDING) -> list[tuple[ColumnSpec, int]]:
    """The columns that fit in ``width`` cells, each with its width.

    Columns with the highest ``drop`` go first; spare room is shared out to
    the growing columns in display order.
    """
    shown = list(COLUMNS)
    for spec in sorted((c for c in COLUMNS if c.drop), key=lambda c: -c.drop):
        if _needed(shown, padding) <= width:
            break
        shown.remove(spec)
    spare = max(0, width - _needed(shown, padding))
    widths = {spec.key: spec.width for spec in shown}
    for key in GROW_ORDER:
        grower = next((spec for spec in shown if spec.key == key), None)
        if grower is not None:
            extra = min(grower.grow, spare)
            spare -= extra
            widths[key] += extra
    return [(spec, widths[spec.key]) for spec in shown]


def _needed(columns: Sequence[ColumnSpec], padding: int) -> int:
    return sum(spec.width + 2 * padding for spec in columns)
