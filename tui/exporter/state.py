"""What the exporter knows: every poll result folded into bounded counts, thread-safe.

The poller's task calls :meth:`ExporterState.record` after each poll; the HTTP
server's threads call :meth:`ExporterState.snapshot`. Both hold one lock for
as long as it takes to fold or copy counts (no I/O, no waiting), so a scrape
never waits for a backend: it shows what the latest polls brought.

Counting rules (docs/exporter.md):

* *known actions* are the latest versions of the actions the backend's polls
  returned, less those it reports gone (Redis Enterprise forgets ended ones);
  at most :data:`MAX_ACTIONS_PER_BACKEND` per backend, the least recently
  changed dropped first;
* an *ending* is an action seen reaching completed, failed or cancelled while
  the exporter runs: one seen in flight before, one first seen in a later poll
  than the backend's first, or one that finished after the exporter started.
  History that ended before the exporter started is known, never counted as an
  ending, so a restart does not look like a burst of failures;
* the duration histogram holds the completed endings; the stuck rule
  (:mod:`tui.stuck`) learns from every completed action seen, history included.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tui.backends import capabilities_of
from tui.backends.base import (
    AuthError,
    AuthRejectedError,
    Backend,
    BackendError,
    BackendTimeout,
    NotFoundError,
    RateLimitedError,
    RedirectError,
    ServerError,
    UnreachableError,
)
from tui.exporter.labels import NameLabels, label_text
from tui.exporter.snapshot import (
    DURATION_BUCKETS,
    POLL_BUCKETS,
    BackendSnapshot,
    Histogram,
    NameSnapshot,
    Snapshot,
)
from tui.format import seconds_between
from tui.model import Action, Status
from tui.poller import BackendHealth, HealthState, PollResult
from tui.stuck import DurationHistory, StuckRule, stuck_reason

MAX_ACTIONS_PER_BACKEND = 100_000
"""Known actions kept per backend (memory stays bounded); the least recently changed go first."""

FOLD_BATCH = 1_000
"""Actions folded per hold of the lock (a scrape waits for one batch at most)."""

ENDINGS = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)
"""The outcomes an ending is counted under."""

STUCK_REASONS = {"slow": "slow", "no heartbeat": "no_heartbeat"}
"""The stuck rule's labels (:class:`tui.stuck.Stuck`) as ``reason`` label values."""

_ERROR_KINDS: tuple[tuple[type[BackendError], str], ...] = (
    (BackendTimeout, "timeout"),
    (UnreachableError, "unreachable"),
    (AuthRejectedError, "auth_rejected"),
    (AuthError, "auth"),
    (NotFoundError, "not_found"),
    (RateLimitedError, "rate_limited"),
    (ServerError, "server_error"),
    (RedirectError, "redirect"),
)


def error_kind(error: BackendError) -> str:
    """A short, bounded name for the kind of ``error`` (the ``error`` label value)."""
    return next((kind for cls, kind in _ERROR_KINDS if isinstance(error, cls)), "bad_response")


@dataclass
class _NameCounts:
    statuses: Counter[Status] = field(default_factory=Counter)
    endings: Counter[Status] = field(default_factory=Counter)
    duration: Histogram = field(default_factory=lambda: Histogram(DURATION_BUCKETS))


class _BackendState:
    """Everything known about one backend (guarded by the state's lock)."""

    def __init__(self, name: str, backend_type: str, max_actions: int) -> None:
        self.name = name
        self.type = backend_type
        self.label = label_text(name)
        self.type_label = label_text(backend_type)
        self.health = BackendHealth(name)
        self.polls: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.poll_duration = Histogram(POLL_BUCKETS)
        self.actions: OrderedDict[str, Action] = OrderedDict()
        self.in_flight: dict[str, Action] = {}
        self.names = NameLabels()
        self.counts: dict[str, _NameCounts] = {}
        self.polled = False
        """A poll has succeeded: what later polls bring is new."""
        self._max_actions = max_actions

    def counts_of(self, action: Action) -> _NameCounts:
        label = self.names.label(action.name)
        found = self.counts.get(label)
        if found is None:
            found = self.counts[label] = _NameCounts()
        return found

    def forget(self, ref: str) -> Action | None:
        """Drop one known action (its status no longer counted); the action it was."""
        old = self.actions.pop(ref, None)
        if old is not None:
            self.counts_of(old).statuses[old.status] -= 1
            self.in_flight.pop(ref, None)
        return old

    def keep(self, action: Action) -> None:
        """Know ``action`` as its latest version (dropping the oldest beyond the bound)."""
        self.actions[action.ref] = action
        self.counts_of(action).statuses[action.status] += 1
        if action.status.in_flight:
            self.in_flight[action.ref] = action
        while len(self.actions) > self._max_actions:
            self.forget(next(iter(self.actions)))


