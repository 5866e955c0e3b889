"""Help text and shell completion of the installed ``actiondeck``."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli import ACTIONDECK, run
from tui.cli.main import build_parser

COMMANDS = ("list", "show", "wait", "watch", "sim", "config", "completion")


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _parsers(sub)
    return found


def test_every_option_of_every_command_has_a_help_text() -> None:
    missing = [
        f"{parser.prog} {action.option_strings or action.dest}"
        for parser in _parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction)
        and (not action.help or action.help == argparse.SUPPRESS)
    ]
    assert missing == []


def test_top_help_is_plain_text_and_ends_with_the_exit_codes() -> None:
    done = run("--help")
    assert done.returncode == 0
    assert "`" not in done.stdout and "``" not in done.stdout
    tail = done.stdout[done.stdout.index("exit codes:") :].splitlines()
    codes = [line.split()[0] for line in tail[1:]]
    assert codes == ["0", "1", "2", "3", "4", "5", "70"]
    assert all(command in done.stdout for command in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_ends_with_examples(command: str) -> None:
    done = run(command, "--help")
    assert done.returncode == 0 and "`" not in done.stdout
    examples = done.stdout[done.stdout.rindex("examples:") :].splitlines()[1:]
    assert examples and all(line.startswith("  actiondeck ") or "curl" in line for line in examples)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_for_each_shell(shell: str) -> None:
    done = run("completion", shell)
    assert done.returncode == 0 and "actiondeck" in done.stdout and "_ARGCOMPLETE" in done.stdout


def _complete(line: str, config: Path | None = None) -> list[str]:
    """What bash offers for ``line`` with the script ``completion bash`` printed."""
    env_config = f"export ACTIONDECK_CONFIG='{config}';" if config else ""
    script = f"""
{env_config}
export PATH='{ACTIONDECK.parent}':"$PATH"
source <(actiondeck completion bash)
COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}
read -ra COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))
_python_argcomplete actiondeck "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [word.strip() for word in done.stdout.splitlines() if word.strip()]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_flags_formats_statuses_and_backends(tmp_path: Path) -> None:
    assert set(COMMANDS) <= set(_complete("actiondeck "))
    assert {"--format", "--fields", "--no-headers", "--backend"} <= set(
        _complete("actiondeck list --")
    )
    assert _complete("actiondeck list --format ") == ["table", "json", "ndjson", "csv", "tsv"]
    assert _complete("actiondeck watch --status f") == ["failed"]
    assert {"bash", "zsh", "fish"} <= set(_complete("actiondeck completion "))
    config = tmp_path / "mine.toml"
    config.write_text(
        '[[backends]]\nname = "prod-eu"\ntype = "seeweb"\ntoken_env = "T"\n'
        '[[backends]]\nname = "prod-us"\ntype = "seeweb"\ntoken_env = "T"\n',
        encoding="utf-8",
    )
    assert _complete("actiondeck list --backend prod", config) == ["prod-eu", "prod-us"]
    # No config: the embedded simulator's backends.
    assert _complete("actiondeck list --backend ", tmp_path / "none.toml") == [
        "seeweb", "openstack", "redis",
    ]  # fmt: skip


def test_help_loads_no_completion_library_and_no_formats() -> None:
    code = (
        "import contextlib, io, sys\n"
        "from tui.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(['list', '--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(done.stdout.split())
    assert {"argcomplete", "tui.cli.formats", "tui.cli.completion", "csv"}.isdisjoint(loaded)
