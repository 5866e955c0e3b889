"""The command line imports what its command needs and nothing more.

Each test runs real commands against the simulator in a fresh interpreter and
then reads ``sys.modules``: a Seeweb-only ``list``/``show``/``wait`` loads no
Textual, Rich, keystoneauth1, openstacksdk or requests; an OpenStack backend
without a ``cloud`` loads keystoneauth1 but not openstacksdk's config loader,
and no httpx (Nova is reached through keystoneauth1's own HTTP stack);
``--version`` and ``--help`` load neither pydantic nor the config.
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

_RUN_COMMANDS = """\
import contextlib, io, json, sys
from tui.cli.main import main

config = sys.argv[1]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    codes = [main(["--config", config, "list", "--json"])]
actions = json.loads(out.getvalue())
done = next(a["ref"] for a in actions if a["status"] == "completed")
with contextlib.redirect_stdout(io.StringIO()):
    codes.append(main(["--config", config, "show", actions[0]["ref"], "--json"]))
    codes.append(main(["--config", config, "wait", done, "--timeout", "10"]))
loaded = sorted(name for name, module in sys.modules.items() if module)
print(json.dumps({"codes": codes, "actions": len(actions), "modules": loaded}))
"""


def _run(code: str, *args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def _loaded(modules: object, *roots: str) -> list[str]:
    """The modules of ``modules`` under any of ``roots`` (a package and its submodules)."""
    assert isinstance(modules, list)
    return [m for m in modules if any(m == r or m.startswith(f"{r}.") for r in roots)]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_seeweb_commands_load_no_console_and_no_openstack_library(
    sim: Simulator, tmp_path: Path
) -> None:
    config = _write(
        tmp_path / "seeweb.toml",
        f'[[backends]]\nname = "s"\ntype = "seeweb"\nurl = "{sim.seeweb_url}"\ntoken_env = "TOK"\n',
    )
    result = _run(_RUN_COMMANDS, str(config), env={"TOK": sim.credentials.seeweb_token})
    assert result["codes"] == [0, 0, 0]
    assert isinstance(result["actions"], int) and result["actions"] > 0
    heavy = ("textual", "rich", "keystoneauth1", "openstack", "requests", "stevedore")
    assert _loaded(result["modules"], *heavy) == []
    # The other families' settings are not even built.
    others = ("tui.backends.openstack", "tui.backends.redis_enterprise")
    assert _loaded(result["modules"], *others) == []


def test_an_openstack_backend_without_a_cloud_loads_no_openstacksdk(
    sim: Simulator, tmp_path: Path
) -> None:
    creds = sim.credentials
    config = _write(
        tmp_path / "nova.toml",
        nova_toml(sim, "PW"),
    )
    result = _run(_RUN_COMMANDS, str(config), env={"PW": creds.os_password})
    assert result["codes"] == [0, 0, 0]
    assert _loaded(result["modules"], "keystoneauth1")  # it did authenticate
    assert _loaded(result["modules"], "openstack", "textual", "rich", "yaml") == []
    assert _loaded(result["modules"], "tui.backends.seeweb", "tui.console") == []
    # One HTTP stack: keystoneauth1's requests carries Nova's requests too.
    assert _loaded(result["modules"], "httpx", "httpcore", "anyio", "h11") == []


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_load_nothing_of_the_program(flag: str) -> None:
    code = (
        "import contextlib, io, json, sys\n"
        "from tui.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n"
        f"        main([{flag!r}])\n"
        "    except SystemExit as exit:\n"
        "        code = exit.code\n"
        "loaded = sorted(name for name, module in sys.modules.items() if module)\n"
        "print(json.dumps({'code': code, 'out': out.getvalue(), 'modules': loaded}))\n"
    )
    result = _run(code)
    assert result["code"] == 0 and "actiondeck" in str(result["out"])
    heavy = ("pydantic", "httpx", "asyncio", "tui.config", "tui.backends", "tui.model")
    assert _loaded(result["modules"], *heavy) == []


def test_the_registry_imports_a_family_only_when_its_type_is_looked_up() -> None:
    code = (
        "import json, sys\n"
        "from tui.backends import REGISTRY, capabilities_of\n"
        "before = (list(REGISTRY), 'seeweb' in REGISTRY, REGISTRY.loaded())\n"
        "capabilities_of('seeweb')\n"
        "families = sorted(m for m in sys.modules if m.count('.') == 2 and '.backends.' in m)\n"
        "print(json.dumps({'before': before, 'after': REGISTRY.loaded(), 'modules': families}))\n"
    )
    result = _run(code)
    assert result["before"] == [["seeweb", "openstack", "redis-enterprise"], True, []]
    assert result["after"] == ["seeweb"]
    assert "tui.backends.seeweb" in str(result["modules"])
    assert _loaded(result["modules"], "tui.backends.openstack") == []


def test_the_built_in_themes_load_without_pydantic() -> None:
    """The console's built-in themes are read as they are: no validator, no pydantic.

    A user's theme file is validated (and loads pydantic) when there is one.
    """
    code = (
        "import json, sys, tempfile\n"
        "from pathlib import Path\n"
        "from tui.console.themes import load_themes\n"
        "builtins = load_themes(None)\n"
        "before = sorted(m for m in sys.modules if m.startswith('pydantic'))\n"
        "user = Path(tempfile.mkdtemp())\n"
        "(user / 'mine.toml').write_text('name = \"mine\"\\nprimary = \"#336699\"\\n')\n"
        "mine = load_themes(user)\n"
        "print(json.dumps({'names': [t.name for t in builtins.loaded],\n"
        "    'failed': len(builtins.failed), 'before': before,\n"
        "    'mine': [t.name for t in mine.loaded],\n"
        "    'after': 'pydantic' in sys.modules}))\n"
    )
    result = _run(code)
    assert result["failed"] == 0 and len(result["names"]) == 3  # type: ignore[arg-type]
    assert result["before"] == []
    assert "mine" in result["mine"]  # type: ignore[operator]
    assert result["after"] is True


def test_the_demo_builds_its_backends_without_pydantic() -> None:
    """The demo's config and backends are plain classes, made without validating anything.

    Importing pydantic and building the config's models used to cost the
    console's first rows a sixth of the start's CPU.
    """
    code = (
        "import json, sys\n"
        "from tui.connect import build_backends\n"
        "from tui.embedded import DEMO_STUCK, simulator_config\n"
        "from tui.sim.child import Endpoints\n"
        "from tui.sim.credentials import SimCredentials\n"
        "creds = SimCredentials(*[f'demo-{n}' for n in range(9)])\n"
        "where = Endpoints('http://127.0.0.1:9', 'http://127.0.0.1:9/v3', 'https://127.0.0.1:9',"
        " creds)\n"
        "backends = build_backends(simulator_config(where, stuck=DEMO_STUCK))\n"
        "print(json.dumps({'names': [b.name for b in backends],\n"
        "    'pydantic': sorted(m for m in sys.modules if m.startswith('pydantic'))}))\n"
    )
    result = _run(code)
    assert result["names"] == ["seeweb", "openstack", "redis"]
    assert result["pydantic"] == []


def test_a_console_without_a_journal_loads_none_of_it(tmp_path: Path) -> None:
    """The demo keeps no journal: sqlite3 and the journal's modules stay unloaded.

    A console that keeps one loads them when it opens it.
    """
    code = (
        "import json, sys\n"
        "from datetime import UTC, datetime\n"
        "from pathlib import Path\n"
        "from tui.config import HistoryConfig\n"
        "from tui.console.history import ConsoleHistory\n"
        "now = lambda: datetime.now(UTC)\n"
        "demo = ConsoleHistory.open(HistoryConfig(), now=now, demo=True)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('tui.journal') or m == 'sqlite3')\n"
        "kept = ConsoleHistory.open(HistoryConfig(path=Path(sys.argv[1])), now=now, demo=True)\n"
        "kept.close()\n"
        "print(json.dumps({'demo': demo.journal is None, 'loaded': loaded,\n"
        "    'kept': kept.journal is not None, 'after': 'sqlite3' in sys.modules}))\n"
    )
    result = _run(code, str(tmp_path / "journal.sqlite3"))
    assert result["demo"] is True and result["kept"] is True
    assert result["loaded"] == ["tui.journal", "tui.journal.since"]
    assert result["after"] is True


def test_every_name_of_the_journal_package_loads_on_first_use() -> None:
    import tui.journal

    for name in tui.journal.__all__:
        assert getattr(tui.journal, name) is not None
    with pytest.raises(AttributeError):
        _ = tui.journal.no_such_name
