"""The search box above the action list.

Typing posts Textual's ``Input.Changed`` (the screen turns it into a filter);
Esc or Enter post :class:`SearchBox.Left` so the screen can hand focus back
to the list. It knows nothing about the search language or the store.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = "/ search: text  status:failed  backend:NAME  type:…  user:…"


class SearchBox(Input):
    """A one-line input for the search language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back to the list", show=False),
    ]

    class Left(Message):
        """The user is done with the search box (Esc or Enter)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False)

    def action_leave(self) -> None:
        """Leave the box, keeping what was typed."""
        self.post_message(self.Left())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter also leaves the box."""
        self.post_message(self.Left())
