"""Wire parsing for Redis Enterprise actions: v1 tasks, v1 state machines and v2 objects.

Pure functions from decoded JSON to :class:`tui.model.Action`. They accept the
real wire quirks (``progress`` as ``"100"``, ``100`` or missing, ``node_uid``
and ``creation_time`` as strings, a list missing its ``state-machines`` key,
statuses from two documented vocabularies) and keep
what real payloads carry beyond the documented keys (``action_type``,
``error_code``, ``start_time``/``end_time``, a top-level ``description``) and raise
:class:`~tui.backends.base.BadResponseError` for shapes they cannot read —
never any other exception. An entry that cannot be read (no ``action_uid``,
``pending_ops`` or ``additional_info`` that are not objects...) raises
:class:`~tui.backends.base.UnreadableEntryError`; the list readers skip it
and record it, so one bad entry costs that entry only. No I/O here.
"""

from __future__ import annotations

import json
from typing import Any

from tui.backends.base import BadResponseError, UnreadableEntryError
from tui.backends.redis_enterprise.spec import TYPE
from tui.model import (
    Action,
    PendingOp,
    Status,
    as_text,
    make_ref,
    parse_progress,
    parse_time,
)

STATUSES: dict[str, Status] = {
    "pending": Status.PENDING,
    "queued": Status.PENDING,
    "starting": Status.RUNNING,
    "active": Status.RUNNING,
    "running": Status.RUNNING,
    "cancelling": Status.RUNNING,
    "completed": Status.COMPLETED,
    "failed": Status.FAILED,
    "cancelled": Status.CANCELLED,
}
"""The union of the action and state-machine status vocabularies."""

LIST_KEYS = ("actions", "state-machines")
"""The two arrays of ``GET /v1/actions``: tasks, then state machines."""

LIST_KINDS = {"actions": "task", "state-machines": "state-machine"}
"""The ``action_type`` (v2's word) of the entries of each ``/v1/actions`` array."""

FILLABLE = (
    "created_at",
    "started_at",
    "finished_at",
    "progress",
    "message",
    "object_name",
    "resource",
    "resource_type",
    "action_type",
    "error_code",
)
"""Fields the v1 view of an action may lack and take from its v2 view."""


def map_status(raw: str | None) -> Status:
    """The normalised status of a wire status (case-insensitive; unknown → ``UNKNOWN``)."""
    if raw is None:
        return Status.UNKNOWN
    return STATUSES.get(raw.strip().lower(), Status.UNKNOWN)


def resource_type(object_name: str | None) -> str | None:
    """``bdb`` for ``bdb:3``, ``node`` for ``node:1``, ``cluster`` for ``cluster``."""
    if not object_name:
        return None
    prefix = object_name.partition(":")[0].strip().lower()
    return prefix or None


def parse_action(backend: str, payload: object, *, where: str = "action") -> Action:
    """Read one v1 task, v1 state machine or v2 action object.

    Args:
        backend: the configured backend name (goes into the ref and errors).
        payload: the decoded JSON object.
        where: what the object is, for error messages (a path or list index).

    Raises:
        BadResponseError: when the object has no usable ``action_uid`` or a
            nested value has the wrong shape.
    """
    return Action(**action_fields(backend, payload, where=where))


def action_fields(
    backend: str, payload: object, *, where: str = "action", kind: str | None = None
) -> dict[str, Any]:
    """The :class:`~tui.model.Action` keyword arguments for one wire object.

    Lists are read into these first so that the v1 and v2 views of an action
    can be merged before a single ``Action`` is built. ``kind`` is the
    ``action_type`` when the object does not say (the v1 array it came from).

    Raises:
        BadResponseError: as :func:`parse_action`.
    """
    body = _require_object(backend, payload, where)
    uid = _uid(backend, body.get("action_uid"), where)
    info = _info(backend, body, where)
    object_name = _object_name(body, info)
    raw_status = as_text(body.get("status"))
    status = map_status(raw_status)
    ops_value = body["pending_ops"] if "pending_ops" in body else info.get("pending_ops")
    return {
        "ref": make_ref(backend, uid),
        "backend": backend,
        "backend_type": TYPE,
        "id": uid,
        "name": as_text(body.get("name")) or "(unnamed)",
        "status": status,
        "raw_status": raw_status,
        "progress": parse_progress(body.get("progress")),
        "resource": object_name,
        "resource_type": resource_type(object_name),
        "created_at": parse_time(body.get("creation_time")),
        "started_at": parse_time(body.get("start_time")),
        "finished_at": parse_time(body.get("end_time")) if status.is_final else None,
        "updated_at": parse_time(body.get("heartbeat")),
        "message": _message(body, info, status),
        "pending_ops": parse_pending_ops(backend, ops_value, where),
        "state": as_text(body.get("state")),
        "node": as_text(body.get("node_uid")),
        "object_name": object_name,
        "action_type": as_text(body.get("action_type")) or kind,
        "error_code": _text(body.get("error_code")) or None,
        "raw": body,
    }


def parse_pending_ops(backend: str, value: object, where: str) -> tuple[PendingOp, ...]:
    """Read ``pending_ops`` (shard id → operation), sorted by shard id numerically.

    Raises:
        BadResponseError: when the map or one of its operations is not an object.
    """
    if value is None:
        return ()
    ops = _require_object(backend, value, f"{where}.pending_ops")
    parsed = [_pending_op(backend, str(shard), op, where) for shard, op in ops.items()]
    return tuple(sorted(parsed, key=_shard_order))


