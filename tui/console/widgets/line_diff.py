"""Which lines of a widget read otherwise, and up to where: what a repaint must resend.

Textual resends a dirty piece of a line from its first cell up to the end of
the dirty region. A widget that knows its lines before and after a change
can mark dirty only the lines that differ, each up to its last differing
cell, instead of the whole widget (blank lines and trailing blanks
included). Pure functions of ``Strip``\\ s; no widgets, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip


def _cells(strip: Strip) -> list[tuple[str, Style | None]] | None:
    """Each cell's character and style; ``None`` when a character is not one cell wide."""
    cells: list[tuple[str, Style | None]] = []
    for text, style, _ in strip:
        if cell_len(text) != len(text):
            return None
        cells += [(char, style) for char in text]
    return cells


def changed_lines(before: Sequence[Strip], after: Sequence[Strip]) -> list[tuple[int, int]]:
    """``(line, end)`` for each line that differs: cells ``0``–``end`` (exclusive) hold the change.

    Both lists are the same widget's lines at the same size. A line with a
    wide character counts as changed over its whole length.
    """
    changed: list[tuple[int, int]] = []
    for y, (old, new) in enumerate(zip(before, after, strict=False)):
        if old == new:
            continue
        length = max(old.cell_length, new.cell_length)
        was, now = _cells(old), _cells(new)
        if was is None or now is None:
            changed.append((y, length))
            continue
        blank = ("", None)
        ends = [
            x + 1
            for x in range(length)
            if (was[x] if x < len(was) else blank) != (now[x] if x < len(now) else blank)
        ]
        if ends:
            changed.append((y, ends[-1]))
    for y in range(min(len(before), len(after)), max(len(before), len(after))):
        strips = before if y < len(before) else after
        changed.append((y, strips[y].cell_length))
    return changed
