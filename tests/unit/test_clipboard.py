"""OSC 52 sequences: plain, and wrapped for tmux's passthrough."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from tui.console.clipboard import clipboard_sequence, copy_text, in_tmux, osc52, tmux_passthrough


class _App:
    """Stands in for Textual's App.copy_to_clipboard (which writes plain OSC 52)."""

    def __init__(self) -> None:
        self.copied: list[str] = []

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)


class _Terminal:
    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)


def test_osc52_carries_base64_of_utf8_and_ends_with_bel() -> None:
    assert osc52("héllo") == "\x1b]52;c;" + base64.b64encode("héllo".encode()).decode() + "\x07"


def test_tmux_passthrough_doubles_inner_escapes() -> None:
    wrapped = tmux_passthrough("\x1b]52;c;aGk=\x07")

    assert wrapped == "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"


def test_clipboard_sequence_wraps_only_for_tmux() -> None:
    assert clipboard_sequence("hi", tmux=False) == osc52("hi")
    assert clipboard_sequence("hi", tmux=True) == tmux_passthrough(osc52("hi"))


def test_in_tmux_reads_the_given_environment() -> None:
    assert in_tmux({"TMUX": "/tmp/tmux-0/default,1,0"})
    assert not in_tmux({"TMUX": ""})
    assert not in_tmux({})


def test_copy_outside_tmux_uses_only_textuals_sequence() -> None:
    app, terminal = _App(), _Terminal()

    copy_text(app, "trace", writer=terminal, environ={})

    assert app.copied == ["trace"]
    assert terminal.written == []


def test_copy_inside_tmux_also_sends_the_passthrough_sequence() -> None:
    app, terminal = _App(), _Terminal()

    copy_text(app, "trace", writer=terminal, environ={"TMUX": "/tmp/tmux-0/default,1,0"})

    assert app.copied == ["trace"]
    assert terminal.written == [tmux_passthrough(osc52("trace"))]


@given(st.text())
def test_payload_never_contains_a_terminator(text: str) -> None:
    payload = osc52(text)[len("\x1b]52;c;") : -1]

    assert "\x07" not in payload
    assert "\x1b" not in payload
    assert base64.b64decode(payload).decode("utf-8") == text
