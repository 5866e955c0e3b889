"""Blank widgets under the action list that mark where its columns start and end.

Textual's compositor cuts every screen line where a widget starts or ends
and, for a dirty region, resends each cut piece it touches from the piece's
left edge. A line-API list is one widget, one piece per line, so a tick of
its last column resent the whole row up to that cell. Blank widgets on a
layer *under* the list add cuts (the list, in front, still paints every
cell): one where each cell's text starts, and one more inside the cells that
tick (the list says where), so a changed cell goes out alone, from its text
or from the part of it that moves.

They are siblings of the list (a widget's children are always painted on
top of it), placed by it with ``position: absolute``; they never take focus,
never receive the mouse (the list in front does) and hold no state.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.dom import DOMNode
from textual.geometry import Region
from textual.widget import Widget

EDGE_LAYER = "action-table-edges"
"""The layer the edges live on, put first (lowest) in the parent's layers."""


class ColumnEdge(Widget, can_focus=False):
    """One piece of the list's lines (a cell, or part of one); paints blank (the list covers it).

    ``BLANK``: Textual's compositor renders every widget a repaint touches,
    whole, even one hidden under another; a blank widget's lines cost
    nothing to render (a page flip repainted the nine edges' 500 lines
    through the styles cache, about a fifth of the flip's paint).
    """

    BLANK = True

    DEFAULT_CSS = f"""
    ColumnEdge {{
        position: absolute;
        layer: {EDGE_LAYER};
        width: 1;
        height: 1;
    }}
    """


def put_edges_under(parent: DOMNode) -> None:
    """Make sure ``parent`` has the edges' layer, under every layer it already has."""
    layers = tuple(parent.styles.layers)
    if EDGE_LAYER not in layers:
        parent.styles.layers = " ".join((EDGE_LAYER, *(layers or ("default",))))


def place_edges(edges: Sequence[ColumnEdge], spans: Sequence[Region]) -> None:
    """Put one edge on each span (regions relative to the parent's content)."""
    for edge, span in zip(edges, spans, strict=True):
        styles = edge.styles
        if (styles.offset.x.value, styles.offset.y.value) != (span.x, span.y):
            styles.offset = (span.x, span.y)
        if edge.size != span.size:
            styles.width = span.width
            styles.height = span.height
