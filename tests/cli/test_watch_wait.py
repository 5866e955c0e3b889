"""``actiondeck watch`` and multi-ref ``wait``, as the installed command on a simulator."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

from tests.helpers.cli import ACTIONDECK, LineReader, on_pty, run
from tests.helpers.sim import advance
from tui.sim import Simulator

READ_TIMEOUT = 30.0
"""Seconds a test waits for the next line of a running watch."""


def refs(config: Path, query: str, limit: int = 5) -> list[str]:
    done = run("list", "--config", str(config), query, "--json", "--limit", str(limit))
    assert done.returncode == 0, done.stderr
    return [a["ref"] for a in json.loads(done.stdout)]


def watch(config: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(ACTIONDECK), "watch", "--config", str(config), "--interval", "0.2", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def test_watch_streams_changes_and_ctrl_c_exits_0(
    fresh_sim: Simulator, fresh_sim_config: Path
) -> None:
    process = watch(
        fresh_sim_config, "status:running backend:seeweb", "--limit", "3",
        "--format", "ndjson", "--fields", "ref,status,progress",
    )  # fmt: skip
    reader = LineReader(process)
    try:
        first = [json.loads(reader.next()) for _ in range(3)]
        assert all(record["status"] == "running" for record in first)
        advance(fresh_sim, 6 * 3600)  # every running action moves on
        change = json.loads(reader.next())
        assert change["ref"] in {r["ref"] for r in first}
        assert change != next(r for r in first if r["ref"] == change["ref"])
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    assert process.stderr is not None
    err = process.stderr.read()
    assert process.returncode == 0 and "Traceback" not in err


def test_watch_until_settled_exits_0_when_all_completed_and_1_when_one_failed(
    sim_config: Path,
) -> None:
    done = run("watch", "--config", str(sim_config), "status:completed", "--limit", "4",
               "--until-settled", "--format", "csv", "--fields", "ref,status")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "ref,status" and len(done.stdout.splitlines()) == 5
    failed = run("watch", "--config", str(sim_config), "status:failed", "--limit", "2",
                 "--until-settled")  # fmt: skip
    assert failed.returncode == 1 and failed.stdout.startswith("STATUS")


def test_watch_until_settled_follows_running_actions_to_their_end(
    fresh_sim: Simulator, fresh_sim_config: Path
) -> None:
    done = run("list", "--config", str(fresh_sim_config), "status:running backend:seeweb", "--json")
    target = json.loads(done.stdout)[0]
    # Shown once running, then followed to its end although it no longer matches status:running.
    query = f"status:running backend:seeweb resource:{target['resource']}"
    process = watch(fresh_sim_config, query, "--until-settled", "--format", "ndjson")
    reader = LineReader(process)
    try:
        shown = json.loads(reader.next())
        assert shown["ref"] == target["ref"] and shown["status"] == "running"
        advance(fresh_sim, 600)
        process.wait(timeout=READ_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    last = json.loads(reader.rest()[-1])
    assert last["ref"] == target["ref"] and last["status"] in ("completed", "failed")
    assert process.returncode == (0 if last["status"] == "completed" else 1)


def test_wait_for_several_refs(sim_config: Path) -> None:
    completed = refs(sim_config, "status:completed", 2)
    [failed] = refs(sim_config, "status:failed", 1)
    both = run("wait", "--config", str(sim_config), *completed, "--timeout", "20")
    # One line per action as its ending is seen: two that have already ended may
    # be answered in either order.
    assert both.returncode == 0 and sorted(both.stdout.splitlines()) == sorted(
        f"{r}: completed" for r in completed
    )
    assert both.stderr == ""  # piped: no progress line
    mixed = run("wait", "--config", str(sim_config), completed[0], failed, "--timeout", "20")
    assert mixed.returncode == 1 and f"{failed}: failed" in mixed.stdout


def test_wait_any_returns_at_the_first_ending(sim_config: Path) -> None:
    [running] = refs(sim_config, "status:running backend:seeweb", 1)
    [completed] = refs(sim_config, "status:completed", 1)
    began = time.monotonic()
    done = run("wait", "--config", str(sim_config), running, completed, "--any", "--timeout", "30")
    assert done.returncode == 0 and done.stdout.strip() == f"{completed}: completed"
    assert time.monotonic() - began < 25  # it did not wait for the running one
    timed_out = run("wait", "--config", str(sim_config), running, "--timeout", "4")
    assert timed_out.returncode == 4 and "still running" in timed_out.stderr


def test_wait_shows_a_live_progress_line_on_a_terminal(sim_config: Path) -> None:
    [running] = refs(sim_config, "status:running backend:seeweb", 1)
    code, out = on_pty("wait", "--config", str(sim_config), running, "--timeout", "4",
                       "--interval", "0.5")  # fmt: skip
    assert code == 4
    assert "\r\x1b[K" in out and f"{running} ● running" in out and "%" in out
    assert out.rstrip().endswith("after 4s")  # the line was cleared before the error
