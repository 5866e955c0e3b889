"""The pager line under the action list: ``41–60 of 754`` and what the list is showing.

When a backend reports more actions on the server than are loaded, the line
says so (``1–20 of 754 (120 loaded)``). The screen passes plain numbers down;
this widget does no arithmetic on the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from tui.text import display_text


@dataclass(frozen=True)
class PagerView:
    """What the pager line says."""

    first: int
    """1-based position of the first row shown (0 when the list is empty)."""
    last: int
    total: int
    """How many actions the list has (the server total when it is larger)."""
    loaded: int | None = None
    """How many are loaded, when fewer than ``total``."""
    filtered: bool = False
    loading: str | None = None
    """What is being loaded right now, if anything."""
    hint: str | None = None
    """A hint about the search (e.g. an unknown key)."""

    def text(self) -> str:
        """The line, e.g. ``41–60 of 754 (120 loaded)``."""
        if self.total == 0:
            parts = ["no matching actions" if self.filtered else "no actions yet"]
        else:
            parts = [f"{self.first:,}–{self.last:,} of {self.total:,}"]
            if self.loaded is not None and self.loaded < self.total:
                parts[0] += f" ({self.loaded:,} loaded)"
            if self.filtered:
                parts.append("filtered")
        if self.loading:
            parts.append(self.loading)
        if self.hint:
            parts.append(display_text(self.hint))
        return "  ·  ".join(parts)


class Pager(Static):
    """One line under the list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._view: PagerView | None = None

    @property
    def plain(self) -> str:
        """The line as plain text."""
        return self._view.text() if self._view else ""

    def show(self, view: PagerView) -> None:
        """Redraw when the view changed."""
        if view != self._view:
            self._view = view
            self.update(Text(view.text(), no_wrap=True, overflow="ellipsis", end=""))
