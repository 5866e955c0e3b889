"""The floor of the terminal benchmarks: a bare Textual app that paints one line of rows."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    """Nothing but a few lines that look like rows of the action list."""

    def compose(self) -> ComposeResult:
        yield Static("\n".join(f"seeweb row {n}" for n in range(5)))


if __name__ == "__main__":
    Bare().run()
