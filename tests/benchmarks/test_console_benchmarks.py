"""Console figures with 100,000 simulated actions (``actiondeck --demo-actions 100000``).

- first paint: from starting the app until the list shows its first rows;
- full load: until every action of the simulator is in the store;
- filter keystroke: from a key typed in the search box until the list shows
  the new result (the app is idle otherwise);
- page flip: ``]`` on the unfiltered list.

Run with ``pytest -m benchmark -s tests/benchmarks/test_console_benchmarks.py``.
"""

from __future__ import annotations

import os
import statistics
import time

from textual.widgets import DataTable

from tests.helpers.bench import report
from tui.console.app import ActionDeckApp
from tui.embedded import simulator_config
from tui.sim import Simulator

ACTIONS = int(os.environ.get("ACTIONDECK_BENCH_ACTIONS", "100000"))


def _rows(app: ActionDeckApp) -> int:
    return app.main_screen.query_one(DataTable).row_count


def _summary(samples: list[float]) -> tuple[float, float, float]:
    return min(samples), statistics.median(samples), max(samples)


async def test_console_at_100k() -> None:
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
    await pilot.press("escape")  # type: ignore[attr-defined]


async def _measure_page_flips(app: ActionDeckApp, pilot: object) -> None:
    samples = []
    for _ in range(10):
        started = time.perf_counter()
        await pilot.press("right_square_bracket")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - started)
    report("page flip (']') over 100k", _summary(samples))
