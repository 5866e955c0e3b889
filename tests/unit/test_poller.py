"""The poller's schedule: adaptive intervals, backoff, isolation of failures, pause/refresh.

These use a scripted in-memory backend to pin the scheduling rules down; the
poller against real backends over HTTP is covered in tests/backends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest

from tui.backends.base import (
    ActionPage,
    BackendError,
    ListQuery,
    PollUpdate,
    RateLimitedError,
    RequestStats,
    UnreachableError,
)
from tui.model import Action
from tui.poller import BackendHealth, HealthState, Poller, PollResult, PollSettings

SETTINGS = PollSettings(busy_interval=0.01, idle_interval=0.05, max_backoff=0.5)


@dataclass
class ScriptedBackend:
    """Answers polls from a script: PollUpdate values or exceptions, then repeats the last."""

    name: str
    script: Sequence[PollUpdate | BaseException]
    type: str = "seeweb"
    calls: int = 0
    delay: float = 0.0
    seen: list[float] = field(default_factory=list)
    stats: RequestStats = field(default_factory=RequestStats)

    async def poll(self) -> PollUpdate:
        self.calls += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        step = self.script[min(self.calls, len(self.script)) - 1]
        if isinstance(step, BaseException):
            raise step
        return step

    async def list_actions(self, query: ListQuery) -> ActionPage:
        return ActionPage([])

    async def get_action(self, action_id: str) -> Action:
        raise NotImplementedError

    async def aclose(self) -> None:
        return None


async def test_interval_is_short_while_busy_and_long_when_idle() -> None:
    poller = Poller([], SETTINGS)
    busy = await poller.poll_once(ScriptedBackend("a", [PollUpdate(in_flight=2)]))
    idle = await poller.poll_once(ScriptedBackend("b", [PollUpdate(in_flight=0)]))
    assert (busy.next_in, idle.next_in) == (SETTINGS.busy_interval, SETTINGS.idle_interval)
    assert busy.error is None and busy.failures == 0


async def test_errors_back_off_exponentially_up_to_the_cap_and_reset_on_success() -> None:
    error = UnreachableError("a", "cannot connect")
    backend = ScriptedBackend("a", [error] * 12 + [PollUpdate()])
    poller = Poller([backend], SETTINGS)
    waits = [(await poller.poll_once(backend)).next_in for _ in range(12)]
    assert waits[1] > waits[0] * 1.3
    assert max(waits) <= SETTINGS.max_backoff
    recovered = await poller.poll_once(backend)
    assert recovered.error is None and recovered.failures == 0


async def test_rate_limit_honours_retry_after() -> None:
    backend = ScriptedBackend("a", [RateLimitedError("a", "HTTP 429", retry_after=0.3)])
    result = await Poller([backend], PollSettings(max_backoff=10)).poll_once(backend)
    assert result.next_in == 1.0  # never faster than once a second
    backend = ScriptedBackend("a", [RateLimitedError("a", "HTTP 429", retry_after=7)])
    result = await Poller([backend], PollSettings(max_backoff=10)).poll_once(backend)
    assert result.next_in == 7


async def test_a_bug_in_a_backend_becomes_a_reported_error() -> None:
    backend = ScriptedBackend("a", [KeyError("oops")])
    result = await Poller([backend], SETTINGS).poll_once(backend)
    assert isinstance(result.error, BackendError)
    assert "unexpected KeyError" in result.error.reason


async def test_a_slow_backend_does_not_delay_the_others() -> None:
    slow = ScriptedBackend("slow", [PollUpdate()], delay=10)
    fast = ScriptedBackend("fast", [PollUpdate(in_flight=1)])
    results: list[PollResult] = []
    poller = Poller([slow, fast], SETTINGS)
    task = asyncio.create_task(poller.run(results.append))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert fast.calls >= 5 and slow.calls == 1
    assert {r.backend for r in results} == {"fast"}


async def test_pause_stops_polling_and_refresh_wakes_a_backend_early() -> None:
    backend = ScriptedBackend("a", [PollUpdate()])
    poller = Poller([backend], PollSettings(idle_interval=60))
    results: list[PollResult] = []
    task = asyncio.create_task(poller.run(results.append))
    await asyncio.sleep(0.05)
    assert backend.calls == 1
    poller.refresh("a")
    await asyncio.sleep(0.05)
    assert backend.calls == 2
    poller.pause()
    await asyncio.sleep(0.05)
    assert backend.calls == 2 and poller.paused
    poller.refresh()  # while paused, a refresh polls exactly once
    await asyncio.sleep(0.05)
    assert backend.calls == 3
    await asyncio.sleep(0.05)
    assert backend.calls == 3
    poller.resume()
    await asyncio.sleep(0.05)
    assert backend.calls == 4
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_while_loading_a_busy_backend_is_polled_at_the_idle_interval() -> None:
    poller = Poller([], SETTINGS)
    backend = ScriptedBackend("a", [PollUpdate(in_flight=2)])
    poller.set_loading(True)
    loading = await poller.poll_once(backend)
    poller.set_loading(False)
    after = await poller.poll_once(backend)
    assert (loading.next_in, after.next_in) == (SETTINGS.idle_interval, SETTINGS.busy_interval)


async def test_the_end_of_a_loading_polls_every_backend_at_once_unless_paused() -> None:
    backends = [ScriptedBackend(name, [PollUpdate(in_flight=1)]) for name in "ab"]
    poller = Poller(backends, PollSettings(busy_interval=60, idle_interval=60))
    poller.set_loading(True)
    task = asyncio.create_task(poller.run(lambda result: None))
    assert await _within(2.0, lambda: [b.calls for b in backends] == [1, 1])
    poller.set_loading(False)
    assert await _within(2.0, lambda: [b.calls for b in backends] == [2, 2])
    poller.set_loading(True)
    poller.pause()
    poller.set_loading(False)
    await asyncio.sleep(0.2)
    assert [b.calls for b in backends] == [2, 2]
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def _within(seconds: float, done: Callable[[], bool]) -> bool:
    """Whether ``done()`` holds within ``seconds`` (checked every 10 ms)."""
    for _ in range(int(seconds / 0.01)):
        if done():
            return True
        await asyncio.sleep(0.01)
    return done()


def test_health_keeps_the_last_good_time_and_turns_stale() -> None:
    from datetime import UTC, datetime, timedelta

    t0 = datetime(2026, 3, 14, tzinfo=UTC)
    health = BackendHealth("a")
    assert health.state is HealthState.CONNECTING
    health = health.recorded(PollResult("a", PollUpdate(in_flight=3, total=754), None, t0, 2.0))
    assert (health.state, health.in_flight, health.total, health.last_ok) == (
        HealthState.OK,
        3,
        754,
        t0,
    )
    failed = health.recorded(
        PollResult("a", None, UnreachableError("a", "reset"), t0 + timedelta(seconds=5), 4.0, 1)
    )
    assert health.state is HealthState.OK, "a recorded poll leaves the old value as it was"
    health = failed
    assert (
        health.state is HealthState.ERROR and health.last_error == "reset" and health.last_ok == t0
    )
    assert not health.is_stale(t0 + timedelta(seconds=30), 60)
    assert health.is_stale(t0 + timedelta(seconds=61), 60)
