"""A vertical scroll container that also answers to vim keys (j/k/h/l, g/G).

For read-only text panes (the Seeweb timeline); the line views
(:class:`~tui.console.widgets.line_view.LineView`: tracebacks, raw JSON, pending ops)
use the same keys. Arrows, Home/End and PgUp/PgDn keep working as in any
Textual scroll container.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

VIM_SCROLL_BINDINGS: list[BindingType] = [
    Binding("j", "scroll_down", "Down", show=False),
    Binding("k", "scroll_up", "Up", show=False),
    Binding("h", "scroll_left", "Left", show=False),
    Binding("l", "scroll_right", "Right", show=False),
    Binding("g", "scroll_home", "Top", show=False),
    Binding("G", "scroll_end", "Bottom", show=False),
]
"""j/k/h/l scroll, g/G jump to the top or bottom."""


class VimScroll(VerticalScroll):
    """``VerticalScroll`` plus j/k/h/l to scroll and g/G to jump to the top or bottom."""

    BINDINGS: ClassVar[list[BindingType]] = VIM_SCROLL_BINDINGS
