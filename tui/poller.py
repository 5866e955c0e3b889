"""Polls every backend concurrently, each on its own adaptive schedule.

One asyncio task per backend, so a slow or failing backend never delays the
others. The next poll is armed only after the previous one finished (no
overlap). The interval shortens while the backend has actions in flight,
lengthens when idle, and backs off exponentially on errors (honouring a 429's
``Retry-After``). A backend may be held: its first poll waits until
:meth:`Poller.release` (the console holds one whose first poll is heavy until
the others' first rows are drawn). Results are handed to a ``report``
callback; nothing here knows about the UI.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum

from tui.backends.base import (
    Backend,
    BackendError,
    BadResponseError,
    PollUpdate,
    RateLimitedError,
    Traffic,
    traffic_of,
)


@dataclass(frozen=True)
class PollSettings:
    """How often to poll (seconds)."""

    busy_interval: float = 2.0
    """While the backend has pending or running actions."""
    idle_interval: float = 10.0
    """While nothing is in flight."""
    max_backoff: float = 120.0
    """Longest wait between retries of a failing backend."""
    stale_after: float = 60.0
    """Data older than this (no successful poll) is shown as stale."""


class HealthState(StrEnum):
    """How a backend is doing, as shown in the backend bar."""

    CONNECTING = "connecting"
    OK = "ok"
    ERROR = "error"


@dataclass(frozen=True)
class PollResult:
    """The outcome of one poll of one backend."""

    backend: str
    update: PollUpdate | None
    error: BackendError | None
    at: datetime
    next_in: float
    """Seconds until the next poll of this backend."""
    failures: int = 0
    """Consecutive failures so far (0 after a success)."""
    traffic: Traffic | None = None
    """The backend's request counts after this poll, when it keeps them."""


@dataclass(frozen=True)
class BackendHealth:
    """The latest known health of one backend (a value: :meth:`recorded` makes the next one)."""

    name: str
    state: HealthState = HealthState.CONNECTING
    last_ok: datetime | None = None
    last_error: str | None = None
    """The last failure's whole message (``BackendError.reason``), while failing."""
    last_detail: str | None = None
    """The last failure without the request it came from (``BackendError.detail``)."""
    failures: int = 0
    next_in: float = 0.0
    in_flight: int = 0
    total: int | None = None
    unreadable: int = 0
    """Entries of the last good poll that could not be read (skipped)."""
    traffic: Traffic | None = None
    """The backend's request counts as of its last poll, when it keeps them."""

    def recorded(self, result: PollResult) -> BackendHealth:
        """The health once one more poll result is folded in (this one is unchanged)."""
        health = replace(
            self,
            next_in=result.next_in,
            failures=result.failures,
            traffic=result.traffic or self.traffic,
        )
        if result.error is not None:
            return replace(
                health,
                state=HealthState.ERROR,
                last_error=result.error.reason,
                last_detail=result.error.detail,
            )
        health = replace(
            health, state=HealthState.OK, last_ok=result.at, last_error=None, last_detail=None
        )
        if result.update is None:
            return health
        update = result.update
        return replace(
            health, in_flight=update.in_flight, total=update.total, unreadable=update.unreadable
        )

    def is_stale(self, now: datetime, stale_after: float) -> bool:
        """True when the last good data is older than ``stale_after`` seconds."""
        if self.last_ok is None:
            return self.state is HealthState.ERROR
        return (now - self.last_ok).total_seconds() > stale_after


@dataclass
class _Schedule:
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    forced: bool = False
    """A refresh was asked for: poll once even while paused."""
    failures: int = 0


