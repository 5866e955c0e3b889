"""The peer of closing the help screen: a bare Textual app with a modal screen.

``?`` opens a modal screen that says "Help shown"; Escape, ``q`` or ``?``
closes it, as they close the console's help. Nothing else runs, so closing
costs Textual's own round trip (read the key, pop the screen, repaint), and
for Escape its wait for the rest of an escape sequence (``ESCDELAY``).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static


class Modal(ModalScreen[None]):
    """A few lines on top of the app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help")
    ]

    def compose(self) -> ComposeResult:
        yield Static("Help shown\n" + "\n".join(f"key {n}" for n in range(20)))


class BareModal(App[None]):
    """A few rows; ``?`` opens the modal."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("question_mark", "open", "Help")]

    def compose(self) -> ComposeResult:
        yield Static("\n".join(f"seeweb row {n}" for n in range(30)))

    def action_open(self) -> None:
        """Open the modal."""
        self.push_screen(Modal())


if __name__ == "__main__":
    BareModal().run()
