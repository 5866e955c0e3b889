"""What an open console costs: bytes written to the terminal and CPU, idle and live.

Each figure comes with a floor measured in the same run: a bare Textual app
(one ``Static``) that does nothing, and one that rewrites an 8-character clock
every second. The console runs at 160×45 with its default polling intervals
and paints through a recording driver (every byte it would send to the
terminal is counted, see :mod:`tests.helpers.terminal`).

- idle: the simulator's clock is frozen (nothing changes on the servers) and
  the list shows finished actions only, so nothing on screen needs to move
  except what ages (``started``, the backend bar);
- live: the simulator's clock runs, actions progress, durations tick, and new
  actions arrive now and then (each moves the list down a row and, with the
  cursor on the first row, changes the detail pane). It is watched for a whole
  minute (``ACTIONDECK_BENCH_LIVE_WINDOW``), since a shorter window holds an
  arrival or not by chance, and its bytes are attributed to the widgets they
  land on (the five that took most are printed).

CPU is a share of one core. ``actiondeck`` runs its simulator in a child
process (:mod:`tui.sim.child`, forked before the console starts), so what an
operator's console costs is the console's own process: the live scene does
the same (the simulator forked, the console in this process), and prints the
console's process, of it the app's own thread (its event loop: rendering,
polling, parsing) and its other threads (OpenStack's requests, parsing), and
the simulator's process apart. The idle scene needs a frozen clock, which
only an in-process simulator has: there the process includes the
simulator's threads (its servers and the threads that answer each
connection), printed apart, and the process without them is what the
console alone costs. Run with
``pytest -m benchmark -s tests/benchmarks/test_calm_benchmarks.py``.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.errors import NoWidget
from textual.widgets import Static

from tests.helpers.app import settle_app
from tests.helpers.bench import say
from tests.helpers.terminal import record_terminal, terminal_output
from tui.console.app import ActionDeckApp
from tui.embedded import simulator_config
from tui.sim import FrozenClock, Simulator
from tui.sim.child import SimulatorProcess, fork_simulator

WINDOW = float(os.environ.get("ACTIONDECK_BENCH_WINDOW", "15"))
"""Seconds each scenario but the live one is watched for."""

LIVE_WINDOW = float(os.environ.get("ACTIONDECK_BENCH_LIVE_WINDOW", "60"))
"""Seconds the live console is watched for."""

MOVE = re.compile(r"\x1b\[(\d*)(?:;(\d*))?([HABCD])")
"""A cursor move: absolute (``ESC[y;xH``) or relative (up, down, right, left)."""

ESCAPE = re.compile(r"\x1b\[[0-9;?<>=]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
"""Any escape sequence (what moves no cursor across the text)."""

STEPS = {"A": (0, -1), "B": (0, 1), "C": (1, 0), "D": (-1, 0)}

SIZE = (160, 45)


class BareApp(App[None]):
    """The floor: one ``Static``, optionally rewritten every second."""

    def __init__(self, ticking: bool) -> None:
        super().__init__()
        self._ticking = ticking

    def compose(self) -> ComposeResult:
        yield Static("00:00:00", id="clock")

    def on_mount(self) -> None:
        if self._ticking:
            self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        self.query_one(Static).update(time.strftime("%H:%M:%S"))


class ThreadClock:
    """The CPU time of every thread of the process, those that end included."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.ended: dict[threading.Thread, float] = {}
        run, ended = threading.Thread.run, self.ended

        def timed(thread: threading.Thread) -> None:
            try:
                run(thread)
            finally:
                ended[thread] = time.thread_time()

        monkeypatch.setattr(threading.Thread, "run", timed)

    def read(self) -> dict[threading.Thread, float]:
        """CPU seconds of each thread so far (at its end, for one that ended)."""
        seen = dict(self.ended)
        for thread in threading.enumerate():
            if thread in seen or thread.ident is None:
                continue
            try:
                seen[thread] = time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
            except OSError:  # it ended just now: its time is in ``ended``
                seen[thread] = self.ended.get(thread, 0.0)
        return seen


def simulator_seconds(
    before: dict[threading.Thread, float], after: dict[threading.Thread, float]
) -> float:
    """CPU seconds the simulator's threads spent between two readings."""
    return sum(
        seconds - before.get(thread, 0.0)
        for thread, seconds in after.items()
        if thread.name.startswith("sim-") or "process_request_thread" in thread.name
    )


def child_seconds(pid: int) -> float:
    """CPU seconds process ``pid`` (a child of this one) has spent so far (Linux's /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _print(
    label: str, written: int, cpu: tuple[float, float, float], window: float, child: bool
) -> None:
    per_minute = written * 60 / window
    share, thread, simulator = (100 * seconds / window for seconds in cpu)
    if child:
        say(
            f"BENCH {label}: {per_minute / 1000:.1f} KB/min written, the console's process"
            f" {share:.2f} % of a core ({thread:.2f} % in the app's thread,"
            f" {share - thread:.2f} % in its other threads); the simulator's process"
            f" {simulator:.2f} %"
        )
        return
    say(
        f"BENCH {label}: {per_minute / 1000:.1f} KB/min written, {share:.1f} % of a core"
        f" ({thread:.1f} % in the app's thread; the simulator's threads {simulator:.1f} %,"
        f" the console without them {share - simulator:.1f} %)"
    )


def by_widget(app: App[Any], output: str) -> Counter[str]:
    """Bytes of ``output`` by the widget under the place each piece is written to.

    The cursor is followed through absolute and relative moves and the text
    written (each piece goes where the cursor is when it starts).
    """
    spent: Counter[str] = Counter()
    parts = MOVE.split(output)
    x = y = 0
    for first, second, final, chunk in zip(*[iter(parts[1:])] * 4, strict=True):
        if final == "H":
            y, x = int(first or 1) - 1, int(second or 1) - 1
        else:
            dx, dy = STEPS[final]
            x, y = x + dx * int(first or 1), y + dy * int(first or 1)
        move = f"\x1b[{first}{';' + second if second is not None else ''}{final}"
        try:
            widget, _ = app.screen.get_widget_at(x, y)
        except NoWidget:
            name = "(no widget)"
        else:
            name = type(widget).__name__ + (f"#{widget.id}" if widget.id else "")
        spent[name] += len((move + chunk).encode())
        x += cell_len(ESCAPE.sub("", chunk).replace("\n", ""))
    return spent


async def _watch(
    app: App[Any],
    label: str,
    clock: ThreadClock,
    ready: Callable[[Any], Any] | None = None,
    window: float = WINDOW,
    attribute: bool = False,
    child: SimulatorProcess | None = None,
) -> None:
    """Watch ``app`` for ``window`` seconds (``child``: the simulator's process, if forked)."""
    async with app.run_test(size=SIZE) as pilot:
        if ready is not None:
            await ready(pilot)
        await pilot.pause(1)
        before, cpu, own = len(terminal_output(app)), time.process_time(), time.thread_time()
        threads = clock.read()
        forked = child_seconds(child.pid) if child is not None else 0.0
        await asyncio.sleep(window)
        if child is not None:
            simulator = child_seconds(child.pid) - forked
        else:
            simulator = simulator_seconds(threads, clock.read())
        spent = (time.process_time() - cpu, time.thread_time() - own, simulator)
        output = terminal_output(app)[before:]
        _print(label, len(output.encode()), spent, window, child is not None)
        if attribute:
            top = by_widget(app, output).most_common(5)
            say("BENCH   by widget: " + ", ".join(f"{n} {b / 1000:.1f} KB" for n, b in top))


async def test_bytes_and_cpu_idle_and_live(monkeypatch: pytest.MonkeyPatch) -> None:
    record_terminal(monkeypatch)
    clock = ThreadClock(monkeypatch)
    child = fork_simulator(seed=7)  # before any thread runs (a fork copies none), as actiondeck
    assert child is not None, "the live scene needs the simulator forked (no fork, or threads run)"
    try:
        await _scenes(clock, child)
    finally:
        child.stop()


async def _scenes(clock: ThreadClock, child: SimulatorProcess) -> None:
    await _watch(BareApp(ticking=False), "floor: bare Textual app, idle", clock)
    await _watch(
        BareApp(ticking=True), "floor: bare Textual app, a clock ticking every second", clock
    )

    async def finished_only(pilot: Any) -> None:
        await settle_app(pilot.app, pilot)
        await pilot.press("slash", *"status:completed", "escape")
        await settle_app(pilot.app, pilot)

    with Simulator(seed=7, clock=FrozenClock()) as sim:
        app = ActionDeckApp(simulator_config(sim), simulator=sim)
        label = "console idle (frozen simulator, finished actions shown)"
        await _watch(app, label, clock, finished_only)
    endpoints = child.endpoints()
    app = ActionDeckApp(simulator_config(endpoints), simulator=endpoints)
    label = "console live (simulator running in a child process, whole list)"
    await _watch(app, label, clock, settle_app_ready, LIVE_WINDOW, attribute=True, child=child)


async def settle_app_ready(pilot: Any) -> None:
    """Every backend answered once."""
    await settle_app(pilot.app, pilot)
