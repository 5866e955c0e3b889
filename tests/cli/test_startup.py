"""The short commands start lightly in their own process, and leave it as it was.

Each case runs a real ``list --json`` against the simulator in a fresh
interpreter, as the program (``main()`` reading ``sys.argv``) or as a caller
with its own arguments, then reports what start-up left behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.config import nova_toml
from tui.sim import Simulator

ROOT = Path(__file__).resolve().parents[2]

_REPORT = """\
import contextlib, gc, io, json, os, sys
from tui.cli.main import main

argv = ["--config", sys.argv[1], "list", "--json"]
with contextlib.redirect_stdout(io.StringIO()) as out:
    if sys.argv[2] == "program":
        sys.argv = ["actiondeck", *argv]
        code = main()
    else:
        code = main(argv)
import pydantic.plugin._loader as plugins
hidden = "charset_normalizer" not in sys.modules
import charset_normalizer  # importable again, whatever start-up did
print(json.dumps({
    "code": code,
    "actions": len(json.loads(out.getvalue())),
    "collecting": gc.isenabled(),
    "frozen": gc.get_freeze_count(),
    "plugins_env": os.environ.get("PYDANTIC_DISABLE_PLUGINS"),
    "scanned": plugins._plugins is not None,
    "detector_hidden": hidden,
}))
"""


def _report(config: Path, how: str, env: dict[str, str]) -> dict[str, object]:
    """Run ``list --json`` ``how`` (``program`` or ``caller``) with ``env`` added."""
    inherited = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run(
        [sys.executable, "-W", "error::Warning:requests", "-c", _REPORT, str(config), how],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**inherited, **env},
        timeout=60,
    )
    assert done.stderr == ""
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.fixture
def nova_config(sim: Simulator, tmp_path: Path) -> Path:
    path = tmp_path / "nova.toml"
    path.write_text(
        nova_toml(sim, "PW"),
        encoding="utf-8",
    )
    return path


def test_the_program_starts_lightly_and_restores_what_it_changed(
    sim: Simulator, nova_config: Path
) -> None:
    result = _report(nova_config, "program", {"PW": sim.credentials.os_password})
    assert result["code"] == 0 and isinstance(result["actions"], int) and result["actions"] > 0
    # Start-up's objects were frozen, and the collector runs again.
    assert result["collecting"] is True
    assert isinstance(result["frozen"], int) and result["frozen"] > 10_000
    # No plugin scan, and the variable is gone again (a secret command never sees it).
    assert result["scanned"] is False and result["plugins_env"] is None
    # requests started without its detector (and warned of nothing).
    assert result["detector_hidden"] is True


def test_a_users_plugin_setting_is_kept(sim: Simulator, nova_config: Path) -> None:
    env = {"PW": sim.credentials.os_password, "PYDANTIC_DISABLE_PLUGINS": "some_plugin"}
    result = _report(nova_config, "program", env)
    assert result["code"] == 0
    assert result["plugins_env"] == "some_plugin" and result["scanned"] is True


def test_a_caller_with_its_own_arguments_keeps_its_process_as_it_is(
    sim: Simulator, nova_config: Path
) -> None:
    result = _report(nova_config, "caller", {"PW": sim.credentials.os_password})
    assert result["code"] == 0
    assert result["collecting"] is True and result["frozen"] == 0
    assert result["scanned"] is True and result["detector_hidden"] is False


_CONSOLE = """\
import gc, json, os, sys
import tui.console.app as console

seen = {}

def run_app(config, *, started=None, **options):
    seen["during"] = [gc.isenabled(), os.environ.get("PYDANTIC_DISABLE_PLUGINS")]
    started()
    seen["after"] = [gc.isenabled(), os.environ.get("PYDANTIC_DISABLE_PLUGINS")]
    return 0

console.run_app = run_app
from tui.cli.main import main

sys.argv = ["actiondeck", "--demo-actions", "20"]
code = main()
print(json.dumps({"code": code, **seen, "frozen": gc.get_freeze_count()}))
"""


def test_the_console_starts_lightly_until_its_first_rows() -> None:
    inherited = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run(
        [sys.executable, "-c", _CONSOLE],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**inherited, "ACTIONDECK_FORCE_TUI": "1"},
        timeout=60,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["code"] == 0
    assert result["during"] == [False, "__all__"]  # no collection, no plugin scan
    assert result["after"] == [True, None]  # the console's `started` ended it
    assert result["frozen"] > 10_000
