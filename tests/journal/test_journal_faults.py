"""The journal under faults: killed writers, damaged and locked files, a full queue."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.helpers.journal import NOW, open_journal, sim_actions
from tui.journal import Journal, JournalError
from tui.model import action_to_json, dumps_json
from tui.sim import Simulator

WRITER = textwrap.dedent(
    """
    import json, sys
    from datetime import datetime, UTC
    from pathlib import Path
    from tui.journal import Journal
    from dataclasses import replace
    from tui.model import action_from_json

    path, source = Path(sys.argv[1]), Path(sys.argv[2])
    base = [action_from_json(item) for item in json.loads(source.read_text())]
    journal = Journal.open(path, keep_days=30, now=datetime.now(UTC))
    round = 0
    while True:
        batch = [
            replace(a, ref=f"{a.ref}#{round}", id=f"{a.id}#{round}")
            for a in base
        ]
        journal.record(batch, datetime.now(UTC))
        if not journal.flush(30):
            sys.exit(3)
        round += 1
        print(round * len(base), flush=True)
    """
)


def test_a_writer_killed_mid_write_loses_nothing_committed(sim: Simulator, tmp_path: Path) -> None:
    """SIGKILL while transactions are being written: the file is sound and holds every commit."""
    source = tmp_path / "actions.json"
    source.write_text(dumps_json([action_to_json(a) for a in sim_actions(sim)]))
    path = tmp_path / "j.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(source)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert child.stdout is not None
    committed = 0
    deadline = time.monotonic() + 60
    while committed < 5000 and time.monotonic() < deadline:
        line = child.stdout.readline()
        assert line, f"the writer ended early (exit {child.poll()})"
        committed = int(line)
    time.sleep(0.05)  # well inside the next batch's transactions
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    for line in child.stdout:  # commits it announced before it died
        committed = int(line)
    assert committed >= 5000
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("SELECT COUNT(*) FROM actions").fetchone()[0] >= committed
    db.close()
    reopened = open_journal(path)  # and the next console takes over the file
    assert reopened.writable
    assert len(reopened.reader.newest(100)) == 100
    reopened.close()


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    path.write_bytes(b"this is not a database\n" * 500)
    with pytest.raises(JournalError) as caught:
        open_journal(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    assert "not a database" in message
    assert path.read_bytes().startswith(b"this is not")  # never overwritten


def test_a_damaged_page_is_reported_not_raised(sim: Simulator, tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    journal = open_journal(path)
    journal.record(sim_actions(sim), NOW)
    assert journal.flush()
    journal.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for at in range(page * 2, len(data) - page, page * 3):  # scribble over some pages
        data[at + 8 : at + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))
    with pytest.raises(JournalError) as caught:
        open_journal(path)
    assert "\n" not in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_file_locked_by_another_process_is_one_line(sim: Simulator, tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    open_journal(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(JournalError) as caught:
            open_journal(path)
        assert time.monotonic() - started < 10  # bounded by the busy timeout
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_folder_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(JournalError) as caught:
        Journal.open(blocker / "sub" / "j.sqlite3", keep_days=30, now=NOW)
    assert "\n" not in str(caught.value)


def test_a_writer_whose_file_fails_stops_and_says_why(sim: Simulator, tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    journal = open_journal(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        journal.record(sim_actions(sim, 5), NOW)
        assert not journal.flush(timeout=10)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert journal.failure is not None
    assert "locked" in journal.failure
    journal.record(sim_actions(sim, 5), NOW)  # ignored, never raises
    journal.close()
