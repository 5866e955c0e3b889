"""Reading the journal: the newest actions, a whole history in windows, the last run.

A reader has its own connection (SQLite readers never wait for the WAL
writer), for use in one thread. A record that cannot be read is skipped and
counted, never raised; a failure of the file itself is a one-line
:class:`~tui.journal.errors.JournalError`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.journal.codec import Codec
from tui.journal.database import connect, describe
from tui.model import Action, Status

WINDOW = 2000
"""Rows read per query while walking a whole history."""


@dataclass(frozen=True)
class HistoryQuery:
    """What to read: every part narrows (None: no limit)."""

    active_since: datetime | None = None
    """Only actions with an own time (created … updated) at or after this."""
    statuses: frozenset[Status] = frozenset()
    limit: int | None = None


def _when(seconds: float | None) -> datetime | None:
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None


class JournalReader:
    """Reads actions out of the journal file (one thread)."""

    def __init__(self, path: Path, connection: sqlite3.Connection | None = None) -> None:
        """Open ``path`` (or use ``connection``).

        Raises:
            JournalError: the file cannot be opened or read.
        """
        self.path = path
        self._db = connection or connect(path)
        self._codec = Codec(self._dictionaries())
        self.unreadable = 0
        """Records skipped because they could not be read."""

    def _dictionaries(self) -> dict[int, bytes]:
        rows = self._execute("SELECT id, data FROM dictionaries")
        return {int(row[0]): bytes(row[1]) for row in rows}

    def _execute(self, sql: str, parameters: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise describe(self.path, exc) from None

    @property
    def codec(self) -> Codec:
        """The codec with every dictionary of the file (the writer shares it)."""
        return self._codec

    def count(self) -> int:
        """How many actions the journal holds."""
        return int(self._execute("SELECT COUNT(*) FROM actions")[0][0])

    def last_active(self, besides_run: int | None = None) -> datetime | None:
        """When the latest run other than ``besides_run`` last wrote (its end, roughly)."""
        rows = self._execute(
            "SELECT MAX(last_active) FROM runs WHERE id != ?", (besides_run or -1,)
        )
        return _when(rows[0][0])

    def previous_look(self) -> datetime | None:
        """When the run before the latest last wrote: what the latest counts ``is:new`` from."""
        rows = self._execute("SELECT last_active FROM runs ORDER BY id DESC LIMIT 1 OFFSET 1")
        return _when(rows[0][0]) if rows else None

    def newest(self, limit: int) -> list[Action]:
        """The ``limit`` newest actions, newest first."""
        rows = self._execute(
            "SELECT state, dictionary FROM actions ORDER BY sort_time DESC LIMIT ?", (limit,)
        )
        return self._decode(rows)

    def windows(
        self,
        query: HistoryQuery | None = None,
        skip: int = 0,
        known: Container[int] = frozenset(),
    ) -> Iterator[list[Action]]:
        """Every matching action, newest first, :data:`WINDOW` rows at a time (after ``skip``).

        Rows whose key (:func:`~tui.journal.database.ref_key`) is ``known`` are
        left out undecoded, so a window may hold fewer actions (or none). One
        query, read in windows (an OFFSET per window would cost a scan each).
        """
        query = query or HistoryQuery()
        where, parameters = _where(query)
        limit = -1 if query.limit is None else query.limit
        sql = (
            f"SELECT key, state, dictionary FROM actions {where} "
            "ORDER BY sort_time DESC LIMIT ? OFFSET ?"
        )
        try:
            cursor = self._db.execute(sql, (*parameters, limit, skip))
            while rows := cursor.fetchmany(WINDOW):
                yield self._decode([row[1:] for row in rows if row[0] not in known])
        except sqlite3.Error as exc:
            raise describe(self.path, exc) from None

    def _decode(self, rows: Iterable[Sequence[Any]]) -> list[Action]:
        actions = []
        for state, dictionary in rows:
            try:
                actions.append(self._codec.action(bytes(state), int(dictionary)))
            except ValueError:
                self.unreadable += 1
        return actions

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


def _where(query: HistoryQuery) -> tuple[str, list[object]]:
    clauses: list[str] = []
    parameters: list[object] = []
    if query.active_since is not None:
        clauses.append("active_at >= ?")
        parameters.append(query.active_since.timestamp())
    if query.statuses:
        marks = ", ".join("?" for _ in query.statuses)
        clauses.append(f"status IN ({marks})")
        parameters.extend(sorted(status.value for status in query.statuses))
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), parameters
