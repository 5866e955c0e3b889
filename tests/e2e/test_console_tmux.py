"""End to end: the installed ``actiondeck`` in a real terminal (tmux), against ``actiondeck sim``.

Types as a person would (``send-keys``) and reads the screen (``capture-pane``).
Skipped where tmux is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
ACTIONDECK = Path(sys.executable).with_name("actiondeck")

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

DETAIL_REF = re.compile(r"(?:^|▏)\s*ref\s+(seeweb|openstack|redis):\S+", re.MULTILINE)
"""The first line of the detail pane: under the list, or beside it past the pane's edge."""

SIM_ENV = {
    "SIM_SEEWEB_TOKEN": "sim-seeweb-token",
    "SIM_OS_PASSWORD": "sim-os-password",
    "SIM_REDIS_PASSWORD": "sim-redis-password",
}


def tmux(socket: str, *args: str) -> str:
    """Run a tmux command against a private server (``-L``), never the user's own.

    The environment is passed explicitly. Importing GNU readline (which a
    pytest run does) exports ``COLUMNS`` and ``LINES`` into the process's C
    environment, not ``os.environ``; a child inherits them by default, and a
    Textual app in the tmux pane then lays itself out at 80×24 whatever the
    pane's size.
    """
    environment = {
        key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")
    }
    done = subprocess.run(
        [TMUX or "tmux", "-L", socket, *args],
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
        env=environment,
    )
    return done.stdout