def _pending_op(backend: str, shard: str, value: object, where: str) -> PendingOp:
    op = _require_object(backend, value, f"{where}.pending_ops[{shard[:40]!r}]")
    snapshot = op.get("snapshot")
    return PendingOp(
        shard=shard,
        op_name=as_text(op.get("op_name")),
        status_code=as_text(op.get("status_code")),
        status_description=as_text(op.get("status_description")),
        progress=parse_progress(op.get("progress")),
        heartbeat=parse_time(op.get("heartbeat")),
        last_sample_time=parse_time(op.get("last_sample_time")),
        snapshot=snapshot if isinstance(snapshot, dict) else None,
    )


def _shard_order(op: PendingOp) -> tuple[int, int, str]:
    """Numeric shard ids first, in numeric order; anything else after, by text."""
    if op.shard.isdecimal():
        try:
            return (0, int(op.shard), op.shard)
        except ValueError:  # absurdly long digit strings
            pass
    return (1, 0, op.shard)


FieldsMemo = dict[str, tuple[dict[str, Any], dict[str, Any]]]
"""uid → (raw wire item, its fields): an unchanged item is not parsed again."""


def parse_v1_list(
    backend: str,
    payload: object,
    path: str,
    memo: FieldsMemo | None = None,
    unreadable: list[str] | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Read ``GET /v1/actions`` (``{"actions": [...], "state-machines": [...]}``) into fields.

    Either key may be missing or ``null``; a bare array (older clusters, and
    ``GET /v1/actions/bdb/{uid}``, whose entries are all of ``kind``) is read
    as a list of actions too. Each entry comes back as :func:`action_fields`;
    an unreadable entry is skipped and its uid (or its place) appended to
    ``unreadable``.

    Raises:
        BadResponseError: when the body itself has the wrong shape.
    """
    if isinstance(payload, list):
        return _read_items(backend, payload, path, memo, unreadable, kind)
    if not isinstance(payload, dict):
        raise BadResponseError(backend, f"{path}: expected an object, got {_kind(payload)}")
    body = payload
    entries: list[dict[str, Any]] = []
    for key in LIST_KEYS:
        items = body.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise BadResponseError(backend, f"{path}: {key!r} is not an array")
        where = f"{path} {key}"
        entries.extend(_read_items(backend, items, where, memo, unreadable, LIST_KINDS[key]))
    return entries


def parse_v2_list(
    backend: str,
    payload: object,
    path: str,
    memo: FieldsMemo | None = None,
    unreadable: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Read ``GET /v2/actions`` (a JSON array of v2 objects) into :func:`action_fields`.

    Unreadable entries are skipped and recorded as :func:`parse_v1_list` does.

    Raises:
        BadResponseError: when the body is not an array.
    """
    if not isinstance(payload, list):
        raise BadResponseError(backend, f"{path}: expected an array, got {_kind(payload)}")
    return _read_items(backend, payload, path, memo, unreadable)


def _read_items(
    backend: str,
    items: list[Any],
    where: str,
    memo: FieldsMemo | None = None,
    unreadable: list[str] | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Fields of every readable item; with a memo, items equal to last time reuse their fields.

    Each unreadable item is skipped; its uid (else ``where[index]``) goes to ``unreadable``.
    """
    read = []
    for index, item in enumerate(items):
        uid = item.get("action_uid") if isinstance(item, dict) else None
        known = memo.get(uid) if memo is not None and isinstance(uid, str) else None
        if known is not None and known[0] == item:
            read.append(dict(known[1]))
            continue
        try:
            fields = action_fields(backend, item, where=f"{where}[{index}]", kind=kind)
        except UnreadableEntryError:
            if unreadable is not None:
                named = isinstance(uid, str) and bool(uid.strip())
                unreadable.append(str(uid).strip() if named else f"{where}[{index}]")
            continue
        if memo is not None and isinstance(uid, str):
            memo[uid] = (item, dict(fields))
        read.append(fields)
    return read


def fill_missing(fields: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Complete one view of an action with what only the other carries (creation time…).

    Returns ``fields``, updated in place: values it already has are kept.
    """
    for name in FILLABLE:
        if fields.get(name) is None and other.get(name) is not None:
            fields[name] = other[name]
    return fields


def _require_object(backend: str, value: object, where: str) -> dict[str, Any]:
    """``value`` when it is an object; else the entry being read is unreadable."""
    if not isinstance(value, dict):
        raise UnreadableEntryError(backend, f"{where}: expected an object, got {_kind(value)}")
    return value


def _uid(backend: str, value: object, where: str) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise UnreadableEntryError(backend, f"{where}: no usable action_uid ({_kind(value)})")


def _info(backend: str, body: dict[str, Any], where: str) -> dict[str, Any]:
    info = body.get("additional_info")
    if info is None:
        return {}
    return _require_object(backend, info, f"{where}.additional_info")


def _object_name(body: dict[str, Any], info: dict[str, Any]) -> str | None:
    name = as_text(body.get("object_name"))
    if name:
        return name
    object_type = as_text(info.get("object_type"))
    object_uid = as_text(info.get("object_uid"))
    if object_type and object_uid:
        return f"{object_type}:{object_uid}"
    return object_type or None


def _message(body: dict[str, Any], info: dict[str, Any], status: Status) -> str | None:
    """The error texts first; a description says what failed when no error text does."""
    candidates = (
        body.get("error"),
        body.get("error_message"),
        info.get("error"),
        info.get("description"),
        body.get("description") if status is Status.FAILED else None,
    )
    for value in candidates:
        text = _text(value)
        if text:
            return text
    return None


def _text(value: object) -> str | None:
    """A server value as display text; objects and arrays become compact JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    return as_text(value)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )
