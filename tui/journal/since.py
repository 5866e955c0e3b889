"""Since you last looked: which actions ended after the previous run, and the line saying so.

:class:`EndedSince` is fed every action the backends report and keeps those
that ended after ``last_look`` (the last time a console wrote the journal);
the console shows :meth:`EndedSince.summary` once every backend has answered,
and the search filter ``is:new`` keeps the same actions. Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from tui.model import Action, Status
from tui.search import ended_after, ended_at

MAX_KEPT = 10_000
"""At most this many ended actions are kept (memory stays bounded); the count goes on."""

MAX_COUNTED = 1_000_000
"""Refs remembered so that an action reported twice counts once (bounded too)."""

ORDER = (Status.FAILED, Status.CANCELLED, Status.COMPLETED)
"""The order of the summary's parts: what needs attention first."""


def since_text(moment: datetime, now: datetime) -> str:
    """``today 09:14``, ``yesterday 18:02``, ``Mar 12 18:02`` (in ``now``'s zone)."""
    local = moment.astimezone(now.tzinfo)
    clock = local.strftime("%H:%M")
    days = (now.date() - local.date()).days
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"yesterday {clock}"
    if local.year == now.year:
        return f"{local:%b} {local.day} {clock}"
    return f"{local:%Y-%m-%d} {clock}"


class EndedSince:
    """The actions reported as ended after the previous run, by ref."""

    def __init__(self, last_look: datetime | None) -> None:
        self.last_look = last_look
        self._ended: dict[str, Action] = {}
        self._counts: Counter[Status] = Counter()
        self._seen: set[str] = set()

    def observe(self, actions: Iterable[Action]) -> None:
        """Fold in actions a backend reported (history rows do not count: they are old news)."""
        if self.last_look is None:
            return
        for action in actions:
            if action.from_history or action.ref in self._seen:
                continue
            if not ended_after(action, self.last_look):
                continue
            if len(self._seen) < MAX_COUNTED:
                self._seen.add(action.ref)
            self._counts[action.status] += 1
            if len(self._ended) < MAX_KEPT:
                self._ended[action.ref] = action

    def actions(self) -> list[Action]:
        """The ended actions, the latest ending first."""
        return sorted(self._ended.values(), key=_end_key, reverse=True)

    def counts(self) -> dict[Status, int]:
        """How many ended, by final status."""
        return {status: self._counts[status] for status in ORDER if self._counts[status]}

    def summary(self, now: datetime) -> str | None:
        """``3 failed, 12 completed since yesterday 18:02``; None when nothing ended."""
        counts = self.counts()
        if self.last_look is None or not counts:
            return None
        parts = ", ".join(f"{count} {status.value}" for status, count in counts.items())
        return f"{parts} since {since_text(self.last_look, now)}"


def _end_key(action: Action) -> datetime:
    return ended_at(action) or action.sort_time
