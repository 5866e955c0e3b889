"""What the journal costs at 100,000 actions: load time and disk, with no journal as the floor.

Three console runs on the same simulator (``--demo-actions 100000``), one
after the other in this process: history off (the floor), history on with
an empty file (every action is new to the journal), and history on again
with the file the second run left (a start from history). Each prints the
time until every action is in the store; the second also prints its
overhead over the floor, how long the writer took to catch up after the load,
and the file's size on disk. Then the writer alone: 100,000 real actions
written through :class:`~tui.journal.Journal`.

Run with ``pytest -m benchmark -s tests/benchmarks/test_journal_benchmarks.py``.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers.bench import say
from tests.helpers.journal import NOW, open_journal, sim_actions
from tests.helpers.terminal import record_terminal
from tui.config import HistoryConfig
from tui.console.app import ActionDeckApp
from tui.embedded import simulator_config
from tui.sim import Simulator

ACTIONS = int(os.environ.get("ACTIONDECK_BENCH_ACTIONS", "100000"))
MB = 1024 * 1024
LOAD_LIMIT = 600.0
"""Seconds a full load may take before the benchmark gives up."""


def _on_disk(path: Path) -> int:
    """Bytes of the database and its WAL and shared-memory files."""
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return sum(file.stat().st_size for file in files if file.exists())


async def _full_load(sim: Simulator, history: HistoryConfig) -> tuple[float, float, float]:
    """(first rows on screen, every action in the store, journal caught up) in seconds."""
    config = simulator_config(sim, seeweb_page_size=1000).model_copy(update={"history": history})
    app = ActionDeckApp(config, simulator=sim, preload=True)
    launched = time.perf_counter()
    async with app.run_test(size=(120, 36)) as pilot:
        while not app.main_screen.table.refs:
            await pilot.pause(0.005)
        painted = time.perf_counter() - launched
        # Loaded: every action is in the store, and each came from its backend.
        deadline = time.monotonic() + LOAD_LIMIT
        while (len(app.store) < ACTIONS or app._history_refs) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert len(app.store) >= ACTIONS, "the load did not finish"
        if app._history_refs:
            say(f"BENCH note: {len(app._history_refs)} rows stayed kept from history")
        loaded = time.perf_counter() - launched
        journal = app.history.journal
        if journal is not None:
            journal.flush(120)
        caught_up = time.perf_counter() - launched
        await pilot.press("q")
    return painted, loaded, caught_up


async def test_journal_cost_at_100k(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    record_terminal(monkeypatch)
    path = tmp_path / "journal.sqlite3"
    with Simulator(seed=1, actions=ACTIONS) as sim:
        floor = await _full_load(sim, HistoryConfig(enabled=False))
        cold = await _full_load(sim, HistoryConfig(path=path))
        size = _on_disk(path)
        warm = await _full_load(sim, HistoryConfig(path=path))
    overhead = (cold[1] / floor[1] - 1) * 100
    say(f"BENCH no journal (floor): first paint {floor[0]:.2f} s, full load {floor[1]:.2f} s")
    say(
        f"BENCH journal, empty file: first paint {cold[0]:.2f} s, full load {cold[1]:.2f} s "
        f"({overhead:+.1f} % over the floor), journal written by {cold[2]:.2f} s"
    )
    say(
        f"BENCH journal, start from history: first paint {warm[0]:.2f} s, "
        f"full load {warm[1]:.2f} s ({(warm[1] / floor[1] - 1) * 100:+.1f} % over the floor)"
    )
    say(f"BENCH journal on disk for {ACTIONS} actions: {size / MB:.1f} MB")


def test_writer_alone_at_100k(sim: Simulator, tmp_path: Path) -> None:
    """100,000 real actions (the simulator's, under distinct refs) through the writer."""
    base = sim_actions(sim, 1000)
    actions = [
        replace(action, ref=f"{action.ref}#{n}", id=f"{action.id}#{n}")
        for n in range(-(-ACTIONS // len(base)))
        for action in base
    ][:ACTIONS]
    path = tmp_path / "writer.sqlite3"
    journal = open_journal(path)
    started = time.perf_counter()
    journal.record(actions, NOW)
    assert journal.flush(300)
    written = time.perf_counter() - started
    journal.close()
    reader_started = time.perf_counter()
    again = open_journal(path)
    count = sum(len(window) for window in again.reader.windows())
    read = time.perf_counter() - reader_started
    again.close()
    say(
        f"BENCH writer alone: {ACTIONS} actions written in {written:.2f} s "
        f"({written / ACTIONS * 1e6:.0f} µs each), read back ({count}) in {read:.2f} s, "
        f"{_on_disk(path) / MB:.1f} MB on disk"
    )
