"""The journal on a real SQLite file in tmp_path, fed real actions from the simulator."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from tests.helpers.journal import NOW, open_journal, sim_actions
from tui.journal import HistoryQuery, Journal
from tui.model import Status, action_to_json, dumps_json
from tui.sim import Simulator


def test_what_is_recorded_comes_back_as_it_was_marked_from_history(
    sim: Simulator, tmp_path: Path
) -> None:
    actions = sim_actions(sim)
    journal = open_journal(tmp_path / "j.sqlite3")
    journal.record(actions, NOW)
    assert journal.flush()
    journal.close()
    again = open_journal(tmp_path / "j.sqlite3", now=NOW + timedelta(hours=1))
    read = again.reader.newest(10_000)
    again.close()
    by_ref = {action.ref: action for action in read}
    assert set(by_ref) == {action.ref for action in actions}
    for action in actions:
        back = by_ref[action.ref]
        assert back.from_history
        assert replace(back, from_history=False) == action
    assert [a.ref for a in read] == [
        a.ref for a in sorted(read, key=lambda a: a.sort_time, reverse=True)
    ]


def test_the_file_is_wal_and_the_newest_version_wins(sim: Simulator, tmp_path: Path) -> None:
    action = sim_actions(sim, 5)[0]
    journal = open_journal(tmp_path / "j.sqlite3")
    journal.record([replace(action, status=Status.RUNNING)], NOW)
    journal.record([replace(action, status=Status.FAILED)], NOW + timedelta(seconds=5))
    assert journal.flush()
    db = sqlite3.connect(tmp_path / "j.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = db.execute("SELECT status, first_seen, last_seen, listed FROM actions").fetchall()
    assert rows == [("failed", NOW.timestamp() + 5, NOW.timestamp() + 5, 1)]
    journal.close()


def test_first_seen_stays_last_seen_moves_and_gone_is_not_listed(
    sim: Simulator, tmp_path: Path
) -> None:
    action = sim_actions(sim, 5)[0]
    journal = open_journal(tmp_path / "j.sqlite3")
    journal.record([action], NOW)
    assert journal.flush()
    journal.touch([action.ref], NOW + timedelta(minutes=1))
    journal.record([replace(action, gone=True)], NOW + timedelta(minutes=2))
    assert journal.flush()
    db = sqlite3.connect(tmp_path / "j.sqlite3")
    rows = db.execute("SELECT first_seen, last_seen, listed FROM actions").fetchall()
    assert rows == [(NOW.timestamp(), NOW.timestamp() + 120, 0)]
    journal.close()


def test_records_are_small_on_disk(sim: Simulator, tmp_path: Path) -> None:
    """A deflated record is a fraction of its JSON (the dictionary does most of it)."""
    actions = sim_actions(sim, 500)
    journal = open_journal(tmp_path / "j.sqlite3")
    journal.record(actions, NOW)
    assert journal.flush()
    journal.close()
    db = sqlite3.connect(tmp_path / "j.sqlite3")
    stored = db.execute("SELECT SUM(LENGTH(state)) FROM actions").fetchone()[0]
    as_json = sum(len(dumps_json(action_to_json(action), indent=None)) for action in actions)
    assert stored < as_json / 3


def test_actions_not_seen_for_keep_days_are_pruned(sim: Simulator, tmp_path: Path) -> None:
    old, recent = sim_actions(sim, 5)[:2]
    path = tmp_path / "j.sqlite3"
    journal = open_journal(path, now=NOW)
    journal.record([old], NOW - timedelta(days=10))
    journal.record([recent], NOW)
    assert journal.flush()
    journal.close()
    later = Journal.open(path, keep_days=5, now=NOW)
    assert later.flush()  # the writer prunes when it starts
    assert [action.ref for action in later.reader.newest(10)] == [recent.ref]
    later.close()


def test_a_second_console_reads_while_the_first_writes(sim: Simulator, tmp_path: Path) -> None:
    actions = sim_actions(sim, 20)
    path = tmp_path / "j.sqlite3"
    first = open_journal(path)
    second = open_journal(path)
    assert first.writable
    assert not second.writable
    first.record(actions, NOW)
    second.record(actions[:1], NOW)  # ignored: it reads only
    assert first.flush()
    assert {a.ref for a in second.reader.newest(100)} == {a.ref for a in actions}
    first.close()
    second.close()
    third = open_journal(path)
    assert third.writable  # the lock went with the first
    third.close()


def test_last_look_is_when_the_previous_run_last_wrote(sim: Simulator, tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    first = open_journal(path)
    assert first.last_look is None
    first.record(sim_actions(sim, 3), NOW)
    assert first.flush()
    first.close()
    second = open_journal(path, now=NOW + timedelta(days=1))
    assert second.last_look is not None
    second.close()


def test_history_windows_filter_by_status_and_time(sim: Simulator, tmp_path: Path) -> None:
    actions = sim_actions(sim)
    journal = open_journal(tmp_path / "j.sqlite3")
    journal.record(actions, NOW)
    assert journal.flush()
    failed = HistoryQuery(statuses=frozenset({Status.FAILED}))
    read = [a for window in journal.reader.windows(failed) for a in window]
    assert {a.ref for a in read} == {a.ref for a in actions if a.status is Status.FAILED}
    assert read
    newest = max(a.sort_time for a in actions)
    recent = HistoryQuery(active_since=newest)
    assert {a.ref for w in journal.reader.windows(recent) for a in w} <= {a.ref for a in actions}
    limited = HistoryQuery(limit=7)
    assert sum(len(w) for w in journal.reader.windows(limited)) == 7
    journal.close()
