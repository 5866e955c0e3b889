"""Regenerate the README's pictures in screenshots/ from the demo.

Each picture runs the console headless against the simulator in its
deterministic mode (seed 7, frozen clock), so the SVGs only change when the
console does. Usage: ``python scripts/screenshots.py [OUT_DIR]``.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tui.config import RefreshConfig, UiConfig
from tui.console.app import ActionDeckApp
from tui.embedded import DEMO_STUCK, simulator_config
from tui.model import Action, Status
from tui.poller import HealthState
from tui.sim import FrozenClock, Simulator

ROOT = Path(__file__).resolve().parents[1]
QUIET = RefreshConfig(busy_interval=3600, idle_interval=3600)

Steps = Callable[[Pilot[Any], ActionDeckApp], Awaitable[None]]


@dataclass
class Scene:
    """One picture: a name, what to do before taking it, and the terminal size."""

    name: str
    steps: Steps | None = None
    size: tuple[int, int] = (120, 36)
    theme: str = "actiondeck-dark"
    demo_stuck: bool = False
    """Use the demo console's stuck rule (the simulator's stalls show at once)."""


async def settle(pilot: Pilot[Any], app: ActionDeckApp) -> None:
    """Wait until every backend answered and no worker other than the poller runs."""
    for _ in range(500):
        answered = all(h.state is not HealthState.CONNECTING for h in app.health.values())
        busy = any(w.group != "poller" and not w.is_finished for w in app.workers)
        if answered and not busy:
            await pilot.pause(0.2)
            return
        await pilot.pause(0.02)


def open_newest(predicate: Callable[[Action], bool], *then: str) -> Steps:
    """Search for the newest action matching ``predicate`` by id, open it, press ``then``."""

    async def steps(pilot: Pilot[Any], app: ActionDeckApp) -> None:
        action = next(a for a in app.store.actions() if predicate(a))
        await pilot.press("slash", *action.id, "escape", "enter")
        await settle(pilot, app)
        await pilot.press(*then)
        await settle(pilot, app)

    return steps


def typed(query: str) -> Steps:
    """Type ``query`` into the search box and go back to the list."""

    async def steps(pilot: Pilot[Any], app: ActionDeckApp) -> None:
        await pilot.press("slash", *query, "escape")
        await settle(pilot, app)

    return steps


def failed_nova(action: Action) -> bool:
    """A failed OpenStack action."""
    return action.backend_type == "openstack" and action.status is Status.FAILED


def redis_upgrade(action: Action) -> bool:
    """The running Redis upgrade with per-shard pending ops."""
    return action.name == "SMUpgradeBDB" and action.status is Status.RUNNING


async def refresh_with_error(pilot: Pilot[Any], app: ActionDeckApp) -> None:
    """Break Seeweb, refresh, show what the console does about it."""
    app.simulator.seeweb.faults.update(status=503)  # type: ignore[union-attr]
    await pilot.press("r")
    for _ in range(200):
        if app.health["seeweb"].last_error:
            break
        await pilot.pause(0.02)
    await settle(pilot, app)


async def watched_to_the_end(pilot: Pilot[Any], app: ActionDeckApp) -> None:
    """Watch the running actions on screen, let the clock run until they end, open the log."""
    screen = app.main_screen
    for ref in list(screen.table.refs):
        action = app.store.get(ref)
        if action is not None and action.status is Status.RUNNING and len(screen.watch_list) < 3:
            while screen.selected_ref != ref:
                await pilot.press("j")
            await pilot.press("w")
    for _ in range(4):
        app.simulator.clock.advance(300)  # type: ignore[union-attr]
        await pilot.press("r")
        await settle(pilot, app)
    await pilot.press("n")
    await settle(pilot, app)


async def jump_bar(pilot: Pilot[Any], app: ActionDeckApp) -> None:
    """Filter, then open the jump bar with a date typed (not yet entered)."""
    await pilot.press("slash", *"status:failed", "escape", "colon", *"date 2026-03-13")
    await settle(pilot, app)


SCENES = [
    Scene("main"),
    Scene("search", typed("status:failed")),
    Scene("nova-detail", open_newest(failed_nova)),
    Scene("redis-shards", open_newest(redis_upgrade)),
    Scene("traceback", open_newest(failed_nova, "t")),
    Scene(
        "traceback-find-80x24",
        open_newest(failed_nova, "t", "slash", *"createWithFlags", "enter"),
        size=(80, 24),
    ),
    Scene("backend-error", refresh_with_error),
    Scene("narrow-80x24", size=(80, 24)),
    Scene("light", theme="actiondeck-light"),
    Scene("high-contrast", theme="actiondeck-high-contrast"),
    Scene("notifications", watched_to_the_end, demo_stuck=True),
    Scene("jump-bar", jump_bar),
]


async def take(scene: Scene, out: Path) -> Path:
    """Run the console for one scene and save its SVG."""
    Input._toggle_cursor = lambda self: None  # type: ignore[method-assign]  # no blinking
    with Simulator(seed=7, clock=FrozenClock()) as sim:
        stuck = DEMO_STUCK if scene.demo_stuck else None
        ui = UiConfig(theme=scene.theme, notify="off")
        config = simulator_config(sim, refresh=QUIET, ui=ui, stuck=stuck)
        now = lambda: datetime.fromtimestamp(sim.clock.now(), UTC)  # noqa: E731
        app = ActionDeckApp(config, simulator=sim, now=now, theme=scene.theme)
        async with app.run_test(size=scene.size) as pilot:
            await settle(pilot, app)
            if scene.steps is not None:
                await scene.steps(pilot, app)
            return Path(app.save_screenshot(f"{scene.name}.svg", path=str(out)))


def main(argv: list[str]) -> int:
    """Write every scene's SVG into the output directory (default: screenshots/).

    ``--only NAME[,NAME]`` takes just those scenes.
    """
    only: set[str] = set()
    if argv[:1] == ["--only"] and len(argv) > 1:
        only, argv = set(argv[1].split(",")), argv[2:]
    out = Path(argv[0]) if argv else ROOT / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for scene in SCENES:
        if only and scene.name not in only:
            continue
        print(asyncio.run(take(scene, out)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
