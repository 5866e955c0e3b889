"""Desktop notifications through the terminal: OSC 9, OSC 777, the bell, wrapped for tmux.

``ui.notify = "auto"`` picks a channel from ``TERM_PROGRAM``/``TERM`` (and,
inside tmux, ``LC_TERMINAL``), and picks only terminals known to turn the
sequence into a notification: everywhere else it sends nothing (or the bell,
when ``ui.bell`` is on), since a terminal that does not know OSC 9 or 777
may print it. Inside tmux the sequence is wrapped in tmux's passthrough DCS
(every ESC doubled), which tmux drops silently unless ``allow-passthrough``
is on. The table is in ``docs/console.md``.

Pure functions returning strings: the app writes them. No Textual; the
title and body are neutralised here (:func:`tui.text.display_text`), and the
fields' separators (``;``) kept out of them, whatever the caller passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from tui.text import display_text

Channel = Literal["osc9", "osc777", "bell", "off"]

BODY_LIMIT = 200
"""Characters of a notification's body (a desktop banner shows no more anyway)."""

OSC9_PROGRAMS = frozenset({"iTerm.app", "WezTerm"})
"""``TERM_PROGRAM`` values whose terminal shows OSC 9 as a notification."""
OSC777_PROGRAMS = frozenset({"ghostty"})
"""``TERM_PROGRAM`` values whose terminal shows OSC 777 ``notify`` as a notification."""
OSC777_TERMS = ("foot", "xterm-ghostty", "rxvt-unicode")
"""``TERM`` prefixes whose terminal takes OSC 777 ``notify``."""
OSC9_OUTER = frozenset({"iTerm2"})
"""``LC_TERMINAL`` values (they survive tmux and ssh) of terminals that take OSC 9."""


def in_tmux(env: Mapping[str, str]) -> bool:
    """True inside tmux (its sequences then need the passthrough wrapper)."""
    return bool(env.get("TMUX")) or env.get("TERM_PROGRAM") == "tmux"


def auto_channel(env: Mapping[str, str]) -> Channel:
    """The channel ``auto`` means here; ``off`` for any terminal not known to take one."""
    program, term = env.get("TERM_PROGRAM", ""), env.get("TERM", "")
    if in_tmux(env):
        return "osc9" if env.get("LC_TERMINAL") in OSC9_OUTER else "off"
    if program in OSC9_PROGRAMS:
        return "osc9"
    if program in OSC777_PROGRAMS or term.startswith(OSC777_TERMS):
        return "osc777"
    return "off"


def choose_channel(mode: str, env: Mapping[str, str], *, bell: bool = False) -> Channel:
    """The channel for ``ui.notify = mode``; ``auto`` falls back to the bell when ``ui.bell``."""
    if mode == "auto":
        chosen = auto_channel(env)
        return "bell" if chosen == "off" and bell else chosen
    if mode in ("osc9", "osc777", "bell"):
        return mode  # type: ignore[return-value]
    return "off"


def _field(text: str, limit: int) -> str:
    """Safe, bounded, with no ``;`` (it would start another field)."""
    return display_text(text, limit).replace(";", ",")


def notification(channel: Channel, title: str, body: str, *, tmux: bool = False) -> str:
    """What to write to the terminal to raise one notification ('' for ``off``)."""
    if channel == "off":
        return ""
    if channel == "bell":
        return "\a"
    safe_title, safe_body = _field(title, 80), _field(body, BODY_LIMIT)
    if channel == "osc9":  # a leading digit would read as a ConEmu sub-command
        sequence = f"\x1b]9;{safe_title}: {safe_body}\a"
    else:
        sequence = f"\x1b]777;notify;{safe_title};{safe_body}\a"
    return tmux_passthrough(sequence) if tmux else sequence


def tmux_passthrough(sequence: str) -> str:
    """``sequence`` wrapped for tmux to pass to the outer terminal."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
