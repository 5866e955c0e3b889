"""Project-level rules: CI runs the README's test command; the core never imports the UI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

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


CORE_MODULES = [
    "tui.model",
    "tui.store",
    "tui.search",
    "tui.poller",
    "tui.config",
    "tui.connect",
    "tui.cli",
    "tui.cli_commands",
    "tui.cli_format",
    "tui.embedded",
    "tui.sim",
    "tui.backends.base",
    "tui.backends.seeweb",
    "tui.backends.redis_enterprise",
    "tui.backends.openstack",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_modules_do_not_import_textual_or_rich(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_backends_do_not_import_each_other_or_the_config() -> None:
    backends = ROOT / "tui" / "backends"
    for path in backends.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "tui.config" not in text, path
        for other in ("seeweb", "redis_enterprise", "openstack"):
            if not path.stem.startswith(other):
                assert f"tui.backends.{other}" not in text, (path, other)
