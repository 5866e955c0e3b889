"""The journal's one writer: a thread that batches what the console saw into transactions.

The console hands it actions and never waits: :meth:`JournalWriter.record`
and :meth:`~JournalWriter.touch` only put the request on a queue (the action
objects are immutable, so they are shared, not copied, and serialised here,
never on the console's thread). The thread merges requests (the newest
version of an action wins) and writes them once the console has been quiet
for :data:`QUIET` seconds, in transactions of :data:`SLICE` actions (a
reader never waits long); a new request between two transactions puts the
rest off until the console is quiet again, so a burst (a full load of
100,000 actions) costs the UI next to nothing while it lasts (Python runs
one thread at a time: every action serialised here is time the console's
thread waits). Only :data:`MAX_DELAY` seconds after the oldest unwritten
request, or with :data:`MAX_PENDING` waiting, is everything written at once.
A version the file already holds byte for byte (a backend sending again what
the journal kept) is only touched, not rewritten. A failure of the file
stops the writer and is kept as one line (:attr:`JournalWriter.failure`);
the console goes on without history. Knows SQL and the codec; no UI.
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tui.journal.codec import TRAINING_RECORDS, Codec, state_json, train
from tui.journal.database import describe, ref_key
from tui.model import Action

QUIET = 0.5
"""Seconds without a new request after which pending writes are committed."""

MAX_DELAY = 30.0
"""Seconds a request may wait, however busy the console is."""

MAX_PENDING = 200_000
"""Requests waiting at most (memory stays bounded; more are written at once)."""

CHUNK = 2000
"""Actions per transaction."""

SLICE = 250
"""Actions per transaction while the console may get busy again (it waits for at most one)."""

PRUNE_EVERY = 3600.0
"""Seconds between two prunes of actions not seen for ``keep_days``."""

UPSERT = """
INSERT INTO actions (key, status, sort_time, active_at, ended_at,
                     first_seen, last_seen, listed, dictionary, state)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET
    status = excluded.status, sort_time = excluded.sort_time,
    active_at = excluded.active_at, ended_at = excluded.ended_at,
    last_seen = MAX(last_seen, excluded.last_seen), listed = excluded.listed,
    dictionary = excluded.dictionary, state = excluded.state
