"""End to end: the installed console in tmux against hostile servers writes nothing of theirs.

The simulator runs in the test with ``hostile_text`` on for every API; the
console runs in a private tmux server whose pane output is recorded with
``pipe-pane`` (the exact bytes the program wrote to its terminal) and whose
clipboard is on, so an OSC 52 write would land in a paste buffer.
Skipped where tmux is missing.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.test_console_tmux import ACTIONDECK, TMUX, Terminal, tmux
from tui.embedded import config_toml
from tui.sim import Simulator

pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(not os.access(ACTIONDECK, os.X_OK), reason="actiondeck is not installed"),
]

FORBIDDEN = {
    "screen clear": b"\x1b[2J",
    "OSC 0 window title": b"\x1b]0;pwned",
    "OSC 52 clipboard write": b"\x1b]52;c;cHduZWQ=",
    "one-byte CSI": "\x9b".encode(),
    "NUL": b"\x00",
    "DEL": b"\x7f",
    "right-to-left override": "\u202e".encode(),
    "left-to-right isolate": "\u2066".encode(),
    "zero-width space": "\u200b".encode(),
}


def shows(pattern: str) -> Callable[[str], bool]:
    """A screen condition: ``pattern`` appears somewhere on it."""
    found = re.compile(pattern)
    return lambda screen: found.search(screen) is not None


@pytest.fixture
def hostile_console(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    """The console watching a hostile simulator in tmux, and the file its output goes to."""
    with Simulator(seed=3) as sim:
        for server in sim.servers:
            server.faults.update(hostile_text=True)
        config = tmp_path / "hostile.toml"
        config.write_text(config_toml(sim), encoding="utf-8")
        creds = sim.credentials
        home = tmp_path / "home"
        env = {
            "SIM_SEEWEB_TOKEN": creds.seeweb_token,
            "SIM_OS_PASSWORD": creds.os_password,
            "SIM_REDIS_PASSWORD": creds.redis_password,
            "TERM": "xterm-256color",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
        }
        # The pause lets pipe-pane start before the console writes its first byte.
        command = ["sleep", "1;", "exec", str(ACTIONDECK), "--config", str(config)]
        terminal = Terminal(command, env, (140, 40))
        output = tmp_path / "pane.bytes"
        try:
            tmux(terminal.socket, "set-option", "-g", "set-clipboard", "on")
            tmux(terminal.socket, "pipe-pane", "-o", "-t", terminal.name, f"cat >> {output}")
            yield terminal, output
        finally:
            terminal.close()


def test_hostile_servers_reach_neither_the_terminal_nor_the_clipboard(
    hostile_console: tuple[Terminal, Path],
) -> None:
    console, output = hostile_console
    console.wait_for(lambda s: " of " in s and "[bold]x[/bold]" in s, "the hostile list", 60)
    # Each step waits for the screen to show the last one: this test is about what
    # hostile text can reach, not about keys typed ahead of the screen.
    for backend in ("seeweb", "openstack", "redis"):
        console.type("/")
        console.keys("End", "C-u")  # clear the previous filter
        console.type(f"backend:{backend}")
        console.wait_for(shows(rf"backend:{backend}\b"), f"the {backend} filter typed")
        console.keys("Escape", "Enter")
        console.wait_for(shows(rf"\bref\s+{backend}:"), f"a {backend} detail")
        console.keys("v")
        console.wait_for(lambda s: "Raw JSON, as sent" in s, "the raw JSON")
        console.keys("v")
        console.wait_for(lambda s: "Raw JSON, as sent" not in s, "the raw JSON closed")
        console.keys("Escape")
    console.type("q")
    console.wait_for(lambda _: console.dead(), "the console to exit", timeout=15)
    time.sleep(0.5)  # let pipe-pane flush

    written = output.read_bytes()
    assert len(written) > 10_000 and "␛]52;c;cHduZWQ=␇".encode() in written
    found = [name for name, payload in FORBIDDEN.items() if payload in written]
    assert found == [], f"server text reached the terminal: {found}"
    buffers = tmux(console.socket, "list-buffers", "-F", "#{buffer_sample}")
    assert "pwned" not in buffers and buffers.strip() == ""