@pytest.fixture
def sim_config(tmp_path: Path) -> Iterator[Path]:
    """``actiondeck sim`` running in the background, and the config it wrote."""
    config = tmp_path / "sim.toml"
    sim = subprocess.Popen(
        [str(ACTIONDECK), "sim", "--seed", "3", "--write-config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert sim.stdout is not None
        first = sim.stdout.readline()
        assert "simulator running" in first, first
        yield config
    finally:
        sim.terminate()
        sim.wait(timeout=10)


class Terminal:
    """One tmux session running a command; read the screen, type keys."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.name = f"actiondeck-e2e-{uuid.uuid4().hex[:8]}"
        self.socket = self.name
        env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        width, height = size
        tmux(
            self.socket,
            "new-session",
            "-d",
            "-s",
            self.name,
            "-x",
            str(width),
            "-y",
            str(height),
            *env_args,
            " ".join(command),
        )
        tmux(self.socket, "set-option", "-t", self.name, "remain-on-exit", "on")
        tmux(self.socket, "resize-window", "-t", self.name, "-x", str(width), "-y", str(height))

    def screen(self) -> str:
        return tmux(self.socket, "capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        """Press keys one by one, as a person would (a lone ESC needs a pause after it,
        or the terminal reads ESC + the next key as one Alt chord)."""
        for key in keys:
            tmux(self.socket, "send-keys", "-t", self.name, key)
            time.sleep(0.3)

    def type(self, text: str) -> None:
        tmux(self.socket, "send-keys", "-t", self.name, "-l", text)

    def wait_for(self, condition: Callable[[str], bool], what: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if condition(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; screen was:\n{screen}")

    def dead(self) -> bool:
        return tmux(self.socket, "list-panes", "-t", self.name, "-F", "#{pane_dead}").strip() == "1"

    def close(self) -> None:
        subprocess.run([TMUX or "tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def console(sim_config: Path) -> Iterator[Terminal]:
    env = {**SIM_ENV, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    home = sim_config.parent / "home"
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")})
    terminal = Terminal([str(ACTIONDECK), "--config", str(sim_config)], env, (120, 36))
    try:
        yield terminal
    finally:
        terminal.close()


def table_rows(screen: str) -> list[str]:
    """Screen lines that are rows of the action list (they name a backend)."""
    names = ("seeweb", "openstack", "opensta…", "redis")
    return [line for line in screen.splitlines() if line.strip().split(" ")[0] in names]


def test_a_person_can_find_failed_actions_open_one_and_quit(console: Terminal) -> None:
    first = console.wait_for(lambda s: " of " in s and len(table_rows(s)) >= 5, "the action list")
    assert {row.split()[0] for row in table_rows(first)} & {"seeweb", "redis"}
    # The first rows are drawn from the first backend that answers; the others follow.
    console.wait_for(
        lambda s: {"seeweb", "redis"} <= {row.split()[0] for row in table_rows(s)},
        "every backend's rows",
    )

    console.type("/")
    console.type("status:failed")
    filtered = console.wait_for(
        lambda s: bool(table_rows(s)) and all("failed" in row for row in table_rows(s)),
        "only failed actions",
    )
    assert "✖" in filtered

    console.keys("Escape", "Enter")
    # Wait for the status row too: on a loaded machine a frame can show the ref
    # before the rows under it are painted.
    detail = console.wait_for(
        lambda s: (
            DETAIL_REF.search(s) is not None and re.search(r"status\s+[✔✖●…⊘?] ", s) is not None
        ),
        "the detail pane",
    )
    assert re.search(r"status\s+✖ failed", detail)

    console.type("?")
    console.wait_for(lambda s: "Keys and search" in s and "Everywhere" in s, "the help screen")
    console.keys("Escape")
    console.type("q")
    console.wait_for(lambda _: console.dead(), "the console to exit", timeout=15)


@pytest.mark.skipif(not os.access(ACTIONDECK, os.X_OK), reason="actiondeck is not installed")
def test_the_console_refuses_to_run_without_a_terminal(sim_config: Path) -> None:
    done = subprocess.run(
        [str(ACTIONDECK), "--config", str(sim_config)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **SIM_ENV},
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2 and "needs a terminal" in done.stderr


def test_a_watched_action_that_ends_is_listed_in_the_notifications_log(console: Terminal) -> None:
    console.wait_for(lambda s: " of " in s and len(table_rows(s)) >= 5, "the action list")
    console.type("/")
    console.type("status:running")
    console.wait_for(
        lambda s: len(table_rows(s)) >= 3 and all("running" in r for r in table_rows(s)),
        "running actions",
    )
    console.keys("Escape")
    for _ in range(5):  # watch the newest few running actions: one of them ends soon
        console.keys("w", "j")
    ended = console.wait_for(
        lambda s: "✔ completed: " in s or "✖ failed: " in s or "⊘ cancelled: " in s,
        "a watched action's end",
        timeout=150,
    )
    assert "★" in ended or "✔" in ended or "✖" in ended
    console.keys("n")
    log = console.wait_for(lambda s: "Notifications (" in s, "the notifications log")
    entry = re.search(r"\d\d:\d\d:\d\d  (✔ completed|✖ failed|⊘ cancelled): \S+", log)
    assert entry is not None, log
    console.keys("Enter")
    console.wait_for(lambda s: "Notifications (" not in s, "the log to close")


def test_a_failed_nova_action_shows_its_error_on_top_and_copies_it(console: Terminal) -> None:
    """Failed Nova action → traceback with the error summed up first → ``c`` → tmux's buffer."""
    tmux(console.socket, "set-option", "-g", "set-clipboard", "on")  # take OSC 52 into a buffer
    console.wait_for(lambda s: " of " in s and len(table_rows(s)) >= 5, "the action list")
    console.type("/")
    console.type("status:failed backend:openstack")
    console.wait_for(
        lambda s: bool(table_rows(s)) and all("failed" in row for row in table_rows(s)),
        "only failed OpenStack actions",
    )
    console.keys("Escape", "Enter")
    console.wait_for(lambda s: "t: view traceback" in s, "a failed event with a traceback")

    console.type("t")
    shown = console.wait_for(lambda s: "innermost" in s, "the traceback viewer")
    lines = shown.splitlines()
    summary_at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("event "))
    frame_at = next(i for i, line in enumerate(lines) if 'File "' in line)
    assert summary_at < frame_at  # the error comes first, then the frames
    summary = "\n".join(lines[summary_at:frame_at])
    # The summary wraps: "host" may end one line and its name start the next.
    assert "✖ Error" in lines[summary_at] and re.search(r"\bhost\s+\S", summary), summary

    console.type("c")
    console.wait_for(lambda s: "Copied traceback of" in s, "the copy toast")
    buffer = tmux(console.socket, "show-buffer")
    assert buffer.startswith("action    ") and "\nevent     " in buffer
    assert "\nresult    Error\n" in buffer and "\ninnermost " in buffer
    assert '\n\n  File "/usr/lib/python3/dist-packages/nova/' in buffer
    assert "\x1b" not in buffer
    console.keys("Escape")
    console.type("q")
    console.wait_for(lambda _: console.dead(), "the console to exit", timeout=15)
