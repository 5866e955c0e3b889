"""Words and numbers the CLI and the console both print, so they always read the same.

Pure functions of our own values (never server text: that goes through
:mod:`tui.text`). No Textual, no Rich, no clock reads.
"""

from __future__ import annotations


def unreadable_text(count: int) -> str:
    """``1 entry unreadable`` / ``2 entries unreadable``: what a backend's answer skipped."""
    return f"{count} {'entry' if count == 1 else 'entries'} unreadable"