class ExporterState:
    """The exporter's view of every backend, folded from poll results (thread-safe)."""

    def __init__(
        self,
        backends: Iterable[Backend],
        *,
        rule: StuckRule | None = None,
        version: str = "",
        simulator: bool = False,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_actions: int = MAX_ACTIONS_PER_BACKEND,
    ) -> None:
        self._now = now
        self.started = now()
        self._rule = rule or StuckRule()
        self._version = version
        self._simulator = simulator
        self._history = DurationHistory()
        self._lock = threading.Lock()
        self._backends = {
            backend.name: _BackendState(backend.name, backend.type, max_actions)
            for backend in backends
        }

    def record(self, result: PollResult, elapsed: float) -> None:
        """Fold in one poll result; ``elapsed`` is how long the poll took (seconds).

        The actions are folded :data:`FOLD_BATCH` at a time, each batch under
        the lock, so a scrape during a first poll of 100,000 actions waits for
        one batch, not for the whole poll.
        """
        state = self._backends.get(result.backend)
        if state is None:
            return
        actions = result.update.actions if result.update and result.error is None else []
        for start in range(0, len(actions), FOLD_BATCH):
            with self._lock:
                for action in actions[start : start + FOLD_BATCH]:
                    self._fold(state, action)
        with self._lock:
            state.health = state.health.recorded(result)
            state.poll_duration.observe(elapsed)
            if result.error is not None:
                state.polls["error"] += 1
                state.errors[error_kind(result.error)] += 1
                return
            state.polls["ok"] += 1
            state.polled = True

    def _fold(self, state: _BackendState, action: Action) -> None:
        old = state.forget(action.ref)
        if action.gone:
            return
        self._history.observe(action)
        if self._is_ending(state, old, action):
            counts = state.counts_of(action)
            counts.endings[action.status] += 1
            if action.status is Status.COMPLETED:
                elapsed = seconds_between(
                    action.started_at or action.created_at, action.finished_at
                )
                if elapsed is not None:
                    counts.duration.observe(elapsed)
        state.keep(action)

    def _is_ending(self, state: _BackendState, old: Action | None, new: Action) -> bool:
        if not new.status.is_final:
            return False
        if old is not None:
            return not old.status.is_final
        if state.polled:
            return True
        return new.finished_at is not None and new.finished_at >= self.started

    def snapshot(self) -> Snapshot:
        """A copy of every figure a scrape shows, with the stuck rule applied now."""
        now = self._now()
        with self._lock:
            backends = tuple(self._backend_snapshot(state) for state in self._backends.values())
            names = tuple(
                snapshot
                for state in self._backends.values()
                for snapshot in self._name_snapshots(state, now)
            )
        return Snapshot(backends, names, self._version, self._simulator)

    def _backend_snapshot(self, state: _BackendState) -> BackendSnapshot:
        health = state.health
        traffic = health.traffic
        return BackendSnapshot(
            name=state.label,
            type=state.type_label,
            up=health.state is HealthState.OK,
            last_success=health.last_ok.timestamp() if health.last_ok else None,
            polls={"ok": state.polls["ok"], "error": state.polls["error"]},
            errors=dict(state.errors),
            poll_duration=state.poll_duration.value(),
            consecutive_failures=health.failures,
            unreadable=health.unreadable,
            requests=traffic.total if traffic else None,
            last_request_latency=traffic.last_latency if traffic else None,
        )

    def _name_snapshots(self, state: _BackendState, now: datetime) -> list[NameSnapshot]:
        stuck: dict[str, Counter[str]] = {}
        for action in state.in_flight.values():
            found = stuck_reason(action, now, self._history, self._rule)
            if found is not None:
                label = state.names.label(action.name)
                stuck.setdefault(label, Counter())[STUCK_REASONS.get(found.label, "slow")] += 1
        reasons = ["slow", "no_heartbeat"] if capabilities_of(state.type).heartbeat else ["slow"]
        return [
            NameSnapshot(
                backend=state.label,
                backend_type=state.type_label,
                name=label,
                statuses={status.value: counts.statuses[status] for status in Status},
                endings={status.value: counts.endings[status] for status in ENDINGS},
                duration=counts.duration.value(),
                stuck={reason: stuck.get(label, Counter())[reason] for reason in reasons},
            )
            for label, counts in state.counts.items()
        ]
