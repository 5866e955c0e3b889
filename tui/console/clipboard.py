"""Copy text to the user's clipboard through the terminal (OSC 52), also inside tmux.

Works over SSH because the terminal, not the remote machine, owns the
clipboard. Textual's ``App.copy_to_clipboard`` already writes a plain OSC 52
sequence (and remembers the text in ``App.clipboard``); inside tmux that
sequence only reaches the outer terminal when tmux's ``set-clipboard`` is on,
so there the same sequence is also sent wrapped in tmux's DCS passthrough
(which works when ``allow-passthrough`` is on). Terminals drop (or choke on)
very long OSC 52 sequences, so :func:`deliver` saves a text over
:data:`OSC52_LIMIT` bytes to a file instead and says where; with
``ui.clipboard = "off"`` every copy goes to a file. This module builds and
writes escape sequences and those files; it never reads the clipboard and
never runs programs. What it copies must already be inert text.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

ClipboardMode = Literal["osc52", "off"]
"""``ui.clipboard``: copy through the terminal, or never (copies go to a file)."""

OSC52_LIMIT = 100_000
"""Bytes of text above which a copy is saved to a file instead of sent to the terminal."""

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


Severity = Literal["information", "warning", "error"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Copied:
    """What became of a copy: the message to show, how loud, and the file if one was written."""

    message: str
    severity: Severity = "information"
    path: Path | None = None


def size_text(text: str) -> str:
    """``3 lines, 1,234 chars``."""
    lines = text.count("\n") + 1 if text else 0
    return f"{lines:,} line{'s' if lines != 1 else ''}, {len(text):,} chars"


def copy_filename(what: str) -> str:
    """``actiondeck-copy-traceback_of_x.txt``: ``what`` made safe for a file name."""
    cleaned = _UNSAFE.sub("_", what).strip("._-")[:60] or "text"
    return f"actiondeck-copy-{cleaned}.txt"


def _save(text: str, directory: Path, what: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / copy_filename(what)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return path


def deliver(
    app: ClipboardApp,
    text: str,
    what: str,
    *,
    mode: ClipboardMode,
    directory: Path,
    writer: TerminalWriter | None,
    environ: Mapping[str, str] | None = None,
) -> Copied:
    """Copy ``text`` through the terminal, or save it to a file when that cannot work.

    Args:
        app: the running app.
        text: what to copy (inert already).
        what: what it is, for the message and the file name (``ref``, ``JSON of …``).
        mode: ``ui.clipboard``.
        directory: where a text too big for OSC 52 (or any, when ``off``) is saved.
        writer: the terminal (``None``: there is none, and copying fails visibly).
        environ: the environment to look for ``$TMUX`` in.

    Returns:
        What happened, as a message for the user; nothing is raised.
    """
    size = len(text.encode("utf-8"))
    if mode == "off" or size > OSC52_LIMIT:
        why = (
            "the clipboard is off (ui.clipboard)"
            if mode == "off"
            else (f"{size:,} bytes is too much for the terminal's clipboard")
        )
        try:
            path = _save(text, directory, what)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            return Copied(f"Could not copy {what}: {why}, and saving failed: {reason}", "error")
        return Copied(f"Saved {what} to {path} ({why})", "warning", path)
    if writer is None:
        return Copied(f"Could not copy {what}: no terminal to copy through", "error")
    try:
        copy_text(app, text, writer=writer, environ=environ)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return Copied(f"Could not copy {what}: {reason}", "error")
    return Copied(f"Copied {what} ({size_text(text)})")
