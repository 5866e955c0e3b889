"""Seeweb ECS v2 wire actions into :class:`~tui.model.Action`: the one parser of an action.

:func:`parse_action` reads a decoded action object; :func:`action_of` makes
the action from its fields, wherever they were read (a page read straight
from its bytes gives them too: :mod:`tui.backends.seeweb.listing`). Pure; it
accepts what the API actually sends (``id`` as a float, missing fields,
unknown statuses).
"""

from __future__ import annotations

import math
from typing import Any

from tui.backends.base import UnreadableEntryError
from tui.backends.seeweb.spec import TYPE
from tui.model import (
    Action,
    ActionMaker,
    Status,
    as_text,
    make_ref,
    parse_progress,
    parse_time,
)

MAX_ID_DIGITS = 40
"""Longer digit strings are not action ids (and would be slow to convert)."""

_STATUSES = {
    "in-progress": Status.RUNNING,
    "in_progress": Status.RUNNING,
    "running": Status.RUNNING,
    "completed": Status.COMPLETED,
    "failed": Status.FAILED,
    "error": Status.FAILED,  # listed by Seeweb's Terraform provider docs
    "pending": Status.PENDING,
    "queued": Status.PENDING,
}


def parse_action(backend: str, payload: object, where: str = "action") -> Action:
    """Turn one wire action into an :class:`Action`.

    Args:
        backend: The configured backend name.
        payload: The decoded JSON of one action.
        where: Where the payload came from, for error messages.

    Raises:
        UnreadableEntryError: when ``payload`` is not an object with an integer ``id``.
    """
    if not isinstance(payload, dict):
        raise UnreadableEntryError(backend, f"{where}: expected an action object")
    get = payload.get
    return action_of(
        backend,
        where,
        payload,
        get("id"),
        get("status"),
        get("progress"),
        get("type"),
        get("resource"),
        get("resource_type"),
        get("user"),
        get("created_at"),
        get("started_at"),
        get("completed_at"),
    )


def action_of(
    backend: str,
    where: str,
    payload: object,
    given_id: object,
    raw_status: Any,
    progress: Any,
    name: Any,
    resource: Any,
    resource_type: Any,
    user: Any,
    created_at: object,
    started_at: object,
    completed_at: object,
) -> Action:
    """The :class:`Action` of one wire action's fields (absent ones given as ``None``).

    ``payload`` is the action's object, or its JSON text as the server sent
    it (see :mod:`tui.backends.seeweb.listing`).

    Raises:
        UnreadableEntryError: when the id is not an integer.
    """
    action_id = str(given_id) if type(given_id) is int else _parse_id(given_id)
    if action_id is None:
        raise UnreadableEntryError(backend, f"{where}: action without an integer id")
    # Each text field is taken as it is when it is a string (the usual case), without a call.
    if type(raw_status) is not str:
        raw_status = as_text(raw_status)
    status = _STATUSES.get(raw_status) if raw_status is not None else None  # as the API spells it
    if status is None:
        status = _STATUSES.get((raw_status or "").strip().lower(), Status.UNKNOWN)
    if type(progress) is not int or not 0 <= progress <= 100:  # a whole percentage as it is
        progress = parse_progress(progress)
    if type(name) is not str:
        name = as_text(name)
    if type(resource) is not str:
        resource = as_text(resource)
    if type(resource_type) is not str:
        resource_type = as_text(resource_type)
    if type(user) is not str:
        user = as_text(user)
    return _make_action(
        make_ref(backend, action_id),
        backend,
        TYPE,
        action_id,
        name or "unknown",
        status,
        raw_status,
        progress,
        resource,
        resource_type,
        user,
        parse_time(created_at),
        parse_time(started_at),
        parse_time(completed_at),
        payload,
    )


_make_action = ActionMaker(
    "ref",
    "backend",
    "backend_type",
    "id",
    "name",
    "status",
    "raw_status",
    "progress",
    "resource",
    "resource_type",
    "user",
    "created_at",
    "started_at",
    "finished_at",
    "raw",
).build
"""Builds the actions :func:`action_of` makes (twice as fast as ``Action(...)``; called
without the maker's own frame)."""


def _parse_id(value: object) -> str | None:
    """An action id as text: ints, integral floats (Go clients) and digit strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
        return str(int(text))
    return None


def parse_total(value: object) -> int | None:
    """``total_actions`` when present and a whole number (older payloads lack it)."""
    text = _parse_id(value)
    return int(text) if text is not None and int(text) >= 0 else None


def parse_or_none(backend: str, item: object) -> Action | None:
    """One listed action, or ``None`` when it cannot be read (the list skips and counts it;
    the reason is not kept, so no per-entry text is made for it)."""
    try:
        return parse_action(backend, item, "/actions")
    except UnreadableEntryError:
        return None


__all__ = ["MAX_ID_DIGITS", "action_of", "parse_action", "parse_or_none", "parse_total"]
