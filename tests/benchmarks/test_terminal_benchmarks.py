"""Whole-process figures: ``actiondeck --demo-actions N`` in a real terminal (tmux).

From starting the process until its list shows rows on the terminal, and until
every action is loaded (the footer no longer says "loaded"), read with
``capture-pane`` every 20 ms; beside the floor, a bare Textual app painting a
few lines, in the same run. Skipped where tmux is missing; the 1,000,000 cases
run only with ``ACTIONDECK_BENCH_1M=1`` (they take minutes).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.test_console_tmux import ACTIONDECK, TMUX, Terminal, table_rows
from tests.helpers.bench import report

BIG = [1_000_000] if os.environ.get("ACTIONDECK_BENCH_1M") else []
SIZE = (160, 45)
_TOTAL = re.compile(r"of ([\d,]+)")


def _time_until(
    terminal: Terminal, started: float, done: Callable[[str], bool], limit: float
) -> float:
    deadline = started + limit
    while time.perf_counter() < deadline:
        if done(terminal.screen()):
            return time.perf_counter() - started
        time.sleep(0.02)
    return float("inf")


def _all_loaded(screen: str) -> bool:
    footer = [line for line in screen.splitlines() if _TOTAL.search(line)]
    return bool(footer) and "loaded" not in footer[-1]


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_floor_bare_textual_app() -> None:
    started = time.perf_counter()
    script = Path(__file__).with_name("bare_app.py")
    terminal = Terminal([sys.executable, str(script)], {"TERM": "xterm-256color"}, SIZE)
    try:
        painted = _time_until(terminal, started, lambda s: "seeweb row 4" in s, 30)
    finally:
        terminal.close()
    report("floor: bare Textual app, first paint in a terminal", (painted,) * 3)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.parametrize("actions", [1_000, 100_000, *BIG])
def test_first_rows_and_all_loaded_in_a_terminal(actions: int) -> None:
    started = time.perf_counter()
    command = [str(ACTIONDECK), "--demo-actions", str(actions)]
    terminal = Terminal(command, {"TERM": "xterm-256color"}, SIZE)
    try:
        painted = _time_until(terminal, started, lambda s: len(table_rows(s)) >= 5, 120)
        loaded = _time_until(terminal, started, _all_loaded, 120 if actions <= 100_000 else 1800)
    finally:
        terminal.close()
    report(f"terminal first rows, --demo-actions {actions}", (painted,) * 3)
    report(f"terminal all loaded, --demo-actions {actions}", (loaded,) * 3)
