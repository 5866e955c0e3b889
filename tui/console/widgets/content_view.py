"""A Static whose content is a reactive value: it repaints only when text or styles differ.

Textual's ``Content`` compares by text alone (``==`` ignores styles), so a
reactive holding a bare ``Content`` would miss a change of colour. The value
here is :class:`SameContent`, equal only when the text *and* the spans match;
assign :attr:`ContentView.shown` and Textual's reactive compare decides whether
anything is repainted. Nothing here builds content: callers pass it made safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.reactive import var
from textual.widgets import Static


@dataclass(frozen=True, eq=False)
class SameContent:
    """Content compared by its text and its styles."""

    content: Content

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SameContent) and self.content.is_same(other.content)

    def __hash__(self) -> int:
        return hash(self.content.plain)


class ContentView(Static):
    """A Static showing :attr:`shown` (nothing until it is first set)."""

    shown: var[SameContent | None] = var(None, init=False)
    """What the widget shows; a new value equal to the old one repaints nothing."""

    def watch_shown(self, shown: SameContent | None) -> None:
        """Repaint (called only when the content differs)."""
        if shown is not None:
            self.update(shown.content)
