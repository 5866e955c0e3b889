"""The console's side of the journal: open it, start from it, feed it, say what ended.

:class:`ConsoleHistory` is what the app holds. At start-up it opens the
journal (a file that cannot be used is one line for a toast; the console
then runs without history) and gives the newest actions for the first
paint; a thread worker reads the rest in windows (:class:`HistoryRead`).
Afterwards every merge is recorded (the journal's writer thread does the
writing) and watched for actions that ended since the previous run
(:meth:`ConsoleHistory.summary`, :meth:`ConsoleHistory.ended`). Nothing
here touches a widget.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual.message import Message

from tui.config import HistoryConfig
from tui.journal.since import EndedSince
from tui.model import Action

if TYPE_CHECKING:
    from tui.journal import Journal

START_ROWS = 500
"""Actions read from the journal before the first paint (the rest follow in a worker)."""

CLOSE_TIMEOUT = 5.0
"""Seconds the journal may take to write what is pending when the console quits."""


@dataclass
class HistoryRead(Message):
    """A window of actions read from the journal (older than what the first paint showed)."""

    actions: list[Action]


class ConsoleHistory:
    """The journal as the console uses it (or its absence, with the reason)."""

    def __init__(self, journal: Journal | None, problem: str | None = None) -> None:
        self.journal = journal
        self.problem = problem
        """Why there is no history (one line), when there is none because of a fault."""
        self.ended_since = EndedSince(journal.last_look if journal else None)
        self._failure_told = False

    @classmethod
    def open(
        cls, config: HistoryConfig, *, now: Callable[[], datetime], demo: bool
    ) -> ConsoleHistory:
        """The journal ``config`` names, or none, with why.

        The demo (the embedded simulator) keeps no journal unless ``path`` names
        one: its world is drawn afresh each run, so last run's actions would be
        another world's. ``now`` is the console's clock, which the journal's
        times follow.
        """
        if not config.enabled or (demo and config.path is None):
            return cls(None)  # no journal: sqlite3 and the journal's modules stay unloaded
        from tui.journal import Journal, JournalError

        path = config.database_path(demo=demo)
        try:
            journal = Journal.open(path, keep_days=config.keep_days, now=now(), clock=now)
        except JournalError as error:
            return cls(None, f"History off: {error}")
        return cls(journal)

    @property
    def last_look(self) -> datetime | None:
        """When a console last wrote the journal before this one."""
        return self.ended_since.last_look

    def first_rows(self) -> list[Action]:
        """The newest actions of the journal, for the first paint ([] without history)."""
        if self.journal is None:
            return []
        from tui.journal import JournalError

        try:
            return self.journal.reader.newest(START_ROWS)
        except JournalError as error:
            self._lose(str(error))
            return []

    def read_rest(
        self,
        post: Callable[[Message], object],
        cancelled: Callable[[], bool],
        known: Collection[str] = (),
    ) -> None:
        """Post the rest of the journal as :class:`HistoryRead` windows (in a thread).

        Rows of the ``known`` refs (the store has their backend's version) are
        not even decoded.
        """
        if self.journal is None:
            return
        from tui.journal import JournalError, ref_key

        try:
            reader = self.journal.open_reader()
            try:
                keys = {ref_key(ref) for ref in known}
                for window in reader.windows(skip=START_ROWS, known=keys):
                    if cancelled():
                        return
                    if window:
                        post(HistoryRead(window))
            finally:
                reader.close()
        except JournalError as error:
            self._lose(str(error))

    @property
    def watching(self) -> bool:
        """Whether :meth:`seen` does anything (a journal to write, a last look to compare with)."""
        return self.journal is not None or self.ended_since.last_look is not None

    def seen(self, actions: Collection[Action], at: datetime) -> None:
        """Backends sent these new or changed versions: record them, watch for endings."""
        if not actions:
            return
        self.ended_since.observe(actions)
        if self.journal is not None:
            self.journal.record(actions, at)

    def listed(self, refs: Iterable[str], at: datetime) -> None:
        """A backend listed these actions again (changed or not)."""
        if self.journal is not None:
            self.journal.touch(refs, at)

    def summary(self, now: datetime) -> str | None:
        """``3 failed, 12 completed since yesterday 18:02``, when anything ended."""
        return self.ended_since.summary(now)

    def ended(self) -> list[Action]:
        """The actions that ended since the previous run, the latest ending first."""
        return self.ended_since.actions()

    def new_failure(self) -> str | None:
        """The reason the journal stopped writing, the first time it is asked after it did."""
        if self._failure_told:
            return None
        failure = self.problem if self.journal is None else self.journal.failure
        if failure is not None and self.journal is not None:
            self._failure_told = True
            return f"History stopped: {failure}"
        return None

    def _lose(self, reason: str) -> None:
        self.problem = f"History off: {reason}"

    def close(self) -> None:
        """Write what is pending (bounded) and let go of the file."""
        if self.journal is not None:
            self.journal.close(CLOSE_TIMEOUT)