class Poller:
    """Runs one polling loop per backend until cancelled."""

    def __init__(
        self,
        backends: Sequence[Backend],
        settings: PollSettings | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        held: Collection[str] = (),
    ) -> None:
        """Poll ``backends``; those named in ``held`` first wait for :meth:`release`."""
        self.backends = list(backends)
        self.settings = settings or PollSettings()
        self._now = now
        self._paused = False
        self._schedules = {backend.name: _Schedule() for backend in self.backends}
        self.held = frozenset(held)
        """The backends whose first poll waits for :meth:`release`."""
        self._released = asyncio.Event()
        self._loading = False

    @property
    def holding(self) -> bool:
        """Whether some backends' first poll still waits for :meth:`release`."""
        return bool(self.held) and not self._released.is_set()

    def release(self) -> None:
        """Let the held backends poll (idempotent)."""
        self._released.set()

    @property
    def loading(self) -> bool:
        """Whether every backend is being read in full (see :meth:`set_loading`)."""
        return self._loading

    def set_loading(self, loading: bool) -> None:
        """While every action is read (a preload), poll busy backends at the idle interval.

        A preload brings each backend's actions anyway, and each poll meanwhile
        (Redis Enterprise lists all of its actions every time) competes with it
        for the one interpreter. When the loading ends, every backend not
        paused polls at once, so what changed meanwhile shows without waiting.
        """
        was, self._loading = self._loading, loading
        if was and not loading and not self._paused:
            for schedule in self._schedules.values():
                schedule.wake.set()

    @property
    def paused(self) -> bool:
        """True while polling is paused."""
        return self._paused

    def pause(self) -> None:
        """Stop polling after the polls already under way (``refresh`` still polls once)."""
        self._paused = True

    def resume(self) -> None:
        """Start polling again, right away."""
        self._paused = False
        self.refresh()

    def refresh(self, backend: str | None = None) -> None:
        """Poll now (one backend, or all) instead of waiting for the timer."""
        for name, schedule in self._schedules.items():
            if backend is None or backend == name:
                schedule.forced = True
                schedule.wake.set()

    async def run(self, report: Callable[[PollResult], None]) -> None:
        """Poll every backend until cancelled, reporting each result."""
        async with asyncio.TaskGroup() as group:
            for backend in self.backends:
                group.create_task(self._loop(backend, report), name=f"poll-{backend.name}")

    async def poll_once(self, backend: Backend) -> PollResult:
        """Poll one backend once and compute when to poll it next."""
        schedule = self._schedules.setdefault(backend.name, _Schedule())
        try:
            update = await backend.poll()
        except BackendError as error:
            schedule.failures += 1
            return self._result(backend, None, error, self._backoff(schedule, error))
        except Exception as exc:  # a bug in one backend must not stop the others
            schedule.failures += 1
            bug = BadResponseError(backend.name, f"unexpected {type(exc).__name__}: {exc}")
            return self._result(backend, None, bug, self._backoff(schedule, bug))
        schedule.failures = 0
        busy = update.in_flight and not self._loading
        interval = self.settings.busy_interval if busy else self.settings.idle_interval
        return self._result(backend, update, None, interval)

    def _result(
        self,
        backend: Backend,
        update: PollUpdate | None,
        error: BackendError | None,
        next_in: float,
    ) -> PollResult:
        failures = self._schedules[backend.name].failures
        traffic = traffic_of(backend)
        return PollResult(backend.name, update, error, self._now(), next_in, failures, traffic)

    def _backoff(self, schedule: _Schedule, error: BackendError) -> float:
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return min(self.settings.max_backoff, max(1.0, error.retry_after))
        base = self.settings.busy_interval * 2.0 ** min(schedule.failures, 10)
        jitter = random.uniform(0.8, 1.2)
        return min(self.settings.max_backoff, base * jitter)

    async def _loop(self, backend: Backend, report: Callable[[PollResult], None]) -> None:
        schedule = self._schedules[backend.name]
        if backend.name in self.held:
            await self._released.wait()
        while True:
            while self.paused and not schedule.forced:
                await schedule.wake.wait()
                schedule.wake.clear()
            schedule.forced = False
            schedule.wake.clear()
            result = await self.poll_once(backend)
            report(result)
            await self._sleep(schedule, result.next_in)

    async def _sleep(self, schedule: _Schedule, seconds: float) -> None:
        """Wait ``seconds`` or until :meth:`refresh` wakes this backend."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                await asyncio.wait_for(schedule.wake.wait(), timeout=remaining)
            except TimeoutError:
                return
            if schedule.wake.is_set():
                return
