"""The raw-JSON view of the detail pane: the payload exactly as the server sent it.

Pretty-printed and highlighted with the current theme's colours. The payload
is server data: control characters are neutralised and nothing is parsed as
markup (highlighting only adds styles of ours to the literal text).
"""

from __future__ import annotations

import json
from typing import Any

from textual.content import Content
from textual.highlight import highlight
from textual.widgets import Static

from tui.text import safe_text
from tui.widgets.formatting import MUTED, update_if_changed

MAX_RAW_CHARS = 200_000
"""Longer payloads are cut (the pane is for reading, not for exporting)."""


def pretty_json(payload: Any) -> str:
    """``payload`` as indented JSON (non-JSON values shown via ``str``)."""
    return json.dumps(payload, indent=2, ensure_ascii=False, default=str)


def raw_json_content(payload: Any) -> Content:
    """Highlighted, neutralised JSON text."""
    text = safe_text(pretty_json(payload), multiline=True)
    cut = len(text) > MAX_RAW_CHARS
    if cut:
        text = text[:MAX_RAW_CHARS]
    content = highlight(text, language="json")
    if cut:
        content = content + Content.styled("\n… (cut)", MUTED)
    return content


class RawJsonView(Static):
    """Shows a server payload as highlighted JSON."""

    DEFAULT_CSS = """
    RawJsonView {
        height: auto;
        width: auto;
        min-width: 100%;
    }
    """

    def show_payload(self, payload: Any) -> None:
        """Render ``payload``."""
        update_if_changed(self, raw_json_content(payload))
