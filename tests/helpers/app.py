"""The console under test: an app factory and ways to wait for it.

:func:`app_factory` builds an :class:`~tui.console.app.ActionDeckApp` watching a
simulator whose clock *is* the app's clock, and whose polling timers are so
long that only the first poll and explicit refreshes (``r``) happen: what a
test sees depends on what it does, never on wall time. Every wait here is
bounded and fails the test when it runs out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from textual.message import Message
from textual.pilot import Pilot

from tui.config import HistoryConfig, RefreshConfig, UiConfig
from tui.console.app import ActionDeckApp
from tui.console.messages import ActionsPolled
from tui.embedded import simulator_config
from tui.poller import HealthState
from tui.sim import Simulator

QUIET_REFRESH = RefreshConfig(busy_interval=3600, idle_interval=3600, stale_after=60)
"""Poll once at start-up, then only when a test presses ``r``."""

DEMO_BANNER = "Demo mode: watching the built-in simulator."
"""A fixed banner, so the pictures do not change when the default wording does."""

FETCH_GROUPS = frozenset({"detail", "more", "search", "preload", "poll-once"})
"""Worker groups that end by themselves (the poller never does)."""

WAIT_STEPS = 500
"""How many 20 ms steps :func:`wait_until` allows (10 s) before failing the test."""

AppFactory = Callable[..., ActionDeckApp]
Settle = Callable[[ActionDeckApp, Pilot[Any]], Awaitable[None]]
Until = Callable[[Pilot[Any], Callable[[], bool]], Awaitable[None]]
Polled = Callable[..., list[ActionsPolled]]


def sim_now(sim: Simulator) -> Callable[[], datetime]:
    """The app's clock: the simulator's (frozen) time."""
    return lambda: datetime.fromtimestamp(sim.clock.now(), UTC)


def app_factory(sim: Simulator) -> AppFactory:
    """Build apps watching ``sim`` (keyword arguments go to ``ActionDeckApp``).

    ``ui=UiConfig(...)``, ``refresh=RefreshConfig(...)`` and
    ``history=HistoryConfig(...)`` replace those config tables.
    """

    def build(
        *,
        ui: UiConfig | None = None,
        refresh: RefreshConfig | None = None,
        history: HistoryConfig | None = None,
        **options: Any,
    ) -> ActionDeckApp:
        config = simulator_config(sim, refresh=refresh or QUIET_REFRESH, ui=ui)
        if history is not None:
            config = dataclasses.replace(config, history=history)
        options.setdefault("simulator", sim)
        options.setdefault("banner", DEMO_BANNER)
        options.setdefault("now", sim_now(sim))
        return ActionDeckApp(config, **options)

    return build


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    """Let the app run until ``condition()`` holds (fails the test after 10 s)."""
    for _ in range(WAIT_STEPS):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {condition}")


def _quiet(app: ActionDeckApp) -> bool:
    answered = all(entry.state is not HealthState.CONNECTING for entry in app.health.values())
    fetching = any(w.group in FETCH_GROUPS and not w.is_finished for w in app.workers)
    return answered and not fetching and not app.main_screen.page_due


async def settle_app(app: ActionDeckApp, pilot: Pilot[Any]) -> None:
    """Wait until every backend answered once, no fetch is under way and the list shows
    what the polls brought (the next tick draws a later poll's changes), twice in a row."""
    for _ in range(2):
        await wait_until(pilot, lambda: _quiet(app))
        await pilot.pause()


def polls(messages: list[Message], backend: str | None = None) -> list[ActionsPolled]:
    """The poll results the app received (each once), optionally of one backend."""
    unique = {id(m): m for m in messages if isinstance(m, ActionsPolled)}
    return [m for m in unique.values() if backend is None or m.result.backend == backend]


async def screenshot_after(app: ActionDeckApp, pilot: Pilot[Any], key: str) -> str:
    """The screen (an SVG export) after ``key``; the console was on screen before it."""
    assert "seeweb" in app.export_screenshot()
    await pilot.press(key)
    await pilot.pause()
    return app.export_screenshot()
