"""Which terminals get OSC 9 / OSC 777, the bytes of each, and the tmux wrapper."""

from __future__ import annotations

import pytest

from tui.console.terminal_alerts import auto_channel, choose_channel, notification


@pytest.mark.parametrize(
    ("env", "channel"),
    [
        ({"TERM_PROGRAM": "iTerm.app", "TERM": "xterm-256color"}, "osc9"),
        ({"TERM_PROGRAM": "WezTerm"}, "osc9"),
        ({"TERM_PROGRAM": "ghostty", "TERM": "xterm-ghostty"}, "osc777"),
        ({"TERM": "foot"}, "osc777"),
        ({"TERM": "rxvt-unicode-256color"}, "osc777"),
        ({"TERM_PROGRAM": "Apple_Terminal", "TERM": "xterm-256color"}, "off"),
        ({"TERM": "linux"}, "off"),
        ({"TERM": "dumb"}, "off"),
        ({}, "off"),
        ({"TERM_PROGRAM": "tmux", "TMUX": "/tmp/t,1,0", "LC_TERMINAL": "iTerm2"}, "osc9"),
        ({"TERM_PROGRAM": "tmux", "TMUX": "/tmp/t,1,0", "TERM": "screen-256color"}, "off"),
    ],
)
def test_auto_picks_only_terminals_known_to_take_the_sequence(
    env: dict[str, str], channel: str
) -> None:
    assert auto_channel(env) == channel


def test_explicit_modes_win_and_auto_falls_back_to_the_bell_only_when_asked() -> None:
    unknown = {"TERM": "xterm-256color"}
    assert choose_channel("auto", unknown) == "off"
    assert choose_channel("auto", unknown, bell=True) == "bell"
    assert choose_channel("auto", {"TERM_PROGRAM": "iTerm.app"}, bell=True) == "osc9"
    for mode in ("osc9", "osc777", "bell", "off"):
        assert choose_channel(mode, unknown) == mode


def test_sequences_and_their_neutralised_fields() -> None:
    assert notification("osc9", "ActionDeck", "done") == "\x1b]9;ActionDeck: done\a"
    assert notification("osc777", "Action;Deck", "a;b") == "\x1b]777;notify;Action,Deck;a,b\a"
    assert notification("bell", "t", "b") == "\a"
    assert notification("off", "t", "b") == ""
    hostile = notification("osc9", "t", "x\x1b]52;c;aGk=\x07\x9b2J")
    assert hostile.count("\x1b") == 1 and hostile.count("\a") == 1 and "\x9b" not in hostile
    long = notification("osc777", "t", "x" * 10_000)
    assert len(long) < 400


def test_tmux_passthrough_doubles_every_escape() -> None:
    wrapped = notification("osc777", "t", "b", tmux=True)
    assert wrapped == "\x1bPtmux;\x1b\x1b]777;notify;t;b\a\x1b\\"
