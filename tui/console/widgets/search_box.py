"""The search box above the action list.

Typing posts Textual's ``Input.Changed`` (the screen turns it into a filter);
Esc or Enter post :class:`SearchBox.Left` so the screen can hand focus back
to the list, and remember the search in the box's history (↑/↓ walk it).
It knows nothing about the search language or the store.

Editing keys (Ctrl+U, Backspace, Ctrl+W, …) act at once, in the order the
keys came: as bindings they would run only after the key had bubbled up to
the app, so text pasted right after Ctrl+U was inserted first and then
cleared with the rest.
"""

from __future__ import annotations

from collections import deque
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = "/ search: text  status:failed  backend:NAME  type:…  user:…"

HISTORY_SIZE = 50
"""Searches the box remembers (oldest forgotten first)."""


def _editing_actions() -> dict[str, str]:
    """Key → action of the input's own (editing) bindings."""
    actions: dict[str, str] = {}
    for binding in Input.BINDINGS:
        if isinstance(binding, Binding):
            for key in binding.key.split(","):
                actions[key.strip()] = binding.action
    return actions


class SearchHistory:
    """Searches done, oldest first, and where ↑/↓ have got to (bounded)."""

    def __init__(self, size: int = HISTORY_SIZE) -> None:
        self._entries: deque[str] = deque(maxlen=size)
        self._at: int | None = None
        self._draft = ""

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, query: str) -> None:
        """Remember ``query`` (blank ones and repeats of the last are skipped)."""
        self._at = None
        query = query.strip()
        if query and (not self._entries or self._entries[-1] != query):
            self._entries.append(query)

    def older(self, current: str) -> str | None:
        """The search before the one shown (``current`` is kept as the draft), or None."""
        if not self._entries:
            return None
        if self._at is None:
            self._draft, self._at = current, len(self._entries)
        if self._at == 0:
            return None
        self._at -= 1
        return self._entries[self._at]

    def newer(self) -> str | None:
        """The search after the one shown; past the newest, the draft; None when not walking."""
        if self._at is None:
            return None
        self._at += 1
        if self._at >= len(self._entries):
            self._at = None
            return self._draft
        return self._entries[self._at]


class SearchBox(Input):
    """A one-line input for the search language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back to the list", show=False),
        Binding("up", "history('older')", "Older search", show=False),
        Binding("down", "history('newer')", "Newer search", show=False),
    ]

    EDITING: ClassVar[dict[str, str]] = _editing_actions()

    class Left(Message):
        """The user is done with the search box (Esc or Enter)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False)
        self.history = SearchHistory()

    async def _on_key(self, event: events.Key) -> None:
        action = self.EDITING.get(event.key)
        if action is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        await self.run_action(action)

    def validate_virtual_size(self, size: Size) -> Size:
        """At least as wide as the box, so a key that keeps the text inside it lays nothing out.

        ``Input`` sets its virtual size to the text's width on every change,
        and the virtual size asks for a layout of the whole screen: each
        keystroke laid out the list and the detail pane again. A text that
        fits the box scrolls nowhere whatever its width, so that width is
        the box's until the text outgrows it.
        """
        return Size(max(size.width, self.scrollable_content_region.width), size.height)

    def action_leave(self) -> None:
        """Leave the box, keeping what was typed."""
        self.history.add(self.value)
        self.post_message(self.Left())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter also leaves the box."""
        self.action_leave()

    def action_history(self, direction: str) -> None:
        """Show an older or a newer search from the history."""
        text = self.history.older(self.value) if direction == "older" else self.history.newer()
        if text is not None:
            self.value = text
            self.cursor_position = len(text)
