"""Which in-flight actions look stuck, and why: one rule for the console, the CLI and the exporter.

An action is *slow* when it has been in flight much longer than completed
actions of the same backend and name usually take (more than ``factor`` × their
p95 duration, once ``min_samples`` of them have been seen), or longer than a
fixed ``floor`` when there is no such history yet. An action of a backend whose
actions report a heartbeat (Redis Enterprise state machines) is also stuck
when its heartbeat is older than ``heartbeat_stale``.

The reasons quote server text (action names, shard ids): neutralise them
(:mod:`tui.text`) on the way to a terminal. Pure logic over
:class:`~tui.model.Action` values: no I/O, no clock reads
(callers pass ``now``), no UI. :class:`DurationHistory` is bounded whatever a
server sends: a fixed number of keys, a fixed number of samples per key.
"""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tui.backends import capabilities_of
from tui.format import duration_text, seconds_between
from tui.model import Action, Status


@dataclass(frozen=True)
class StuckRule:
    """The thresholds of the rule (the defaults suit every backend type we know)."""

    factor: float = 3.0
    """How many times the usual (p95) duration an action may run before it is slow."""
    min_samples: int = 5
    """Completed actions of a backend and name needed before their p95 is trusted."""
    floor: timedelta = timedelta(minutes=30)
    """How long an action with no (or too little) history may run before it is slow."""
    heartbeat_stale: timedelta = timedelta(minutes=5)
    """How old a heartbeat may be before an in-flight action that reports one is stuck."""


@dataclass(frozen=True)
class Stuck:
    """Why one action is flagged: a short label for the list and a sentence for the detail."""

    label: str
    """``slow`` or ``no heartbeat``: what the list shows after ``⚠``."""
    reason: str
    """One sentence for the detail pane and notifications."""


HistoryKey = tuple[str, str]
"""(backend name, action name): durations are compared only within one."""


class RecentRefs:
    """The newest ``bound`` distinct refs remembered, the oldest forgotten first.

    A set answers ``in``; a list keeps the order they came in, read from a
    moving start so that forgetting many at once is a slice and one set
    operation in C (the list is cut once its forgotten head outgrows the
    bound). A preload remembers and forgets hundreds of refs a slice: with
    an ordered dictionary, forgetting was a Python step a ref, and the
    stuck tracker's look at a slice took 29 % more instructions (callgrind,
    21,000 simulator actions in slices of 500: 8,519 against 6,604 an action).
    """

    __slots__ = ("_bound", "_first", "_members", "_order")

    def __init__(self, bound: int) -> None:
        self._bound = bound
        self._members: set[str] = set()
        self._order: list[str] = []
        self._first = 0
        """Where the remembered refs start in ``_order`` (those before are forgotten)."""

    def __contains__(self, ref: object) -> bool:
        return ref in self._members

    def __len__(self) -> int:
        return len(self._members)

    def isdisjoint(self, refs: set[str]) -> bool:
        """True when none of ``refs`` is remembered."""
        return self._members.isdisjoint(refs)

    def add(self, ref: str) -> None:
        """Remember ``ref`` (not remembered yet) as the newest."""
        self._members.add(ref)
        self._order.append(ref)
        if len(self._members) > self._bound:
            self._forget(1)

    def add_new(self, refs: list[str], fresh: set[str]) -> None:
        """Remember ``refs`` (none remembered, none twice; ``fresh`` holds them), in order."""
        if len(refs) >= self._bound:
            self._order = refs[len(refs) - self._bound :]
            self._members, self._first = set(self._order), 0
            return
        self._order += refs
        self._members |= fresh
        over = len(self._members) - self._bound
        if over > 0:
            self._forget(over)

    def _forget(self, count: int) -> None:
        """Forget the ``count`` oldest refs."""
        first = self._first
        self._members.difference_update(self._order[first : first + count])
        self._first = first = first + count
        if first > self._bound:
            del self._order[:first]
            self._first = 0


