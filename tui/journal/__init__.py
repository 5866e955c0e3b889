"""The action journal: a local SQLite file that remembers every action the console saw.

Headless (no Textual, no Rich): the console records into it and starts from
it, ``actiondeck history`` queries it. See docs/journal.md for the file, its
locking and what survives a crash.

The names below load their module when first used (``sqlite3`` and the
codec with them), so a console that keeps no journal (the demo) loads only
:mod:`~tui.journal.since`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.journal.database import ref_key
    from tui.journal.errors import JournalError
    from tui.journal.journal import Journal
    from tui.journal.reader import HistoryQuery, JournalReader
    from tui.journal.since import EndedSince, since_text

_HOMES = {
    "EndedSince": "tui.journal.since",
    "HistoryQuery": "tui.journal.reader",
    "Journal": "tui.journal.journal",
    "JournalError": "tui.journal.errors",
    "JournalReader": "tui.journal.reader",
    "ref_key": "tui.journal.database",
    "since_text": "tui.journal.since",
}
"""Where each name of :data:`__all__` lives."""


def __getattr__(name: str) -> Any:
    """Load the module of a name of :data:`__all__` on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "EndedSince",
    "HistoryQuery",
    "Journal",
    "JournalError",
    "JournalReader",
    "ref_key",
    "since_text",
]
