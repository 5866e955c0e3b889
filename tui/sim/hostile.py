"""Hostile text: every string a simulated API answers carries terminal attacks.

With the ``hostile_text`` fault knob on, :func:`hostile_body` rewrites a JSON
response body recursively: each string value (and each key of the free-form
maps ``pending_ops`` and ``snapshot``) is prefixed with :data:`HOSTILE`
(screen clear, window title, OSC 52 clipboard write, one-byte CSI, NUL, DEL,
bidi override and isolate, zero-width space, Rich/Textual markup), and one
string of each body also gets a 1 MB tail. What a client needs to keep
working is left intact: ids used in later URLs, links, timestamps, progress
and times sent as numeric strings, and the bodies :data:`EXEMPT_PATHS` names (Keystone, the
compute and image version documents). This module imports nothing of the
product.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

HOSTILE_PARTS = (
    "[bold]x[/bold]",
    "[@click=app.quit]y[/]",
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x1b]52;c;cHduZWQ=\x07",
    "\x9b31m",
    "\x00",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u200b",
)
"""One sample of every kind of hostile text."""

HOSTILE = "".join(HOSTILE_PARTS)
"""What every rewritten string starts with."""

LONG_TAIL_LENGTH = 1_000_000
"""Characters appended to one string of each body."""

LONG_TAIL_KEYS = ("message", "details", "status_description", "user", "resource")
"""Where the long tail goes: the first string found under one of these keys."""

EXEMPT_PATHS = re.compile(r"/identity(/.*)?|/compute(/v2\.1)?|/image")
"""Bodies left alone: tokens, catalogs and version documents the client must read."""

KEPT_KEYS = frozenset(
    {"id", "uuid", "action_uid", "request_id", "instance_uuid", "server_id", "links", "href"}
)
"""Values of these keys are used in later requests: kept as they are."""

NUMERIC_KEYS = re.compile(r".*(progress|time|heartbeat).*")
"""Keys whose numbers may come as strings (Redis ``"progress": "100"``): kept when numeric."""

FREE_FORM_MAPS = frozenset({"pending_ops", "snapshot"})
"""Maps whose keys are data (shard ids, snapshot names), so they turn hostile too."""


def is_exempt(path: str) -> bool:
    """True for the bodies a client cannot work without (see :data:`EXEMPT_PATHS`)."""
    return EXEMPT_PATHS.fullmatch(path) is not None


def hostile_body(body: Any) -> Any:
    """``body`` with every string made hostile and one string 1 MB long."""
    tail = [True]  # the long tail is still to be placed
    return _rewrite(body, tail, key=None)


def _rewrite(value: Any, tail: list[bool], *, key: str | None) -> Any:
    if isinstance(value, str):
        return _hostile_string(value, tail, key)
    if isinstance(value, list):
        return [_rewrite(item, tail, key=key) for item in value]
    if isinstance(value, dict):
        free_form = key in FREE_FORM_MAPS
        rewritten: dict[str, Any] = {}
        for name, item in value.items():
            new_name = HOSTILE + name if free_form and isinstance(name, str) else name
            kept = isinstance(name, str) and name in KEPT_KEYS
            rewritten[new_name] = item if kept else _rewrite(item, tail, key=name)
        return rewritten
    return value


def _hostile_string(value: str, tail: list[bool], key: str | None) -> str:
    if _is_timestamp(value) or (_is_number(value) and NUMERIC_KEYS.fullmatch(key or "")):
        return value
    text = HOSTILE + value
    if tail[0] and key in LONG_TAIL_KEYS:
        tail[0] = False
        text += "L" * LONG_TAIL_LENGTH
    return text


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _is_timestamp(value: str) -> bool:
    """An ISO 8601 time (``"2026-03-14T12:00:00Z"``), which a client must be able to read."""
    try:
        datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