class DurationHistory:
    """Recent durations of completed actions, per backend and action name (bounded).

    Feed it every action seen (:meth:`observe` keeps only completed ones, each
    ref once); ask :meth:`p95` for the usual duration of a kind of action.
    """

    def __init__(self, *, samples_per_key: int = 200, max_keys: int = 2_000) -> None:
        self._samples_per_key = samples_per_key
        self._max_keys = max_keys
        self._durations: OrderedDict[HistoryKey, deque[float]] = OrderedDict()
        self._seen = RecentRefs(samples_per_key * 50)
        """The refs whose durations are kept, so that none counts twice."""

    def observe(self, action: Action) -> None:
        """Remember the duration of ``action`` if it completed (once per ref)."""
        self.observe_all((action,))

    def observe_all(self, actions: Iterable[Action]) -> None:
        """:meth:`observe` each of ``actions``, in order (a preload feeds thousands at once).

        A batch whose completed refs are all new (none remembered, none
        twice) and whose kinds fit the bound, as a preload's are, is read
        once from its end: only the durations and refs one :meth:`observe` a
        time would keep (the newest ``samples_per_key`` of each kind, the
        newest refs) are worked out and kept. Any other batch is observed
        one action at a time. Either way the outcome is the same.
        """
        batch = actions if type(actions) is list else list(actions)
        if not self._observe_newest(batch):
            self._observe_each(batch)

    def _observe_newest(self, batch: list[Action]) -> bool:
        """Observe ``batch`` read from its end; False (nothing kept) when that would differ."""
        completed, per_key = Status.COMPLETED, self._samples_per_key
        refs: list[str] = []
        newest: dict[HistoryKey, list[float]] = {}  # each kind's newest durations, newest first
        for action in reversed(batch):
            if action.status is not completed:
                continue
            start = action.started_at or action.created_at
            end = action.finished_at
            if start is None or end is None:
                continue
            refs.append(action.ref)
            key = (action.backend, action.name)
            durations = newest.get(key)
            if durations is None:
                newest[key] = durations = []
            if len(durations) < per_key:
                durations.append(max(0.0, (end - start).total_seconds()))
        refs.reverse()
        fresh = set(refs)
        known = self._durations
        if (
            len(fresh) != len(refs)
            or not self._seen.isdisjoint(fresh)
            or len(known) + len(newest.keys() - known.keys()) > self._max_keys
        ):
            return False
        self._seen.add_new(refs, fresh)
        for key in reversed(newest):  # the kind fed last goes last
            samples = known.get(key)
            if samples is None:
                samples = known[key] = deque(maxlen=per_key)
            else:
                known.move_to_end(key)
            samples.extend(reversed(newest[key]))
        return True

    def _observe_each(self, actions: list[Action]) -> None:
        """:meth:`observe` each of ``actions``, one at a time."""
        completed = Status.COMPLETED
        seen, durations = self._seen, self._durations
        max_keys = self._max_keys
        last_key: HistoryKey | None = None
        samples: deque[float] | None = None
        for action in actions:
            if action.status is not completed or action.ref in seen:
                continue
            start = action.started_at or action.created_at
            end = action.finished_at
            if start is None or end is None:
                continue
            seconds = max(0.0, (end - start).total_seconds())  # as seconds_between: finite
            seen.add(action.ref)
            key = (action.backend, action.name)
            if key != last_key or samples is None or durations.get(key) is not samples:
                samples = durations.get(key)
                if samples is None:
                    samples = durations[key] = deque(maxlen=self._samples_per_key)
                    if len(durations) > max_keys:
                        durations.popitem(last=False)
                else:
                    durations.move_to_end(key)
                last_key = key
            samples.append(seconds)

    def samples(self, key: HistoryKey) -> int:
        """How many durations are known for ``key``."""
        return len(self._durations.get(key, ()))

    def p95(self, key: HistoryKey) -> float | None:
        """The 95th percentile of the known durations (nearest rank), or ``None``."""
        samples = self._durations.get(key)
        if not samples:
            return None
        ordered = sorted(samples)
        rank = max(0, math.ceil(0.95 * len(ordered)) - 1)
        return ordered[rank]


