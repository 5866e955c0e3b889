"""Detail views with huge data: open time and keystroke latency, against a floor.

Cases (issue "trust at the edges"): a Nova action with 10,000 events, a Redis
action with 10,000 pending ops, a 5,000-line traceback, a Seeweb action with
1 MB strings (and its raw JSON, ``v``). Each figure is printed with the same
measurement on a floor taken in the same run: a bare ``Static`` in the same
themed app (open: mounting it; keystroke: a key nothing is bound to), and
opens also with a peer: the same kind of action (or traceback) with ten
items, so what the size of the data costs reads directly. Animations are
off, so a scroll lands at once and the figures are work, not easing. A
traceback opens as the app opens one (``open_traceback``: the app's one
traceback screen, built at the first open, shows each); the first open of a
session, which builds the screen, is timed apart (a new screen each time).
The text is made before the clock starts; neutralising it is timed. An
action's open is also timed in its two steps: showing the detail (what the
pane does as the list's selection moves) and focusing its body. The pane
keeps the timeline rows of the last few actions it showed, so showing one
again (as the opens here do) groups nothing; the Nova cases also time a
first open, a new copy of the action each time.

Pilot's round trip ends only once the app has been idle for a while (it
sleeps 20 ms at a time until a sleep passes with no work, then draws what
is left), so the wall figures of an action's open carry two such waits
whatever the work, and the frame is written at the end of the wait anyway.
The open is also given as the process's CPU time (``time.process_time``,
the app painting through a recording driver as to a terminal), beside the
same measure of the floor's mount in the same run: the work, without the
harness's sleeps.

Run with ``pytest -m benchmark -s tests/benchmarks/test_detail_benchmarks.py``.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

import pytest
from textual.app import ComposeResult
from textual.highlight import highlight
from textual.pilot import Pilot
from textual.widgets import Static

from tests.helpers.bench import report
from tests.helpers.terminal import record_terminal
from tests.ui.bigdata import (
    NOW,
    huge_strings_action,
    long_traceback,
    many_events_action,
    many_shards_action,
)
from tests.ui.harness import ThemedApp
from tui.console.screens.traceback import TracebackScreen, open_traceback
from tui.console.widgets.detail_pane import DetailPane
from tui.model import Action

SIZE = (120, 36)
OPENS = int(os.environ.get("ACTIONDECK_BENCH_OPENS", "5"))
"""How many times each open is measured."""
KEYS = ("j", "j", "k", "pagedown", "pagedown", "pageup", "G", "k", "g", "j")

Figures = tuple[float, float, float]


class QuietApp(ThemedApp):
    """The themed harness app without animations (a scroll lands at once, so we time work)."""

    def on_mount(self) -> None:
        super().on_mount()
        self.animation_level = "none"
        highlight("x = 1", language="pytb")  # load the lexers: not what we measure
        highlight("{}", language="json")


class BenchApp(QuietApp):
    """A detail pane (empty at first) in the themed harness app."""

    def compose(self) -> ComposeResult:
        yield DetailPane(None, now=lambda: NOW, age_refresh=None)


def _summary(samples: Sequence[float]) -> Figures:
    return min(samples), statistics.median(samples), max(samples)


async def _timed(step: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await step()
    return time.perf_counter() - started


async def _costed(step: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    """The step's wall time (Pilot's round trip) and the CPU time the process spent on it."""
    started, cpu = time.perf_counter(), time.process_time()
    await step()
    return time.perf_counter() - started, time.process_time() - cpu


async def _keys(pilot: Pilot[Any], keys: Sequence[str]) -> Figures:
    samples = []
    for key in keys:

        async def press(key: str = key) -> None:
            await pilot.press(key)
            await pilot.pause()

        samples.append(await _timed(press))
    return _summary(samples)


def _line(label: str, figures: Figures, floor: Figures) -> None:
    ratio = figures[1] / floor[1] if floor[1] else float("inf")
    report(f"{label} [x{ratio:.1f} the floor]", figures)


async def _floor(pilot: Pilot[Any], cpu: bool = False) -> tuple[Figures, Figures]:
    """Mounting a bare ``Static`` (its wall time, or with ``cpu`` the process's CPU time), and
    a key nothing is bound to."""
    app = pilot.app
    opens = []
    for number in range(OPENS if cpu else 3):

        async def mount(number: int = number) -> None:
            await app.mount(Static(f"floor {number}"))
            await pilot.pause()

        wall, spent = await _costed(mount)
        opens.append(spent if cpu else wall)
    return _summary(opens), await _keys(pilot, ["x"] * len(KEYS))


Opened = tuple[Figures, Figures, Figures]


def _copy(action: Action) -> Action:
    """An equal action that shares nothing the pane could have kept (its events: new tuples)."""
    return replace(
        action, events=tuple(list(action.events)), pending_ops=tuple(list(action.pending_ops))
    )


async def _open_action(
    pilot: Pilot[Any], action: Action, repeat: int = OPENS, *, copies: bool = False
) -> tuple[Opened, Opened]:
    """Open ``action`` in the pane ``repeat`` times (clearing the pane in between).

    Returns the whole open (show the detail, then focus its body), and each of
    the two steps (the pane follows the list's selection; Enter focuses it):
    as Pilot's round trips, and as the process's CPU time. With ``copies``
    each open shows a new copy of ``action`` (made before the clock starts),
    so nothing kept from an earlier open of it applies: a first open.
    """
    pane = pilot.app.query_one(DetailPane)
    walls: tuple[list[float], list[float], list[float]] = ([], [], [])
    cpus: tuple[list[float], list[float], list[float]] = ([], [], [])
    for _ in range(repeat):
        pane.action = None
        await pilot.pause()
        opened = _copy(action) if copies else action

        async def show(opened: Action = opened) -> None:
            pane.action = opened
            await pilot.pause()

        async def focus() -> None:
            pane.focus_body()
            await pilot.pause()

        shown, focused = await _costed(show), await _costed(focus)
        for which, samples in enumerate((walls, cpus)):
            samples[0].append(shown[which] + focused[which])
            samples[1].append(shown[which])
            samples[2].append(focused[which])
    wall_figures = (_summary(walls[0]), _summary(walls[1]), _summary(walls[2]))
    return wall_figures, (_summary(cpus[0]), _summary(cpus[1]), _summary(cpus[2]))


async def _detail_case(
    label: str,
    action: Action,
    small: Action,
    monkeypatch: pytest.MonkeyPatch,
    *,
    raw: bool = False,
    copies: bool = False,
) -> None:
    record_terminal(monkeypatch)
    app = BenchApp()
    async with app.run_test(size=SIZE) as pilot:
        floor_open, floor_key = await _floor(pilot)
        report("floor: mount a bare Static", floor_open)
        report("floor: keystroke nothing is bound to", floor_key)
        floor_cpu = (await _floor(pilot, cpu=True))[0]
        report("floor: mount a bare Static, CPU of the process", floor_cpu)
        walls, cpus = await _open_action(pilot, small)
        peer, peer_shown, peer_focused = walls
        _line(f"peer: open the same kind of action, small ({label})", peer, floor_open)
        _line(f"peer: show its detail ({label})", peer_shown, floor_open)
        _line(f"peer: then focus its body ({label})", peer_focused, floor_open)
        _line(f"peer: open, CPU of the process ({label})", cpus[0], floor_cpu)
        walls, cpus = await _open_action(pilot, action)
        opened, shown, focused = walls
        _line(f"{label}: open", opened, floor_open)
        report(f"{label}: open, against the small peer x{opened[1] / peer[1]:.1f}", opened)
        _line(f"{label}: show the detail (the pane follows the list)", shown, floor_open)
        _line(f"{label}: then focus its body (Enter)", focused, floor_open)
        _line(f"{label}: open, CPU of the process", cpus[0], floor_cpu)
        _line(f"{label}: show the detail, CPU of the process", cpus[1], floor_cpu)
        _line(f"{label}: then focus its body, CPU of the process", cpus[2], floor_cpu)
        if copies:
            walls, cpus = await _open_action(pilot, action, copies=True)
            _line(f"{label}: first open (a new copy each time)", walls[0], floor_open)
            _line(f"{label}: first open: show the detail", walls[1], floor_open)
            _line(f"{label}: first open, CPU of the process", cpus[0], floor_cpu)
            _line(f"{label}: first open: show the detail, CPU of the process", cpus[1], floor_cpu)
        _line(f"{label}: keystroke", await _keys(pilot, KEYS), floor_key)
        pane = app.query_one(DetailPane)
        _line(f"{label}: age refresh", (await _timed(_refresh(pilot, pane)),) * 3, floor_key)
        if raw:
            _line(f"{label}: v (raw JSON on)", await _keys(pilot, ["v"]), floor_key)
            _line(f"{label}: keystroke in raw JSON", await _keys(pilot, KEYS), floor_key)
            _line(f"{label}: v (raw JSON off)", await _keys(pilot, ["v"]), floor_key)


def _refresh(pilot: Pilot[Any], pane: DetailPane) -> Callable[[], Awaitable[None]]:
    async def step() -> None:
        pane.refresh_ages()
        await pilot.pause()

    return step


async def test_nova_action_with_10000_events(monkeypatch: pytest.MonkeyPatch) -> None:
    await _detail_case(
        "10,000 Nova events",
        many_events_action(10_000),
        many_events_action(10),
        monkeypatch,
        copies=True,
    )


async def test_nova_action_with_5000_events(monkeypatch: pytest.MonkeyPatch) -> None:
    await _detail_case(
        "5,000 Nova events",
        many_events_action(5_000),
        many_events_action(10),
        monkeypatch,
        copies=True,
    )


async def test_redis_action_with_10000_pending_ops(monkeypatch: pytest.MonkeyPatch) -> None:
    await _detail_case(
        "10,000 pending ops", many_shards_action(10_000), many_shards_action(10), monkeypatch
    )


async def test_seeweb_action_with_1mb_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    await _detail_case(
        "1 MB strings", huge_strings_action(), huge_strings_action(10), monkeypatch, raw=True
    )


async def _open_traceback(pilot: Pilot[Any], lines: int, repeat: int = OPENS) -> Figures:
    """Open a traceback of ``lines`` lines as the app does, ``repeat`` times (closing it in
    between): the app's one traceback screen, built at the first open, shows each."""
    samples = []
    for number in range(repeat):
        text = long_traceback(lines)

        async def show(number: int = number, text: str = text) -> None:
            mounting = open_traceback(pilot.app, f"compute_prep_resize {number}", text)
            if mounting is not None:
                await mounting
            await pilot.pause()

        samples.append(await _timed(show))
        assert isinstance(pilot.app.screen, TracebackScreen)
        pilot.app.screen.dismiss()
        await pilot.pause()
    return _summary(samples)


async def _first_open(pilot: Pilot[Any], lines: int, repeat: int = OPENS) -> Figures:
    """Push a new traceback screen of ``lines`` lines ``repeat`` times: what the first open
    in a session costs (composing and styling the screen)."""
    samples = []
    for _ in range(repeat):
        text = long_traceback(lines)

        async def push(text: str = text) -> None:
            screen = TracebackScreen("compute_prep_resize", text)
            await pilot.app.push_screen(screen)
            await pilot.pause()

        samples.append(await _timed(push))
        pilot.app.screen.dismiss()
        await pilot.pause()
    return _summary(samples)


async def test_traceback_of_5000_lines() -> None:
    app = QuietApp()
    async with app.run_test(size=SIZE) as pilot:
        floor_open, floor_key = await _floor(pilot)
        report("floor: mount a bare Static", floor_open)
        report("floor: keystroke nothing is bound to", floor_key)
        peer = await _open_traceback(pilot, 10)
        _line("peer: open a 10-line traceback", peer, floor_open)
        opened = await _open_traceback(pilot, 5_000)
        _line("5,000-line traceback: open", opened, floor_open)
        report(f"5,000-line traceback: open, against the peer x{opened[1] / peer[1]:.1f}", opened)
        first_peer = await _first_open(pilot, 10)
        _line("peer: first open of a 10-line traceback (screen built)", first_peer, floor_open)
        first = await _first_open(pilot, 5_000)
        _line("5,000-line traceback: first open (screen built)", first, floor_open)
        mounting = open_traceback(app, "compute_prep_resize", long_traceback(5_000))
        if mounting is not None:
            await mounting
        await pilot.pause()
        _line("5,000-line traceback: keystroke", await _keys(pilot, KEYS), floor_key)
