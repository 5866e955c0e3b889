"""The floor of a keystroke in a terminal: a bare Textual app whose search box echoes it.

A focused ``Input`` above a few lines that look like rows of the action list;
nothing listens to the box, so a key costs Textual's own round trip (read the
key, edit the box, paint the change) and nothing of ours.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Static


class BareInput(App[None]):
    """A search box and a few rows; typing only echoes."""

    CSS = "#box { height: 1; border: none; padding: 0 1; }"

    def compose(self) -> ComposeResult:
        yield Input(placeholder="type here", id="box")
        yield Static("\n".join(f"seeweb row {n}" for n in range(30)))

    def on_mount(self) -> None:
        """The box has the keys."""
        self.query_one(Input).focus()


if __name__ == "__main__":
    BareInput().run()
