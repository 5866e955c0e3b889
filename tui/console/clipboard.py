"""Copy text to the user's clipboard through the terminal (OSC 52), also inside tmux.

Works over SSH because the terminal, not the remote machine, owns the
clipboard. Textual's ``App.copy_to_clipboard`` already writes a plain OSC 52
sequence (and remembers the text in ``App.clipboard``); inside tmux that
sequence only reaches the outer terminal when tmux's ``set-clipboard`` is on,
so there the same sequence is also sent wrapped in tmux's DCS passthrough
(which works when ``allow-passthrough`` is on). This module builds and writes
escape sequences; it never reads the clipboard and never runs programs.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from typing import Protocol

ESC = "\x1b"
BEL = "\x07"


class ClipboardApp(Protocol):
    """The part of a Textual ``App`` this module uses."""

    def copy_to_clipboard(self, text: str) -> None:
        """Write a plain OSC 52 sequence and remember ``text``."""


class TerminalWriter(Protocol):
    """Anything that writes raw strings to the terminal (Textual's driver)."""

    def write(self, data: str) -> None:
        """Write ``data`` to the terminal unchanged."""


def osc52(text: str) -> str:
    """The OSC 52 sequence that sets the system clipboard to ``text``."""
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"{ESC}]52;c;{encoded}{BEL}"


def tmux_passthrough(sequence: str) -> str:
    """``sequence`` wrapped in tmux's DCS passthrough (inner ESCs doubled)."""
    return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ESC}\\"


def in_tmux(environ: Mapping[str, str] | None = None) -> bool:
    """True when running inside tmux (``$TMUX`` is set)."""
    return bool((os.environ if environ is None else environ).get("TMUX"))


def clipboard_sequence(text: str, *, tmux: bool) -> str:
    """The bytes to send so that the terminal copies ``text``.

    Args:
        text: what to copy.
        tmux: wrap the sequence for tmux's passthrough.
    """
    sequence = osc52(text)
    return tmux_passthrough(sequence) if tmux else sequence


def copy_text(
    app: ClipboardApp,
    text: str,
    *,
    writer: TerminalWriter | None = None,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Copy ``text``: Textual's OSC 52, plus the tmux-wrapped one inside tmux.

    Args:
        app: the running app (its ``copy_to_clipboard`` writes plain OSC 52).
        text: what to copy.
        writer: where raw sequences go (the app's driver); nothing extra is
            written when there is none (headless runs).
        environ: the environment to look for ``$TMUX`` in (default: the process's).
    """
    app.copy_to_clipboard(text)
    if writer is not None and in_tmux(environ):
        writer.write(clipboard_sequence(text, tmux=True))
