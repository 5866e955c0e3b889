"""A vertical scroll container that also answers to vim keys (j/k/h/l, g/G).

For read-only text panes (raw JSON, pending ops, tracebacks); arrows, Home/End
and PgUp/PgDn keep working as in any Textual scroll container.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll


class VimScroll(VerticalScroll):
    """``VerticalScroll`` plus j/k/h/l to scroll and g/G to jump to the top or bottom."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("h", "scroll_left", "Left", show=False),
        Binding("l", "scroll_right", "Right", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]
