"""The action journal: a local SQLite file that remembers every action the console saw.

Headless (no Textual, no Rich): the console records into it and starts from
it, ``actiondeck history`` queries it. See docs/journal.md for the file, its
locking and what survives a crash.
"""

from tui.journal.database import ref_key
from tui.journal.errors import JournalError
from tui.journal.journal import Journal
from tui.journal.reader import HistoryQuery, JournalReader
from tui.journal.since import EndedSince, since_text

__all__ = [
    "EndedSince",
    "HistoryQuery",
    "Journal",
    "JournalError",
    "JournalReader",
    "ref_key",
    "since_text",
]
