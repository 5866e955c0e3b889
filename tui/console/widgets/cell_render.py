"""One list cell as the segments of one line: what Rich would render, without its machinery.

Rendering a cell through Rich (``Styled(Padding(text))`` via
``Console.render_lines``) costs about a millisecond: a page of 30 rows and
8 columns took 300 ms, most of a page flip. :func:`cell_segments` lays the
one-line ``Text`` out the way Rich's no-wrap layout does (truncate with the
cell's overflow, justify, pad) and applies the same styles, so the result is
the same segments (a unit test holds it to Rich's); it never wraps, since a
list cell is one line. No widgets, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text


def cell_segments(
    console: Console, cell: Text, width: int, padding: int, pre: Style, post: Style
) -> list[Segment]:
    """``cell`` padded by ``padding`` blanks each side, ``width`` cells in all, styled.

    Each segment's style is ``pre + own style + post``, as ``Styled`` does.
    """
    inner = max(0, width - 2 * padding)
    line = cell.copy() if inner else Text()
    justify = cell.justify or "default"
    overflow = cell.overflow or "fold"
    if justify == "left":
        line.truncate(inner, overflow=overflow, pad=True)
    elif justify in ("right", "center"):
        line.rstrip()
        line.truncate(inner, overflow=overflow)
        excess = inner - cell_len(line.plain)
        left = excess if justify == "right" else excess // 2
        line.pad_left(left)
        line.pad_right(excess - left)
    else:
        line.truncate(inner, overflow=overflow)
    if line.style:  # Rich renders a line's own style as a span under the others
        line.spans.insert(0, Span(0, len(line), line.style))
        line.style = ""
    pad = [Segment(" " * padding)] if padding else []
    fill = inner - line.cell_len
    segments = [*pad, *line.render(console), *([Segment(" " * fill)] if fill > 0 else []), *pad]
    return list(Segment.simplify(Segment.apply_style(segments, pre, post)))


def _cells(segments: list[Segment]) -> list[tuple[str, Style | None]] | None:
    """Each cell's character and style; ``None`` when a character is not one cell wide."""
    cells: list[tuple[str, Style | None]] = []
    for text, style, _ in segments:
        if cell_len(text) != len(text):
            return None
        cells += [(char, style) for char in text]
    return cells


def _plain_line(cell: Text, inner: int) -> str | None:
    """The ``inner`` cells of a one-style cell that fits, as :func:`cell_segments` lays them out.

    What :func:`cell_segments` would put between the paddings, worked out
    without rendering (a page of new rows compares every cell); ``None`` when
    the cell needs the full layout (spans, wide characters, cropping).
    """
    plain, justify = cell.plain, cell.justify or "default"
    if justify == "default" and cell.style:  # its blanks would not all be styled alike
        return None
    if cell.spans or justify == "center" or cell_len(plain) != len(plain):
        return None
    if justify == "right":
        plain = plain.rstrip()
    if len(plain) > inner:
        return None
    return plain.rjust(inner) if justify == "right" else plain.ljust(inner)


Layout = Callable[[Text, int], list[Segment]]
"""Lays a cell out ``width`` cells wide, unstyled (:func:`cell_segments` with null styles)."""


def _unstyled_layout(console: Console, padding: int) -> Layout:
    null = Style()

    def layout(cell: Text, width: int) -> list[Segment]:
        return cell_segments(console, cell, width, padding, null, null)

    return layout


def changed_span(
    console: Console,
    old: Text,
    new: Text,
    width: int,
    padding: int,
    layout: Layout | None = None,
) -> tuple[int, int] | None:
    """The cells (``start``, ``end`` exclusive) where ``new`` differs from ``old`` on screen.

    Both are laid out as :func:`cell_segments` would in a cell ``width`` wide;
    a character or a style that differs counts. ``None`` when the cells cannot
    be compared one by one (a wide character): the caller redraws the whole cell.
    ``(0, 0)`` when nothing differs. ``layout``, when given, lays a cell out
    instead (a caller that keeps laid-out cells: a page of new rows compares
    the same marks and statuses again and again).
    """
    inner = max(0, width - 2 * padding)
    was, now = _plain_line(old, inner), _plain_line(new, inner)
    if was is not None and now is not None and old.style == new.style:
        span = _differ(was, now)
        return (span[0] + padding, span[1] + padding) if span[1] else span
    lay = layout or _unstyled_layout(console, padding)
    before, after = _cells(lay(old, width)), _cells(lay(new, width))
    if before is None or after is None or len(before) != len(after):
        return None
    return _differ(before, after)


def _differ(old: Sequence[object], new: Sequence[object]) -> tuple[int, int]:
    """From the first item that differs to just past the last; ``(0, 0)`` when none does.

    ``old`` and ``new`` are as long; each end is found by walking in from
    that side only as far as the first difference (a new row's cells
    mostly differ near their start, and share their justification blanks).
    """
    if old == new:
        return (0, 0)
    start = 0
    while old[start] == new[start]:
        start += 1
    end = len(old)
    while old[end - 1] == new[end - 1]:
        end -= 1
    return (start, end)
