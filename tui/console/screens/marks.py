"""The marks the console puts on actions: watched (``w``) and stuck (:mod:`tui.stuck`).

:class:`Marks` answers the search language's ``is:`` tokens (``flags_of``,
given to the store) and the list's ``★``/``⚠`` marks. :class:`StuckTracker`
feeds a :class:`~tui.stuck.DurationHistory` with every action the console
sees and keeps a heap of when each in-flight action next needs a look
(:func:`~tui.stuck.stuck_due`), so the once-a-second clock costs one
comparison until an action is actually due. Pure: no widgets, no I/O, no
clock reads (callers pass ``now``); bounded by the number of in-flight
actions the store holds.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta

from tui.console.screens.main_view import WatchList
from tui.model import Action, Status
from tui.stuck import DurationHistory, Stuck, StuckRule, stuck_due, stuck_reason

RECHECK = timedelta(seconds=1)
"""The least wait before an action that was due but not stuck is looked at again."""

Lookup = Callable[[str], Action | None]
"""The store's ``get``."""

AsOf = Callable[[Action], datetime | None]
"""When the console last heard from an action's backend (a good poll), if ever."""


class StuckTracker:
    """Which in-flight actions are stuck now, rechecked only when one is due."""

    def __init__(self, rule: StuckRule | None = None) -> None:
        self.rule = rule or StuckRule()
        self.history = DurationHistory()
        self._stuck: dict[str, Stuck] = {}
        self._due: dict[str, datetime] = {}
        self._heap: list[tuple[datetime, str]] = []

    @property
    def stuck(self) -> Mapping[str, Stuck]:
        """Ref → why, for every action flagged now."""
        return self._stuck

    def observe(self, actions: Iterable[Action], now: datetime) -> set[str]:
        """Learn from new or changed actions; the refs whose flag changed (ended or recovered).

        A preload hands it every loaded action once, in batches of thousands:
        an ended action that was neither due nor flagged costs a comparison
        or two.
        """
        actions = list(actions)
        self.history.observe_all(actions)
        changed: set[str] = set()
        due, stuck = self._due, self._stuck
        pending, running = Status.PENDING, Status.RUNNING
        for action in actions:
            status = action.status
            if status is not pending and status is not running:  # not in flight
                if due:
                    due.pop(action.ref, None)
                if stuck and stuck.pop(action.ref, None) is not None:
                    changed.add(action.ref)
            elif action.ref in stuck:
                if stuck_reason(action, now, self.history, self.rule) is None:
                    del stuck[action.ref]
                    changed.add(action.ref)
                    self._schedule(action)
            else:
                self._schedule(action)
        return changed

    def _schedule(self, action: Action) -> None:
        due = stuck_due(action, self.history, self.rule)
        if due is None:
            self._due.pop(action.ref, None)
            return
        if self._due.get(action.ref) != due:
            self._due[action.ref] = due
            heapq.heappush(self._heap, (due, action.ref))

    def is_due(self, now: datetime) -> bool:
        """True when some action needs a look at ``now`` (one comparison)."""
        return bool(self._heap) and self._heap[0][0] <= now

    def check(self, now: datetime, lookup: Lookup, as_of: AsOf | None = None) -> list[Action]:
        """Look at the actions due by ``now``; the ones that have just become stuck.

        Each is judged as of the last good poll of its backend (``as_of``), not
        ``now``: data that is merely old (polling paused, a backend down) does
        not make a heartbeat stale.
        """
        newly: list[Action] = []
        while self._heap and self._heap[0][0] <= now:
            due, ref = heapq.heappop(self._heap)
            if self._due.get(ref) != due:
                continue  # rescheduled or ended since
            del self._due[ref]
            action = lookup(ref)
            if action is None or not action.status.in_flight:
                continue
            heard = as_of(action) if as_of is not None else None
            seen = min(now, heard) if heard is not None else now
            reason = stuck_reason(action, seen, self.history, self.rule)
            if reason is None:
                self._schedule_later(action, now, now - seen)
            elif ref not in self._stuck:
                self._stuck[ref] = reason
                newly.append(action)
        return newly

    def _schedule_later(self, action: Action, now: datetime, lag: timedelta) -> None:
        """Not stuck although due (the usual grew, a heartbeat came, the data lags ``lag``
        behind ``now``): look again when it could be."""
        due = stuck_due(action, self.history, self.rule)
        if due is not None:
            due = max(due + lag, now + RECHECK)
            self._due[action.ref] = due
            heapq.heappush(self._heap, (due, action.ref))


class Marks:
    """Watched and stuck actions: what ``is:watched`` and ``is:stuck`` match."""

    def __init__(self, rule: StuckRule | None = None) -> None:
        self.watch_list = WatchList()
        self.tracker = StuckTracker(rule)

    def flags_of(self, action: Action) -> frozenset[str]:
        """The ``is:`` marks ``action`` has right now."""
        flags: list[str] = []
        if action.ref in self.watch_list:
            flags.append("watched")
        if action.ref in self.tracker.stuck:
            flags.append("stuck")
        return frozenset(flags)

    def stuck_labels(self) -> dict[str, str]:
        """Ref → the list's label (``slow``, ``no heartbeat``) of every stuck action."""
        return {ref: stuck.label for ref, stuck in self.tracker.stuck.items()}
