"""The journal as the console and the CLI use it: open, record, read, close.

:meth:`Journal.open` takes the writer lock when it can (then this process
writes, through :class:`~tui.journal.writer.JournalWriter`) and otherwise
opens the file to read only (another console writes it). Opening, like
everything else here, raises only :class:`~tui.journal.errors.JournalError`,
whose one line says which file and why.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from tui.journal.database import WriterLock, connect, describe
from tui.journal.errors import JournalError
from tui.journal.reader import JournalReader
from tui.journal.writer import JournalWriter
from tui.model import Action


class Journal:
    """One process's handle on the journal file."""

    def __init__(
        self,
        path: Path,
        reader: JournalReader,
        writer: JournalWriter | None,
        lock: WriterLock | None,
        last_look: datetime | None,
    ) -> None:
        self.path = path
        self.reader = reader
        """Reads on the thread that opened the journal."""
        self._writer = writer
        self._lock = lock
        self.last_look = last_look
        """When a console last wrote the journal before this one (None: never)."""

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        keep_days: float,
        now: datetime,
        write: bool = True,
        clock: Callable[[], datetime] | None = None,
    ) -> Journal:
        """Open ``path``: to write when ``write`` and no other process writes, else to read.

        ``clock`` tells the writer the time (pruning, the run's last activity);
        the wall clock by default.

        Raises:
            JournalError: the file cannot be used (one line: which file, why).
        """
        path = path.expanduser()
        lock = WriterLock(path) if write else None
        writing = lock is not None and _acquire(lock, path)
        try:
            connection = connect(path)
        except JournalError:
            if lock is not None:
                lock.release()
            raise
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)  # what the clouds did is nobody else's business
        try:
            reader = JournalReader(path, connection)
            last_look = reader.last_active()
            writer = _writer(connection, path, reader, keep_days, now, clock) if writing else None
        except sqlite3.Error as exc:
            connection.close()
            if lock is not None:
                lock.release()
            raise describe(path, exc) from None
        except JournalError:
            connection.close()
            if lock is not None:
                lock.release()
            raise
        return cls(path, reader, writer, lock if writing else None, last_look)

    @property
    def writable(self) -> bool:
        """True when this process writes the journal (it holds the lock)."""
        return self._writer is not None

    @property
    def failure(self) -> str | None:
        """Why writing stopped, once it has (one line)."""
        return self._writer.failure if self._writer is not None else None

    @property
    def written(self) -> int:
        """Actions written by this process so far."""
        return self._writer.written if self._writer is not None else 0

    def record(self, actions: Iterable[Action], seen: datetime) -> None:
        """Remember these versions of actions (never blocks; nothing when read-only)."""
        if self._writer is not None:
            self._writer.record(actions, seen)

    def touch(self, refs: Iterable[str], seen: datetime) -> None:
        """These actions were listed again, unchanged (never blocks)."""
        if self._writer is not None:
            self._writer.touch(refs, seen)

    def flush(self, timeout: float = 10.0) -> bool:
        """Write what is pending now (bounded wait); True when written."""
        return self._writer.flush(timeout) if self._writer is not None else True

    def open_reader(self) -> JournalReader:
        """A reader with its own connection, for another thread.

        Raises:
            JournalError: the file cannot be opened.
        """
        return JournalReader(self.path)

    def close(self, timeout: float = 5.0) -> None:
        """Write what is pending (at most ``timeout`` seconds), then let go of the file."""
        if self._writer is not None:
            self._writer.close(timeout)
        with contextlib.suppress(sqlite3.Error):
            self.reader.close()
        if self._lock is not None:
            self._lock.release()


def _acquire(lock: WriterLock, path: Path) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(f"history {path}: cannot create its folder ({exc.strerror})") from None
    return lock.acquire()


def _writer(
    connection: sqlite3.Connection,
    path: Path,
    reader: JournalReader,
    keep_days: float,
    now: datetime,
    clock: Callable[[], datetime] | None,
) -> JournalWriter:
    """Start this run (a row in ``runs``) and its writer thread, on its own connection."""
    stamp = now.timestamp()
    cursor = connection.execute(
        "INSERT INTO runs (started_at, last_active) VALUES (?, ?)", (stamp, stamp)
    )
    run_id = int(cursor.lastrowid or 0)
    seconds = (lambda: clock().timestamp()) if clock is not None else time.time
    return JournalWriter(
        connect(path, check=False),
        path,
        reader.codec,
        run_id=run_id,
        keep_days=keep_days,
        clock=seconds,
    )
