"""Project-level rules: CI runs the README's test command; the core never loads the UI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)[:2]


def test_readme_opens_with_the_run_and_test_commands() -> None:
    run, test = _readme_commands()
    assert run.endswith("actiondeck") and "pip install" in run
    assert "[test]" in test and "pytest" in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    _, test = _readme_commands()
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci_lines


# Which modules may import what is held by the import-linter contracts in
# pyproject.toml (tests/unit/test_static_checks.py runs them). They read the
# source; this test runs it: importing the headless entry points loads no Textual
# and no Rich (httpx would load Rich for its own command line; tui/__init__.py
# keeps that out).
HEADLESS_ENTRY_POINTS = [
    "tui.backends",
    "tui.poller",
    "tui.store",
    "tui.cli.main",
    "tui.sim",
    "tui.exporter.run",
]


def test_headless_entry_points_load_no_textual() -> None:
    code = (
        f"import sys, {', '.join(HEADLESS_ENTRY_POINTS)}\n"
        "ui = ('textual', 'rich')\n"
        "print(','.join(sorted(m for m, v in sys.modules.items() if v and m.split('.')[0] in ui)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
