"""What the journal costs at 100,000 actions: load time and disk, with no journal as the floor.

Four console runs on the same simulator (``--demo-actions 100000``), one
after the other in this process: history off (the floor), history on with
an empty file (every action is new to the journal), history on again with
the file the second run left (a start from history), and history off again
(the floor once more: the machine's load drifts during a run, so the
journal's runs are compared with the mean of the two floors around them).
Each prints the time until every action is in the store and the CPU time
the process spent meanwhile (all threads: the simulator's, the console's,
the journal's; CPU time hardly moves with other processes' load, wall time
does); the journal's runs also print their overhead over the floor, the
second how long the writer took to catch up after the load, and the file's
size on disk. Then the writer alone: 100,000 real actions written through
:class:`~tui.journal.Journal`.

Run with ``pytest -m benchmark -s tests/benchmarks/test_journal_benchmarks.py``.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import threading
import time
from dataclasses import dataclass, replace
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


def _thread_cpu(name: str) -> float | None:
    """CPU seconds of the live thread called ``name`` (Linux's /proc), or None."""
    thread = next((t for t in threading.enumerate() if t.name == name), None)
    stat = Path(f"/proc/self/task/{thread.native_id}/stat") if thread else None
    if stat is None or not stat.exists():
        return None
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _on_disk(path: Path) -> int:
    """Bytes of the database and its WAL and shared-memory files."""
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return sum(file.stat().st_size for file in files if file.exists())


@dataclass(frozen=True)
class Load:
    """One full load, in seconds."""

    painted: float
    """Until the first rows are on screen."""
    loaded: float
    """Until every action is in the store."""
    cpu: float
    """CPU time of the process (every thread) until then."""
    caught_up: float
    """Until the journal has written everything."""
    writer_cpu: float | None
    """CPU time of the journal's writer thread until every action was in the store
    (None: no journal, or no per-thread times on this system)."""

    def over(self, floors: tuple[Load, Load]) -> str:
        """``+1.2 % wall, +0.8 % CPU``: the overhead over the mean of two floors."""
        wall = self.loaded / statistics.fmean(f.loaded for f in floors) - 1
        cpu = self.cpu / statistics.fmean(f.cpu for f in floors) - 1
        return f"{wall * 100:+.1f} % wall, {cpu * 100:+.1f} % CPU over the floor"


async def _full_load(sim: Simulator, history: HistoryConfig) -> Load:
    """Run the console until every action of ``sim`` is in its store."""
    config = dataclasses.replace(simulator_config(sim, seeweb_page_size=1000), history=history)
    app = ActionDeckApp(config, simulator=sim, preload=True)
    launched = time.perf_counter()
    cpu_started = time.process_time()
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
        cpu = time.process_time() - cpu_started
        writer_cpu = _thread_cpu("actiondeck-journal")
        journal = app.history.journal
        if journal is not None:
            journal.flush(120)
        caught_up = time.perf_counter() - launched
        await pilot.press("q")
    return Load(painted, loaded, cpu, caught_up, writer_cpu)


async def test_journal_cost_at_100k(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    record_terminal(monkeypatch)
    path = tmp_path / "journal.sqlite3"
    with Simulator(seed=1, actions=ACTIONS) as sim:
        floor = await _full_load(sim, HistoryConfig(enabled=False))
        cold = await _full_load(sim, HistoryConfig(path=path))
        size = _on_disk(path)
        warm = await _full_load(sim, HistoryConfig(path=path))
        floor_again = await _full_load(sim, HistoryConfig(enabled=False))
    floors = (floor, floor_again)
    for name, run in (("no journal (floor)", floor), ("no journal again (floor)", floor_again)):
        say(
            f"BENCH {name}: first paint {run.painted:.2f} s, "
            f"full load {run.loaded:.2f} s ({run.cpu:.2f} s CPU)"
        )
    say(
        f"BENCH journal, empty file: first paint {cold.painted:.2f} s, "
        f"full load {cold.loaded:.2f} s ({cold.cpu:.2f} s CPU; {cold.over(floors)}), "
        f"journal written by {cold.caught_up:.2f} s"
    )
    for name, run in (("empty file", cold), ("start from history", warm)):
        if run.writer_cpu is not None:
            say(f"BENCH journal, {name}: writer thread CPU during the load {run.writer_cpu:.2f} s")
    say(
        f"BENCH journal, start from history: first paint {warm.painted:.2f} s, "
        f"full load {warm.loaded:.2f} s ({warm.cpu:.2f} s CPU; {warm.over(floors)})"
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
