"""The pager line under the action list: ``41–60 of 754`` and what the list is showing.

When a backend reports more actions on the server than are loaded, the line
says so (``1–20 of 754 (120 loaded)``). The screen sets :attr:`Pager.view`, an
immutable :class:`PagerView` of plain numbers; the line is redrawn only when
the view is a different value. This widget does no arithmetic on the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.reactive import var
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
    more_on_server: bool = False
    """A filtered view: the servers hold older actions than are loaded (so ``total`` is a floor)."""
    end: bool = False
    """This page holds the oldest action there is (nothing more on any server)."""

    def text(self) -> str:
        """The line, e.g. ``41–60 of 754 (120 loaded)``."""
        if self.total == 0:
            parts = ["no matching actions" if self.filtered else "no actions yet"]
        else:
            floor = "≥ " if self.filtered and self.more_on_server else ""
            parts = [f"{self.first:,}–{self.last:,} of {floor}{self.total:,}"]
            if self.loaded is not None and self.loaded < self.total:
                parts[0] += f" ({self.loaded:,} loaded)"
            if floor:
                parts[0] += ", more on the server"
            if self.filtered:
                parts.append("filtered")
            if self.end:
                parts.append("end of history")
        if self.loading:
            parts.append(self.loading)
        if self.hint:
            parts.append(display_text(self.hint))
        return "  ·  ".join(parts)


class Pager(Static):
    """One line under the list."""

    view: var[PagerView | None] = var(None, init=False)
    """What the line says (page, total, what is loading); ``None`` before the first page."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)

    @property
    def plain(self) -> str:
        """The line as plain text."""
        return self.view.text() if self.view else ""

    def watch_view(self, view: PagerView | None) -> None:
        """Redraw (called only when the view is a different value)."""
        if view is not None:
            self.update(Text(view.text(), no_wrap=True, overflow="ellipsis", end=""), layout=False)
