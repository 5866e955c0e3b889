"""Console figures with 100,000 simulated actions (``actiondeck --demo-actions 100000``).

- first paint: from starting the app until the list shows its first rows;
- full load: until every action of the simulator is in the store;
- filter keystroke: from a key typed in the search box until the list shows
  the new result (the app is idle otherwise); ``status:failed`` pasted: the
  box's value set at once, as a paste does, until the list shows the result;
- page flip: ``]`` and PgDn on the unfiltered list;
- floor: the same key round trip in a bare Textual app (one ``Static``, the
  key bound to nothing), in the same run. Most of a key's time under Pilot
  is Pilot's own round trip, so each key is also given minus the floor's
  median, and as the main thread's CPU time (``time.thread_time``: what the
  app itself spent, less sensitive to a busy machine than the wall clock;
  the simulator's threads are not counted).

Every app paints through a recording driver, so "on screen" includes
rendering what the terminal would receive (:mod:`tests.helpers.terminal`).

Run with ``pytest -m benchmark -s tests/benchmarks/test_console_benchmarks.py``.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Sequence
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from tests.helpers.bench import report
from tests.helpers.terminal import record_terminal
from tui.console.app import ActionDeckApp
from tui.embedded import simulator_config
from tui.sim import Simulator

ACTIONS = int(os.environ.get("ACTIONDECK_BENCH_ACTIONS", "100000"))


def _rows(app: ActionDeckApp) -> int:
    return len(app.main_screen.table.refs)


def _summary(samples: list[float]) -> tuple[float, float, float]:
    return min(samples), statistics.median(samples), max(samples)


class BareApp(App[None]):
    """The floor: one ``Static``."""

    def compose(self) -> ComposeResult:
        yield Static("floor")


class KeyTimer:
    """Times keys: wall clock and main-thread CPU, each also reported beside the floor's."""

    def __init__(self) -> None:
        self.floor_wall = 0.0
        self.floor_cpu = 0.0

    async def floor(self, pilot: Pilot[Any]) -> None:
        """Time a key bound to nothing (the floor of every key after it)."""
        walls, cpus = await _timed_keys(pilot, "x" * 10)
        self.floor_wall, self.floor_cpu = statistics.median(walls), statistics.median(cpus)
        self.report("floor: a key bound to nothing, bare Textual app", walls, cpus)

    def report(self, label: str, walls: list[float], cpus: list[float]) -> None:
        """The key's wall time, the same minus the floor, and its main-thread CPU."""
        report(label, _summary(walls))
        if self.floor_wall:
            report(f"{label}, minus the floor", _summary([w - self.floor_wall for w in walls]))
        report(f"{label}, main-thread CPU", _summary(cpus))


async def _timed_keys(pilot: Pilot[Any], keys: Sequence[str]) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for key in keys:
        started, cpu = time.perf_counter(), time.thread_time()
        await pilot.press(key)
        await pilot.pause()
        walls.append(time.perf_counter() - started)
        cpus.append(time.thread_time() - cpu)
    return walls, cpus


async def test_console_at_100k(monkeypatch: pytest.MonkeyPatch) -> None:
    record_terminal(monkeypatch)
    timer = KeyTimer()
    floor = BareApp()
    async with floor.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.5)
        await timer.floor(pilot)
    started = time.perf_counter()
    with Simulator(seed=1, actions=ACTIONS) as sim:
        built = time.perf_counter()
        report(f"simulator with {ACTIONS} actions: build + start", (built - started,) * 3)
        app = ActionDeckApp(
            simulator_config(sim, seeweb_page_size=1000), simulator=sim, preload=True
        )
        launched = time.perf_counter()
        async with app.run_test(size=(120, 36)) as pilot:
            while _rows(app) == 0:
                await pilot.pause(0.005)
            painted = time.perf_counter()
            report("console first paint (rows on screen)", (painted - launched,) * 3)
            while len(app.store) < ACTIONS:
                await pilot.pause(0.05)
            report(f"console full load of {ACTIONS} actions", (time.perf_counter() - launched,) * 3)
            await pilot.pause(3)  # let the preload's last merges land
            await _measure_keystrokes(app, pilot, "polling on", timer)
            await _measure_page_flips(pilot, "polling on", timer)
            await pilot.press("p")  # pause polling: the filter alone
            await pilot.pause(1)
            await _measure_keystrokes(app, pilot, "polling paused", timer)
            await _measure_page_flips(pilot, "polling paused", timer)
            await pilot.press("q")


async def _measure_keystrokes(
    app: ActionDeckApp, pilot: Pilot[Any], label: str, timer: KeyTimer
) -> None:
    await pilot.press("slash")
    await pilot.pause()
    walls, cpus = await _timed_keys(pilot, "ec2004")
    timer.report(f"filter keystroke over {ACTIONS:,}, {label} (type 'ec2004')", walls, cpus)
    walls, cpus = await _timed_keys(pilot, ["backspace"] * 6)
    timer.report(f"filter keystroke over {ACTIONS:,}, {label} (backspace)", walls, cpus)
    walls, cpus = [], []
    for _ in range(5):  # a paste lands in the box at once: one change of its value
        started, cpu = time.perf_counter(), time.thread_time()
        app.main_screen.set_filter("status:failed")
        await pilot.pause()
        walls.append(time.perf_counter() - started)
        cpus.append(time.thread_time() - cpu)
        app.main_screen.set_filter("")
        await pilot.pause()
    timer.report(f"'status:failed' pasted over {ACTIONS:,}, {label}", walls, cpus)
    await pilot.press("escape")


async def _measure_page_flips(pilot: Pilot[Any], label: str, timer: KeyTimer) -> None:
    flips = (("page flip (']')", "right_square_bracket"), ("PgDn", "pagedown"), ("j", "j"))
    for name, key in flips:
        walls, cpus = await _timed_keys(pilot, [key] * 10)
        timer.report(f"{name} over {ACTIONS:,}, {label}", walls, cpus)