def stuck_reason(
    action: Action, now: datetime, history: DurationHistory, rule: StuckRule = StuckRule()
) -> Stuck | None:
    """Why ``action`` looks stuck at ``now``, or ``None`` when it does not (or has ended)."""
    if not action.status.in_flight:
        return None
    if capabilities_of(action.backend_type).heartbeat:
        silent = _stale_heartbeat(action, now, rule)
        if silent is not None:
            where, seconds = silent
            return Stuck(
                "no heartbeat",
                f"{where}: no heartbeat for {duration_text(seconds)} (stuck after "
                f"{duration_text(rule.heartbeat_stale.total_seconds())}).",
            )
    elapsed = seconds_between(action.started_at or action.created_at, now)
    if elapsed is None:
        return None
    key = (action.backend, action.name)
    count = history.samples(key)
    usual = history.p95(key) if count >= rule.min_samples else None
    if usual is not None and usual > 0:
        limit = rule.factor * usual
        if elapsed > limit:
            return Stuck(
                "slow",
                f"Running for {duration_text(elapsed)}, {elapsed / usual:.0f}× the usual "
                f"{duration_text(usual)} (p95 of {count} completed {action.name} on "
                f"{action.backend}).",
            )
        return None
    if elapsed > rule.floor.total_seconds():
        return Stuck(
            "slow",
            f"Running for {duration_text(elapsed)}, longer than "
            f"{duration_text(rule.floor.total_seconds())} (too few completed "
            f"{action.name} on {action.backend} to know the usual).",
        )
    return None


def _stale_heartbeat(action: Action, now: datetime, rule: StuckRule) -> tuple[str, float] | None:
    """Where the oldest stale heartbeat is (the action or one shard's operation) and its age."""
    limit = rule.heartbeat_stale.total_seconds()
    beats = [("The action", action.updated_at)]
    beats += [(f"Shard {op.shard}", op.heartbeat) for op in action.pending_ops]
    worst: tuple[str, float] | None = None
    for where, beat in beats:
        silent = seconds_between(beat, now)
        if silent is not None and silent > limit and (worst is None or silent > worst[1]):
            worst = (where, silent)
    return worst


def stuck_after(
    action: Action, history: DurationHistory, rule: StuckRule = StuckRule()
) -> timedelta | None:
    """How long after its start ``action`` becomes slow under ``rule`` (``None``: ended).

    Lets a caller schedule its next look instead of asking every second.
    """
    if not action.status.in_flight:
        return None
    key = (action.backend, action.name)
    usual = history.p95(key) if history.samples(key) >= rule.min_samples else None
    if usual is not None and usual > 0:
        return timedelta(seconds=rule.factor * usual)
    return rule.floor


def stuck_due(
    action: Action, history: DurationHistory, rule: StuckRule = StuckRule()
) -> datetime | None:
    """When ``action`` will next need a look: it turns slow, or a heartbeat goes stale.

    ``None`` when it has ended or has no time to measure from. Built on
    :func:`stuck_after`, so a caller can wait for the earliest due action
    instead of asking :func:`stuck_reason` about every action every second.
    """
    after = stuck_after(action, history, rule)
    start = action.started_at or action.created_at
    if after is None or start is None:
        return None
    due = start + after
    if capabilities_of(action.backend_type).heartbeat:
        beats = [action.updated_at, *(op.heartbeat for op in action.pending_ops)]
        known = [beat for beat in beats if beat is not None]
        if known:
            due = min(due, min(known) + rule.heartbeat_stale)
    return due
