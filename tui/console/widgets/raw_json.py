"""The raw-JSON view of the detail pane: the payload exactly as the server sent it, all of it.

Pretty-printed and highlighted with the current theme's colours. The payload
is server data: control characters are neutralised and nothing is parsed as
markup (highlighting only adds styles of ours to the literal text). Nothing
is cut: the view is virtual (see :class:`~tui.console.widgets.line_view.LineView`),
so a payload with megabyte strings opens and scrolls at the cost of the
visible lines; a line longer than
:data:`~tui.console.widgets.highlighted_lines.MAX_HIGHLIGHTED_LINE` characters is
shown unhighlighted and read by scrolling sideways.
"""

from __future__ import annotations

import json
from typing import Any

from rich.cells import cell_len
from textual.content import Content

from tui.console.widgets.highlighted_lines import HighlightedLines
from tui.console.widgets.line_view import LineView
from tui.text import safe_text


def pretty_json(payload: Any) -> str:
    """``payload`` as indented JSON (non-JSON values shown via ``str``)."""
    return json.dumps(payload, indent=2, ensure_ascii=False, default=str)


def raw_json_lines(payload: Any) -> HighlightedLines:
    """The neutralised, pretty-printed payload, highlighted a block at a time when shown."""
    # Pretty-printed JSON never continues a token onto the next line, so the
    # lexer may start afresh on any line.
    return HighlightedLines(safe_text(pretty_json(payload), multiline=True), "json", None)


def _line_width(line: str) -> int:
    return len(line) if line.isascii() else cell_len(line)


class RawJsonView(LineView):
    """Shows a server payload as highlighted JSON; only the visible lines are rendered."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty view.

        Args:
            id: the widget id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes)
        self._payload: object = None
        self._lines: HighlightedLines | None = None

    def show_payload(self, payload: Any) -> None:
        """Render ``payload`` (nothing is redone for the very same payload)."""
        if self._lines is not None and payload is self._payload:
            return
        self._payload = payload
        self._lines = raw_json_lines(payload)
        width = max(_line_width(line) for line in self._lines.lines)
        self.set_lines(len(self._lines), width)

    def line_content(self, index: int) -> Content:
        """Line ``index`` of the pretty-printed payload."""
        return self._lines.line(index) if self._lines is not None else Content("")
