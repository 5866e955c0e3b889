"""The one error the journal raises: the file cannot serve as history, said in one line."""

from __future__ import annotations


class JournalError(Exception):
    """The journal file cannot be used (corrupt, locked, unwritable); the message is one line."""
