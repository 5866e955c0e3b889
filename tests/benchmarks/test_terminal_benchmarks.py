"""Whole-process figure: ``actiondeck --demo-actions 100000`` in a real terminal (tmux).

From starting the process until its list shows rows on the terminal, read with
``capture-pane`` every 20 ms. Skipped where tmux is missing.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.test_console_tmux import ACTIONDECK, TMUX, Terminal, table_rows
from tests.helpers.bench import report


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.parametrize("actions", [1_000, 100_000])
def test_first_paint_in_a_terminal(actions: int) -> None:
    started = time.perf_counter()
    terminal = Terminal(
        [str(ACTIONDECK), "--demo-actions", str(actions)], {"TERM": "xterm-256color"}, (120, 36)
    )
    try:
        deadline = started + 60
        while time.perf_counter() < deadline and len(table_rows(terminal.screen())) < 5:
            time.sleep(0.02)
        painted = time.perf_counter() - started
    finally:
        terminal.close()
    report(f"terminal first paint, --demo-actions {actions}", (painted,) * 3)
