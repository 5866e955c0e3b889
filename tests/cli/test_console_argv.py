"""The console's command line is read without the sub-commands' parsers, to the same result.

Building every sub-command's parser (and its help) is most of parsing; the
console's start does not need them. Each command line here is parsed both
ways; the console's own are read without the whole parser being built.
"""

from __future__ import annotations

import argparse

import pytest

from tui.cli import main as cli

CONSOLE_STARTS = [
    [],
    ["--demo-actions", "100000"],
    ["--demo-actions=1000", "--seed", "7"],
    ["--demo-servers", "20", "--demo-actions", "5", "--theme", "nord"],
    ["--config", "list"],
    ["--config=/tmp/a b.toml", "--theme", "textual-dark"],
    ["--demo-actions", "3", "--demo-actions", "4"],
    ["--seed=-1"],
    ["--config="],
]
OTHERS = [
    ["list", "--json"],
    ["--config", "x.toml", "show", "seeweb:1"],
    ["--demo-a", "5"],
    ["--seed", "-1"],
    ["--demo-actions", "5", "list"],
    ["sim", "--actions", "10"],
]


def _whole(argv: list[str]) -> argparse.Namespace:
    return cli.build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", CONSOLE_STARTS + OTHERS)
def test_both_ways_read_the_same(argv: list[str]) -> None:
    assert cli.parse_args(argv) == _whole(argv)


@pytest.mark.parametrize("argv", CONSOLE_STARTS)
def test_the_console_start_builds_no_sub_command_parser(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []
    whole = cli.build_parser

    def counted() -> argparse.ArgumentParser:
        built.append(1)
        return whole()

    monkeypatch.setattr(cli, "build_parser", counted)
    cli.parse_args(argv)
    assert built == []


@pytest.mark.parametrize(
    "argv", [["--demo-actions", "x"], ["--demo-actions"], ["--seed", "1.5"], ["--bogus", "1"]]
)
def test_a_bad_console_line_gets_the_whole_parsers_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as light:
        cli.parse_args(argv)
    said = capsys.readouterr().err
    with pytest.raises(SystemExit) as whole:
        _whole(argv)
    assert (light.value.code, said) == (whole.value.code, capsys.readouterr().err)
    assert said.startswith("actiondeck: ") and light.value.code == 2
