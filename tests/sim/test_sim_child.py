"""The simulator in a child process: it answers, reports its failures, and ends with its parent.

Forking needs a process without threads (a pytest-xdist worker has some), so
each case runs in a fresh interpreter of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tui.sim.child import fork_simulator

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")

ROOT = Path(__file__).resolve().parents[2]

_SERVE_AND_STOP = """
import json, os, sys, urllib.request
from tui.sim.child import fork_simulator
child = fork_simulator(seed=3, actions=%(actions)d)
ends = child.endpoints()
request = urllib.request.Request(
    ends.seeweb_url + "/actions?start=0&length=5",
    headers={"X-APITOKEN": ends.credentials.seeweb_token},
)
with urllib.request.urlopen(request, timeout=10) as answer:
    body = json.load(answer)
child.stop()
try:
    os.kill(child.pid, 0)
    alive = True
except ProcessLookupError:
    alive = False
print(json.dumps({"total": body["total_actions"], "rows": len(body["actions"]), "alive": alive}))
"""

_ORPHAN = """
import sys
from tui.sim.child import fork_simulator
child = fork_simulator(seed=3)
child.endpoints()
print(child.pid, flush=True)
sys.stdin.readline()
"""


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True  # ended; only its reaping is left (to init)
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_the_child_serves_the_seeded_world_and_stops_when_told() -> None:
    done = _python(_SERVE_AND_STOP % {"actions": 100_000})
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures == {"total": figures["total"], "rows": 5, "alive": False}
    assert 90_000 < figures["total"] <= 100_000  # Seeweb's share of a 100,000-action demo


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_the_child_ends_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert not _gone(child, 0.3)  # it serves while the parent lives
        parent.kill()
        parent.wait(timeout=10)
        assert _gone(child, 5.0)
    finally:
        parent.kill()


def test_a_child_that_cannot_start_says_why() -> None:
    code = (
        "from tui.sim.child import fork_simulator, SimulatorStartError\n"
        "child = fork_simulator(seed=1, servers=0)\n"
        "try:\n    child.endpoints()\n"
        "except SimulatorStartError as error:\n    print(error)\n"
        "child.stop()\n"
    )
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert "did not start" in done.stdout and "at least one server" in done.stdout


def test_no_fork_once_threads_run() -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait, daemon=True)
    worker.start()
    try:
        assert fork_simulator(seed=1) is None
    finally:
        release.set()
        worker.join(timeout=5)
