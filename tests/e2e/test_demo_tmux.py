"""End to end: ``actiondeck --demo-actions N`` in a real terminal (tmux).

The demo's simulator runs in a child process of the console: the console
shows its rows, and quitting ends both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_console_tmux import ACTIONDECK, TMUX, Terminal, table_rows, tmux

pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc"),
]


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_the_demo_shows_rows_and_quitting_ends_its_simulator(tmp_path: Path) -> None:
    env = {"TERM": "xterm-256color", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    terminal = Terminal([str(ACTIONDECK), "--demo-actions", "5000"], env, (120, 36))
    try:
        screen = terminal.wait_for(lambda s: len(table_rows(s)) >= 5, "the demo's rows")
        assert "Demo mode" in screen
        pane = int(
            tmux(terminal.socket, "display-message", "-p", "-t", terminal.name, "#{pane_pid}")
        )
        simulators = _children(pane)
        assert simulators, "the demo's simulator runs in a child process"
        terminal.type("q")
        terminal.wait_for(lambda s: terminal.dead(), "the console to exit", timeout=15)
        assert not any(_alive(pid) for pid in simulators)
    finally:
        terminal.close()
