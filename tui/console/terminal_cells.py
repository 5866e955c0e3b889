"""Cells as a terminal shows them: what a piece of a screen line writes, and where two differ.

A cell is its character and the key of its style: the SGR codes and link the
style sends (its meta sends nothing). A blank shows no foreground colour,
weight or slant, so a blank at either end of a piece of text is keyed by its
background alone (and the marks a blank shows: reverse, underline, strike…).
A character that is not printable or not one cell wide is :data:`UNKNOWN`:
never equal to anything, so it is always resent. Cells are kept as two
parallel lists (characters, keys), built and compared by slices. Pure
functions and values; nothing here draws or writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.console.terminal_pen import plain

Key = tuple[str, str | None]
"""What a style sends to the terminal: its SGR codes and its link."""

UNKNOWN: object = object()
"""A cell whose content is not known (never equal to what is written there)."""


@dataclass
class Cells:
    """A run of cells: each one's character and style key (or :data:`UNKNOWN` in both)."""

    chars: list[object] = field(default_factory=list)
    keys: list[object] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.chars)

    def unknown(self, count: int) -> None:
        """Add ``count`` cells whose content is not known."""
        self.chars += [UNKNOWN] * count
        self.keys += [UNKNOWN] * count

    def part(self, start: int, end: int) -> Cells:
        """Cells ``start``–``end`` (exclusive)."""
        return Cells(self.chars[start:end], self.keys[start:end])

    def put(self, start: int, cells: Cells) -> None:
        """Overwrite from ``start`` with ``cells`` (the run grows if it must)."""
        end = start + len(cells)
        if len(self.chars) < end:
            self.unknown(end - len(self.chars))
        self.chars[start:end] = cells.chars
        self.keys[start:end] = cells.keys

    def same_as(self, other: Cells) -> bool:
        """Whether every cell is known and equal to ``other``'s."""
        return self.chars == other.chars and self.keys == other.keys and UNKNOWN not in self.chars


def strip_cells(strip: Strip, color_system: ColorSystem) -> Cells:
    """The cells ``strip`` writes, in order."""
    return line_cells(list(strip), strip.cell_length, color_system)


def line_cells(segments: Sequence[Segment], length: int, color_system: ColorSystem) -> Cells:
    """The first ``length`` cells the ``segments`` write (fewer if they are shorter).

    A segment's cells are worked out once and kept (the same texts in the
    same styles repeat: a list's statuses, backends, blanks), unless it is
    cut short by ``length``.
    """
    cells = Cells()
    chars, keys = cells.chars, cells.keys
    known = _segment_cells.get(color_system)
    if known is None:
        known = _segment_cells[color_system] = {}
    for segment in segments:
        room = length - len(chars)
        if room <= 0:
            break
        found = known.get(segment)
        if found is None:
            found = _cells_of(segment.text, segment.style, color_system)
            if len(known) >= _SEGMENTS_KEPT:
                known.clear()
            known[segment] = found
        if len(found[0]) > room:  # cut short: its last blanks now end it
            text = segment.text
            if plain(text):
                found = _cells_of(text[:room], segment.style, color_system)
            else:
                found = (found[0][:room], found[1][:room])
        chars += found[0]
        keys += found[1]
    return cells


def _cells_of(
    text: str, style: Style | None, color_system: ColorSystem
) -> tuple[list[object], list[object]]:
    """The characters and keys of the cells one segment writes."""
    if not text:
        return [], []
    if not plain(text):
        width = cell_len(text)
        return [UNKNOWN] * width, [UNKNOWN] * width
    key, blank = _style_keys(style, color_system)
    body = text.strip(" ")
    if not body:
        return list(text), [blank] * len(text)
    lead = len(text) - len(text.lstrip(" "))
    trail = len(text) - lead - len(body)
    keys: list[object] = [blank] * lead
    keys += [key] * len(body)
    keys += [blank] * trail
    return list(text), keys


def segment_offsets(segments: Sequence[Segment]) -> list[int]:
    """Where each segment starts, in cells from the first one's start."""
    offsets = [0]
    at = 0
    for text, _, _ in segments:
        at += len(text) if plain(text) else cell_len(text)
        offsets.append(at)
    offsets.pop()
    return offsets


def changed_span(shown: Cells, new: Cells) -> tuple[int, int] | None:
    """``(first, end)``: the cells of ``new`` that differ from ``shown`` (``None``: none do).

    ``shown`` is at least as long as ``new``.
    """
    old_chars, old_keys, chars, keys = shown.chars, shown.keys, new.chars, new.keys
    length = len(chars)
    first = 0
    while (
        first < length
        and chars[first] is not UNKNOWN
        and chars[first] == old_chars[first]
        and keys[first] == old_keys[first]
    ):
        first += 1
    if first == length:
        return None
    end = length
    while (
        end > first
        and chars[end - 1] is not UNKNOWN
        and chars[end - 1] == old_chars[end - 1]
        and keys[end - 1] == old_keys[end - 1]
    ):
        end -= 1
    return first, end


_BLANK_MARKS = ("reverse", "underline", "underline2", "strike", "overline", "frame", "encircle")
"""Attributes that show on a blank cell (without them a blank shows its background only)."""

_keys: dict[ColorSystem, dict[Style, tuple[Key, Key]]] = {}
"""Each style's keys per colour system, worked out once (styles repeat; bounded by
:data:`_KEYS_KEPT`)."""

_KEYS_KEPT = 4096

_segment_cells: dict[ColorSystem, dict[Segment, tuple[list[object], list[object]]]] = {}
"""Each segment's cells per colour system (see :func:`line_cells`; bounded by
:data:`_SEGMENTS_KEPT`). Kept lists are only ever copied from, never changed."""

_SEGMENTS_KEPT = 8192

_NO_STYLE: tuple[Key, Key] = (("", None), ("bg:", None))


def _style_keys(style: Style | None, color_system: ColorSystem) -> tuple[Key, Key]:
    """The keys of a character and of a blank in ``style``."""
    if style is None:
        return _NO_STYLE
    known = _keys.get(color_system)
    if known is None:
        known = _keys[color_system] = {}
    found = known.get(style)
    if found is not None:
        return found
    key: Key = (Strip.render_ansi(style, color_system), style.link)
    if style.link or any(getattr(style, mark) for mark in _BLANK_MARKS):
        blank = key
    else:
        background = style.bgcolor
        codes = (
            () if background is None else background.downgrade(color_system).get_ansi_codes(False)
        )
        blank = ("bg:" + ";".join(codes), None)
    if len(known) >= _KEYS_KEPT:
        known.clear()
    known[style] = found = (key, blank)
    return found
