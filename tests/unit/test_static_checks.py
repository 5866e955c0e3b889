"""The static checks run as tests, so the README's test command fails when they do.

mypy (strict, configured in pyproject.toml) types ``tui/`` and ``tests/``; the
import-linter contracts hold the layers; ruff holds the style. Each check runs
the tool as a program from the project root, the way a developer would, and is
skipped with a reason when the tool is not installed (it comes with the
``test`` extra). They must not change a file.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL_TIMEOUT = 300  # a cold mypy run on two busy cores takes about a minute


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT,
        env=env,
        check=False,
    )


def _run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m module args`` in the project root; skip if it is not installed."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install '.[test]')")
    return _run([sys.executable, "-m", module, *args])


def _run_script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the console script ``name`` installed beside this Python; skip if there is none."""
    script = shutil.which(name, path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip(f"{name} is not installed (pip install '.[test]')")
    return _run([script, *args])


def _report(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n{done.stdout}{done.stderr}"


def test_mypy_strict_passes_on_the_package_and_the_tests() -> None:
    done = _run_module("mypy")  # files, strictness and overrides come from pyproject.toml
    assert done.returncode == 0, _report(done)
    assert "Success: no issues found" in done.stdout


def test_import_contracts_are_kept() -> None:
    done = _run_script("lint-imports", "--no-cache")
    assert done.returncode == 0, _report(done)
    assert re.search(r"Contracts: [1-9]\d* kept, 0 broken", done.stdout), _report(done)


def test_ruff_finds_nothing_to_change() -> None:
    lint = _run_module("ruff", "check", "--no-cache", ".")
    assert lint.returncode == 0, _report(lint)
    style = _run_module("ruff", "format", "--check", "--no-cache", ".")
    assert style.returncode == 0, _report(style)


def test_no_test_module_imports_from_a_conftest() -> None:
    """Helpers live in plain modules (``tests/helpers/``); conftest files hold only fixtures."""
    importing = re.compile(r"^\s*(from\s+\S*conftest\s+import|import\s+\S*conftest)", re.M)
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if importing.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