"""

TOUCH = "UPDATE actions SET last_seen = MAX(last_seen, ?), listed = 1 WHERE key = ?"

ECHO = "UPDATE actions SET last_seen = MAX(last_seen, ?), listed = ? WHERE key = ?"
"""A version the file holds already: only when it was seen, and whether it is listed."""

KEPT = "SELECT key, dictionary, state FROM actions WHERE key IN ({marks})"


def _stamp(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def row_times(action: Action, seen: float) -> tuple[float, int, int | None]:
    """``(sort_time, active_at, ended_at)`` of an action seen at ``seen``."""
    own = [
        t
        for t in (action.created_at, action.started_at, action.finished_at, action.updated_at)
        if t is not None
    ]
    active = max(own).timestamp() if own else seen
    ended = None
    if action.status.is_final:
        ended = int(_stamp(action.finished_at or action.updated_at) or seen)
    return action.sort_time.timestamp(), int(active), ended


@dataclass
class _Pending:
    """Requests taken off the queue, not written yet.

    Kept as they came (a burst costs the thread nothing per action); the
    newest version of each action is picked when they are written.
    """

    batches: list[tuple[list[Action], float]] = field(default_factory=list)
    touches: list[tuple[list[str], float]] = field(default_factory=list)
    left: dict[str, tuple[Action, float]] = field(default_factory=dict)
    """What a write put off (older than every batch)."""
    size: int = 0
    oldest: float | None = None

    def __len__(self) -> int:
        return self.size

    def actions(self) -> dict[str, tuple[Action, float]]:
        """The newest version of each action, with when it was seen."""
        newest = dict(self.left)
        for batch, seen in self.batches:
            for action in batch:
                newest[action.ref] = (action, seen)
        return newest

    def touched(self) -> dict[str, float]:
        """When each touched action was last listed."""
        return {ref: seen for refs, seen in self.touches for ref in refs}


_STOP = object()


class JournalWriter:
    """Writes recorded actions to the journal in a background thread."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        codec: Codec,
        *,
        run_id: int,
        keep_days: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = connection
        self._path = path
        self._codec = codec
        self._run_id = run_id
        self._keep = keep_days * 86400
        self._clock = clock
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._pending = _Pending()
        self._last_prune = 0.0
        self.failure: str | None = None
        """Why writing stopped (one line), once it has."""
        self.written = 0
        """Actions written so far (for tests and benchmarks)."""
        self._thread = threading.Thread(target=self._run, name="actiondeck-journal", daemon=True)
        self._thread.start()

    # -- the console's side: never blocks ----------------------------------------------------

    def record(self, actions: Iterable[Action], seen: datetime) -> None:
        """Remember these versions of actions, as seen at ``seen``."""
        batch = list(actions)
        if batch and self.failure is None:
            self._queue.put((batch, seen.timestamp()))

    def touch(self, refs: Iterable[str], seen: datetime) -> None:
        """The backend listed these actions (unchanged) at ``seen``."""
        batch = list(refs)
        if batch and self.failure is None:
            self._queue.put((batch, seen.timestamp(), "touch"))

    def flush(self, timeout: float = 10.0) -> bool:
        """Write everything recorded so far now; wait at most ``timeout`` seconds for it.

        Returns:
            True when it was written (False: timed out, or writing has stopped).
        """
        if not self._thread.is_alive():
            return False
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout) and self.failure is None and self._thread.is_alive()

    def close(self, timeout: float = 5.0) -> None:
        """Write what is pending and stop (waits at most ``timeout`` seconds)."""
        self._queue.put(_STOP)
        self._thread.join(timeout)

    # -- the thread --------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._prune()
            while self._step():
                pass
        except (sqlite3.Error, OSError, ValueError) as exc:
            self.failure = str(describe(self._path, exc))
            self._release_waiters()
        finally:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()

    def _release_waiters(self) -> None:
        """After a failure: nobody may wait for a flush that will never come."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, threading.Event):
                item.set()

    def _step(self) -> bool:
        """Wait for one request (or for the time to write); False once stopped."""
        try:
            item = self._queue.get(timeout=self._wait())
        except queue.Empty:  # the console is quiet: write, until it is busy again
            self._commit(yielding=not self._overdue())
            return True
        if item is _STOP:
            self._commit()
            return False
        if isinstance(item, threading.Event):
            self._commit()
            item.set()
            return True
        self._take(item)
        if len(self._pending) >= MAX_PENDING or self._overdue():
            self._commit()
        return True

    def _wait(self) -> float | None:
        """Seconds to wait for the next request before writing; None: nothing pending."""
        if self._pending.oldest is None:
            return None
        return QUIET

    def _overdue(self) -> bool:
        oldest = self._pending.oldest
        return oldest is not None and time.monotonic() - oldest >= MAX_DELAY

    def _take(self, item: object) -> None:
        pending = self._pending
        if pending.oldest is None:
            pending.oldest = time.monotonic()
        if isinstance(item, tuple) and len(item) == 3:
            refs, seen, _ = item
            pending.touches.append((refs, seen))
            pending.size += len(refs)
        elif isinstance(item, tuple):
            actions, seen = item
            pending.batches.append((actions, seen))
            pending.size += len(actions)

    def _commit(self, *, yielding: bool = False) -> None:
        """Write what is pending, :data:`CHUNK` actions per transaction.

        ``yielding``: :data:`SLICE` actions per transaction, and stop between
        two as soon as a new request waits (the console is busy again); the
        rest stays pending.
        """
        pending, self._pending = self._pending, _Pending()
        if pending.oldest is not None:
            items = list(pending.actions().values())
            self._ensure_dictionary(items)
            # Touches first: a version recorded in the same batch says more (``gone``).
            touched = [(int(seen), ref_key(ref)) for ref, seen in pending.touched().items()]
            if touched:
                with self._transaction() as db:
                    db.executemany(TOUCH, touched)
            size = SLICE if yielding else CHUNK
            for start in range(0, len(items), size):
                if yielding and start and not self._queue.empty():
                    left = {action.ref: (action, seen) for action, seen in items[start:]}
                    self._pending = _Pending(left=left, size=len(left), oldest=pending.oldest)
                    break
                self._write(items[start : start + size])
        if self._clock() - self._last_prune >= PRUNE_EVERY:
            self._prune()

    def _write(self, items: list[tuple[Action, float]]) -> None:
        """One transaction: these versions, except those the file holds already."""
        rows = [self._row(action, seen) for action, seen in items]
        fresh: list[tuple[object, ...]] = []
        echoes: list[tuple[object, ...]] = []
        with self._transaction() as db:
            kept = self._kept([row[0] for row in rows])
            for row in rows:
                key, *_, last_seen, listed, dictionary, state = row
                if kept.get(key) == (dictionary, state):
                    echoes.append((last_seen, listed, key))
                else:
                    fresh.append(row)
            db.executemany(UPSERT, fresh)
            db.executemany(ECHO, echoes)
        self.written += len(fresh)

    def _kept(self, keys: list[object]) -> dict[object, tuple[object, object]]:
        """``key → (dictionary, state)`` of the rows the file holds for ``keys``."""
        if not keys:
            return {}
        sql = KEPT.format(marks=", ".join("?" * len(keys)))
        return {key: (d, bytes(state)) for key, d, state in self._db.execute(sql, keys)}

    def _row(self, action: Action, seen: float) -> tuple[object, ...]:
        sort_time, active, ended = row_times(action, seen)
        dictionary = self._codec.newest
        blob = self._codec.encode(state_json(action), dictionary)
        return (
            ref_key(action.ref),
            action.status.value,
            sort_time,
            active,
            ended,
            int(seen),
            int(seen),
            0 if action.gone else 1,
            dictionary,
            blob,
        )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, which also says this run is still active."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute(
                "UPDATE runs SET last_active = ? WHERE id = ?", (self._clock(), self._run_id)
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _ensure_dictionary(self, items: list[tuple[Action, float]]) -> None:
        """Train the first dictionary from the first records big enough a batch."""
        if self._codec.newest:
            return
        samples = [state_json(action) for action, _ in items[:TRAINING_RECORDS]]
        dictionary = train(samples)
        if dictionary is None:
            return
        self._db.execute("BEGIN IMMEDIATE")
        cursor = self._db.execute("INSERT INTO dictionaries (data) VALUES (?)", (dictionary,))
        self._db.execute("COMMIT")
        self._codec.add(int(cursor.lastrowid or 0), dictionary)

    def _prune(self) -> None:
        now = self._clock()
        self._last_prune = now
        cutoff = now - self._keep
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM actions WHERE last_seen < ?", (cutoff,))
        db.execute("DELETE FROM runs WHERE last_active < ? AND id != ?", (cutoff, self._run_id))
        db.execute("COMMIT")
