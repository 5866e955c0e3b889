"""The journal's SQLite file: opening it, its schema, and the one-writer lock.

WAL mode with ``synchronous = NORMAL``: a committed transaction survives the
process being killed at any moment (only a power cut may lose the last
ones), and readers never wait for the writer. One process writes: it holds
an exclusive ``flock`` on ``FILE.lock`` for as long as it runs; a second
console finds the lock taken and opens the file to read only. Every SQLite
failure is turned into a one-line :class:`JournalError`. No threads, no
knowledge of actions beyond the columns.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from pathlib import Path
from typing import IO

from tui.journal.errors import JournalError

try:
    import fcntl

    HAVE_FLOCK = True
except ImportError:  # pragma: no cover - not POSIX: SQLite's own locking alone
    HAVE_FLOCK = False

SCHEMA_VERSION = 1
"""``PRAGMA user_version`` of the schema below."""

BUSY_TIMEOUT_MS = 2000
"""How long a statement waits for another process's lock before it fails."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS actions (
    key INTEGER PRIMARY KEY,
    status TEXT NOT NULL,
    sort_time REAL NOT NULL,
    active_at INTEGER NOT NULL,
    ended_at INTEGER,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    listed INTEGER NOT NULL,
    dictionary INTEGER NOT NULL,
    state BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS actions_newest ON actions (sort_time DESC);
CREATE TABLE IF NOT EXISTS dictionaries (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at REAL NOT NULL,
    last_active REAL NOT NULL
);
"""
"""Times are Unix seconds (UTC). ``key`` is :func:`ref_key` of the action's ref
(the ref itself is in ``state``, a record of :mod:`tui.journal.codec`);
``active_at`` is the action's latest own time, ``listed`` is 0 once its
backend forgot it."""

WAL_LIMIT = 8 * 1024 * 1024
"""Bytes the write-ahead log is cut back to after a checkpoint."""


def ref_key(ref: str) -> int:
    """The row key of ``ref``: a signed 64-bit hash (one in 10^7 chance of a clash per
    million actions; a clash makes one action's row replace the other's)."""
    digest = hashlib.blake2b(ref.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def connect(path: Path, *, check: bool = True) -> sqlite3.Connection:
    """Open (creating when needed) the journal file in WAL mode, with the schema.

    ``check`` runs SQLite's ``quick_check`` first (a second connection to a
    file just checked need not).

    Raises:
        JournalError: the file cannot be created, is not a database, is
            corrupt or stays locked by another process.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(f"history {path}: cannot create its folder ({_why(exc)})") from None
    try:
        connection = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise JournalError(f"history {path}: cannot open ({_why(exc)})") from None
    try:
        _prepare(connection, check)
    except sqlite3.Error as exc:
        connection.close()
        raise JournalError(f"history {path}: {_why(exc)}") from None
    return connection


def _prepare(connection: sqlite3.Connection, check: bool) -> None:
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"written by a newer ActionDeck (schema {version})")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise sqlite3.DatabaseError(f"cannot use WAL mode (got {mode})")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT}")
    quick = connection.execute("PRAGMA quick_check(1)").fetchone()[0] if check else "ok"
    if quick != "ok":
        raise sqlite3.DatabaseError(f"the file is damaged ({quick})")
    if version < SCHEMA_VERSION:
        connection.executescript(f"BEGIN; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")


def _why(exc: BaseException) -> str:
    """SQLite's or the OS's reason, on one line."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    if "database is locked" in text:
        text += "; another process holds it"
    return " ".join(text.split())


def describe(path: Path, exc: BaseException) -> JournalError:
    """A one-line :class:`JournalError` for a failure while using the file."""
    return JournalError(f"history {path}: {_why(exc)}")


class WriterLock:
    """The exclusive right to write the journal, held through ``FILE.lock`` (flock).

    The kernel drops the lock when the process ends however it ends, so a
    killed console never leaves it taken.
    """

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(path.name + ".lock")
        self._file: IO[bytes] | None = None

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this process may write."""
        if not HAVE_FLOCK:  # pragma: no cover - see the import
            return True
        try:
            handle = self.path.open("ab")
        except OSError:
            return False
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)
        self._file = handle
        return True

    def release(self) -> None:
        """Let another console write."""
        if self._file is not None:
            self._file.close()
            self._file = None
