"""The writer thread: it gives way to a busy console and leaves alone what the file holds.

Real SQLite files in tmp_path, real actions from the simulator.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers.journal import NOW, open_journal, sim_actions
from tui.journal import ref_key, writer
from tui.journal.writer import JournalWriter
from tui.model import Action
from tui.sim import Simulator


def _rows(path: Path) -> dict[int, tuple[int, int]]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT key, first_seen, last_seen FROM actions").fetchall()
    finally:
        db.close()
    return {key: (first, last) for key, first, last in rows}


def test_a_version_the_file_holds_is_touched_not_rewritten(sim: Simulator, tmp_path: Path) -> None:
    actions = sim_actions(sim, 30)
    path = tmp_path / "j.sqlite3"
    journal = open_journal(path)
    journal.record(actions, NOW)
    assert journal.flush()
    assert journal.written == len(actions)
    changed = replace(actions[0], message="resized again")
    later = NOW + timedelta(minutes=5)
    journal.record([changed, *actions[1:]], later)  # the same versions, but one
    assert journal.flush()
    assert journal.written == len(actions) + 1  # only the changed one was written again
    rows = _rows(path)
    stamp = int(NOW.timestamp())
    assert all(rows[ref_key(a.ref)] == (stamp, stamp + 300) for a in actions)  # all seen later
    back = {a.ref: a for a in journal.reader.newest(1000)}
    assert back[changed.ref].message == "resized again"
    journal.close()


def test_a_write_gives_way_to_new_requests_and_finishes_when_quiet(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request arriving while the writer writes puts the rest off until the next quiet."""
    actions = sim_actions(sim, 100)[:100]
    monkeypatch.setattr(writer, "SLICE", 10)
    monkeypatch.setattr(writer, "QUIET", 0.05)
    journal = open_journal(tmp_path / "j.sqlite3")
    written_when_taken: list[int] = []
    original_write, original_take = JournalWriter._write, JournalWriter._take

    def write(self: JournalWriter, items: list[tuple[Action, float]]) -> None:
        if self.written == 0:
            journal.touch([actions[0].ref], NOW)  # the console is busy again
        original_write(self, items)

    def take(self: JournalWriter, item: object) -> None:
        written_when_taken.append(self.written)
        original_take(self, item)

    monkeypatch.setattr(JournalWriter, "_write", write)
    monkeypatch.setattr(JournalWriter, "_take", take)
    journal.record(actions, NOW)
    deadline = time.monotonic() + 10
    while journal.written < len(actions) and time.monotonic() < deadline:
        time.sleep(0.01)
    # The record, then the touch after one transaction of 10: the rest waited for it.
    assert written_when_taken == [0, 10]
    assert journal.written == len(actions)  # the rest once quiet again
    assert len(journal.reader.newest(1000)) == len(actions)
    journal.close()


def test_history_windows_leave_known_rows_undecoded(sim: Simulator, tmp_path: Path) -> None:
    actions = sim_actions(sim, 40)
    journal = open_journal(tmp_path / "j.sqlite3")
    journal.record(actions, NOW)
    assert journal.flush()
    known = {ref_key(a.ref) for a in actions[::2]}
    read = [a.ref for window in journal.reader.windows(known=known) for a in window]
    assert sorted(read) == sorted(a.ref for a in actions[1::2])
    journal.close()
