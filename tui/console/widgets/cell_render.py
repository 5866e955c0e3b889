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
