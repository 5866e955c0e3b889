"""Console figures with 100,000 simulated actions (``actiondeck --demo-actions 100000``).

- first paint: from starting the app until the list shows its first rows;
- full load: until every action of the simulator is in the store;
- filter keystroke: from a key typed in the search box until the list shows
  the new result (the app is idle otherwise); ``status:failed`` pasted: the
  box's value set at once, as a paste does, until the list shows the result;
- page flip: ``]`` and PgDn on the unfiltered list;
- floor: the same key round trip in a bare Textual app (one ``Static``, the
  key bound to nothing), in the same run.

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


async def test_console_at_100k(monkeypatch: pytest.MonkeyPatch) -> None:
    record_terminal(monkeypatch)
    floor = BareApp()
    async with floor.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.5)
        report("floor: a key bound to nothing, bare Textual app", await _keys(pilot, "x" * 10))
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
            await _measure_keystrokes(app, pilot, "polling on")
            await _measure_page_flips(app, pilot)
            await pilot.press("p")  # pause polling: the filter alone
            await pilot.pause(1)
            await _measure_keystrokes(app, pilot, "polling paused")
            await pilot.press("q")


async def _measure_keystrokes(app: ActionDeckApp, pilot: object, label: str) -> None:
    await pilot.press("slash")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    samples = []
    for key in "ec2004":
        started = time.perf_counter()
        await pilot.press(key)  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - started)
    report(f"filter keystroke over 100k, {label} (type 'ec2004')", _summary(samples))
    backspaces = []
    for _ in range(6):
        started = time.perf_counter()
        await pilot.press("backspace")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        backspaces.append(time.perf_counter() - started)
    report(f"filter keystroke over 100k, {label} (backspace)", _summary(backspaces))
    pasted = []
    for _ in range(5):  # a paste lands in the box at once: one change of its value
        started = time.perf_counter()
        app.main_screen.set_filter("status:failed")
        await pilot.pause()  # type: ignore[attr-defined]
        pasted.append(time.perf_counter() - started)
        app.main_screen.set_filter("")
        await pilot.pause()  # type: ignore[attr-defined]
    report(f"'status:failed' pasted over 100k, {label}", _summary(pasted))
    await pilot.press("escape")  # type: ignore[attr-defined]


async def _keys(pilot: Pilot[Any], keys: Sequence[str]) -> tuple[float, float, float]:
    samples = []
    for key in keys:
        started = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        samples.append(time.perf_counter() - started)
    return _summary(samples)


async def _measure_page_flips(app: ActionDeckApp, pilot: Pilot[Any]) -> None:
    report("page flip (']') over 100k", await _keys(pilot, ["right_square_bracket"] * 10))
    report("PgDn over 100k", await _keys(pilot, ["pagedown"] * 10))
    report("j over 100k", await _keys(pilot, ["j"] * 10))
