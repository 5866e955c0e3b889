"""The backend bar: one segment per backend saying how it is doing.

Each segment shows the backend's name, its state (ok, error with a short
reason, stale, connecting), how old its data is and how many actions it has
in flight; a PAUSED marker shows while polling is paused. The screen sets
each segment's :attr:`BackendSegment.view`, an immutable :class:`SegmentView`,
and the bar's :attr:`BackendBar.paused`; these are reactive, so a segment is
redrawn only when its view is a different value. Colours come from CSS
classes (``-ok``, ``-error``, ``-stale``, ``-connecting``) styled with theme
variables in the screen's stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var
from textual.widgets import Static

from tui.format import unreadable_text
from tui.text import display_text, safe_text

SegmentState = Literal["connecting", "ok", "error", "stale"]

STATE_ICONS: dict[str, str] = {"connecting": "…", "ok": "✔", "error": "✖", "stale": "◌"}
"""One icon per state, so the bar reads without colour."""


@dataclass(frozen=True)
class SegmentView:
    """What one backend's segment should say."""

    name: str
    state: SegmentState
    age: str = ""
    """How old the last good data is (``4s ago``), empty when there is none."""
    in_flight: int = 0
    reason: str | None = None
    """Why the last poll failed, the whole message (server text: shown literally)."""
    unreadable: int = 0
    """Entries the backend's last good answer had that could not be read."""
    summary: str | None = None
    """The failure without the request it came from (the error's ``detail``): what
    the segment says; the tooltip says the whole ``reason``."""
    traffic: str | None = None
    """How hard the backend is hitting its API (the tooltip's last line), if it counts."""

    def tooltip(self) -> Text | None:
        """The whole failure reason, then the request counts (``None``: nothing to say)."""
        lines = [display_text(line) for line in (self.reason, self.traffic) if line]
        return Text("\n".join(lines)) if lines else None

    def text(self) -> Text:
        """The segment's one line, e.g. ``✖ seeweb error: HTTP 503 … · 4s ago``."""
        head = f"{STATE_ICONS[self.state]} {safe_text(self.name)}"
        if self.state == "connecting":
            parts = [f"{head} connecting"]
        elif self.state == "ok":
            parts = [f"{head} {self.age}".rstrip()]
        else:
            said = self.summary or self.reason
            reason = f": {display_text(said)}" if said else ""
            parts = [f"{head} {self.state}{reason}"]
            if self.age:
                parts.append(f"data {self.age}")
        if self.in_flight and self.state != "error":
            parts.append(f"{self.in_flight} active")
        if self.unreadable:
            parts.append(unreadable_text(self.unreadable))
        return Text(" · ".join(parts), no_wrap=True, overflow="ellipsis", end="")


class BackendSegment(Static):
    """One backend's segment of the bar."""

    view: var[SegmentView | None] = var(None, init=False)
    """What the segment says; ``None`` until the first view (it says "connecting")."""

    def __init__(self, name: str) -> None:
        # The class goes to the constructor: added after it, it restyles the segment
        # (about 0.3 ms each, before the first frame).
        text = Text(f"{STATE_ICONS['connecting']} {safe_text(name)} connecting")
        super().__init__(text, classes="-connecting")
        self.backend_name = name

    @property
    def plain(self) -> str:
        """The segment's text without styles."""
        view = self.view or SegmentView(self.backend_name, "connecting")
        return view.text().plain

    def watch_view(self, old: SegmentView | None, view: SegmentView | None) -> None:
        """Redraw (called only when the view is a different value; a view that differs
        only in its tooltip does not repaint the line).

        A segment is one line of a fixed share of the bar (``width: 1fr``), so a
        new text repaints the segment without laying the screen out again (a
        layout of the whole screen each time a count of active actions moved).
        """
        if view is None:
            return
        for state in STATE_ICONS:
            self.set_class(state == view.state, f"-{state}")
        text = view.text()
        if old is None or old.text() != text:
            self.update(text, layout=False)
        self.tooltip = view.tooltip()


class BackendBar(Horizontal):
    """A segment per backend and a PAUSED marker."""

    paused: var[bool] = var(False, toggle_class="-paused")
    """Polling is paused (shows the PAUSED marker)."""

    def __init__(self, names: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._names = list(names)
        self._segments: dict[str, BackendSegment] = {}
        """The segments by backend name (the screen shows the bar every second: no DOM query)."""

    def compose(self) -> ComposeResult:
        """A paused marker, then one segment per backend in config order."""
        yield Static(Text("⏸ PAUSED"), id="paused-marker")
        self._segments = {name: BackendSegment(name) for name in self._names}
        yield from self._segments.values()

    def show(self, views: Sequence[SegmentView]) -> None:
        """Give each segment its view (a segment whose view did not change is not redrawn)."""
        for view in views:
            segment = self._segments.get(view.name)
            if segment is not None:
                segment.view = view

    def segment_text(self, name: str) -> str:
        """The plain text of one backend's segment (for tests and the help line)."""
        for segment in self.query(BackendSegment):
            if segment.backend_name == name:
                return segment.plain
        raise KeyError(name)
