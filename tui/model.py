"""The one normalised action model shared by every backend, the store and the UI.

Backends turn wire JSON into these objects; nothing here does I/O or imports
Textual. The parsing helpers accept what real servers send (numbers as
strings, naive timestamps, nulls where a value was promised) and never raise
on odd values: an unreadable value becomes ``None``.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Status(StrEnum):
    """The normalised status of an action, the same for every backend."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"

    @property
    def is_final(self) -> bool:
        """True when the action will not change any more."""
        return self in (Status.COMPLETED, Status.FAILED, Status.CANCELLED)

    @property
    def in_flight(self) -> bool:
        """True while the action is queued or running."""
        return self in (Status.PENDING, Status.RUNNING)


STATUS_ICONS: dict[Status, str] = {
    Status.PENDING: "…",
    Status.RUNNING: "●",
    Status.COMPLETED: "✔",
    Status.FAILED: "✖",
    Status.CANCELLED: "⊘",
    Status.UNKNOWN: "?",
}
"""One icon per status, shared by the CLI and the console, so status reads without colour."""


class Event(BaseModel):
    """One Nova instance-action event (one attempt of it, when it was retried)."""

    model_config = ConfigDict(frozen=True)

    name: str
    result: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    host: str | None = None
    host_id: str | None = None
    details: str | None = None
    traceback: str | None = None
    attempt: int = 1
    """1-based attempt number among the events of the same name, oldest first."""
    attempts: int = 1
    """How many events of this name the action has."""

    @property
    def failed(self) -> bool:
        """True when this attempt ended in error."""
        return (self.result or "").lower() == "error"


class PendingOp(BaseModel):
    """One Redis Enterprise pending operation, keyed by shard."""

    model_config = ConfigDict(frozen=True)

    shard: str
    op_name: str | None = None
    status_code: str | None = None
    status_description: str | None = None
    progress: float | None = None
    heartbeat: datetime | None = None
    last_sample_time: datetime | None = None
    snapshot: dict[str, Any] | None = None


class Action(BaseModel):
    """One long-running action, normalised across backends."""

    model_config = ConfigDict(frozen=True)

    ref: str
    """Unique and stable: ``BACKEND_NAME:ID``."""
    backend: str
    """The configured backend name."""
    backend_type: str
    """The backend family: ``seeweb``, ``openstack``, ``redis-enterprise``
    (a :data:`tui.backends.REGISTRY` key)."""
    id: str
    """Seeweb integer id, Redis ``action_uid``, or ``SERVER_ID/REQUEST_ID`` for Nova."""
    name: str
    """Seeweb ``type``, Nova ``action``, Redis ``name``."""
    status: Status = Status.UNKNOWN
    raw_status: str | None = None
    progress: float | None = None
    resource: str | None = None
    resource_type: str | None = None
    user: str | None = None
    project_id: str | None = None
    """The project (tenant) the action belongs to: Nova's ``project_id``; null elsewhere."""
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    updated_at: datetime | None = None
    message: str | None = None
    events: tuple[Event, ...] = ()
    pending_ops: tuple[PendingOp, ...] = ()
    state: str | None = None
    node: str | None = None
    object_name: str | None = None
    action_type: str | None = None
    """What kind of action the backend says it is: Redis ``task`` or ``state-machine``."""
    error_code: str | None = None
    """A failed action's machine-readable error (Redis ``error_code``)."""
    gone: bool = False
    """The server no longer knows this action (Redis forgets finished ones)."""
    raw: dict[str, Any] = Field(default_factory=dict)
    """The payload as the server sent it."""
    from_history: bool = Field(default=False, exclude=True)
    """Read from the local journal, not (yet) from its backend; never in ``--json``."""

    def model_post_init(self, context: Any, /) -> None:
        """Make the action compact: what a million of them share, they share.

        * The set of explicitly given field names: pydantic keeps one per
          instance (about 700 bytes); actions of one backend all give the same
          fields, so they share one set per combination. Frozen models never
          change it; ``model_copy`` copies it first.
        * The field values and the top level of ``raw`` live in key-sharing
          dicts (:func:`compact_dict`), and their short strings (statuses,
          names, users, resources) are interned (:func:`sys.intern`).

        Nothing observable changes: the same fields, values and payload.
        """
        given = self.__pydantic_fields_set__
        shared = _FIELD_SETS.get(frozenset(given))
        if shared is None and len(_FIELD_SETS) < _FIELD_SETS_MAX:
            shared = _FIELD_SETS.setdefault(frozenset(given), given)
        if shared is not None:
            object.__setattr__(self, "__pydantic_fields_set__", shared)
        fields = self.__dict__
        raw = fields.get("raw")
        if type(raw) is dict:
            fields["raw"] = compact_dict(raw)
        progress = fields.get("progress")
        if type(progress) is float and progress.is_integer() and 0 <= progress <= 100:
            fields["progress"] = _PERCENTS[int(progress)]
        object.__setattr__(self, "__dict__", compact_dict(fields))

    @property
    def sort_time(self) -> datetime:
        """The time the list is ordered by (newest first)."""
        return self.created_at or self.started_at or self.updated_at or _EPOCH

    @property
    def failed_events(self) -> tuple[Event, ...]:
        """The events that ended in error."""
        return tuple(event for event in self.events if event.failed)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_FIELD_SETS: dict[frozenset[str], set[str]] = {}
"""The field-name sets actions share (see :meth:`Action.model_post_init`)."""

_FIELD_SETS_MAX = 256
"""At most this many distinct sets are shared (memory stays bounded)."""


_PERCENTS = tuple(float(percent) for percent in range(101))
"""Whole percentages, shared (a float is 24 bytes)."""

INTERN_UP_TO = 24
"""Strings up to this long are interned by :func:`compact_dict` (timestamps, UUIDs: longer)."""

_SHAPES_MAX = 256
"""At most this many key tuples get a key-sharing holder (memory stays bounded)."""

_SHAPES: dict[tuple[str, ...], tuple[type, dict[str, Any]]] = {}
"""Per key tuple: a holder class and its empty key-sharing dict (see :func:`compact_dict`)."""

_KEYS_MAX = 30
"""CPython shares the keys of at most this many instance attributes."""

_COPY_ABOVE = 16
"""Dicts of more keys are copied from the template (as small, and faster than attributes)."""


def compact_dict(values: dict[str, Any]) -> dict[str, Any]:
    """An equal dict that shares its keys with every dict of the same keys, in order.

    A dict of a few dozen keys is 800 bytes. CPython keeps the attributes of
    the instances of a class with their keys shared and only the values per
    object, and an instance's ``__dict__`` keeps that split form, as do its
    copies (about 300 bytes for 26 keys). So each key tuple gets a class of
    its own; the result is the ``__dict__`` of an instance given the values as
    attributes, or for many keys a copy of a template such dict updated with
    them (a copy always has room for 30 keys). Short string values are
    interned on the way. A dict whose keys cannot be attributes (not text,
    dunder names) or too many is returned as it is; on another Python the
    result is an ordinary equal dict.
    """
    keys = tuple(values)
    shape = _SHAPES.get(keys)
    if shape is None:
        usable = all(type(key) is str and not key.startswith("__") for key in keys)
        if not usable or len(keys) > _KEYS_MAX or len(_SHAPES) >= _SHAPES_MAX:
            return values
        holder_type = type("_Holder", (), {})  # a class shares one key set: one per shape
        holder = holder_type()
        for key in keys:
            object.__setattr__(holder, key, None)
        shape = _SHAPES.setdefault(keys, (holder_type, holder.__dict__))
    interned = {
        key: sys.intern(value) if type(value) is str and len(value) <= INTERN_UP_TO else value
        for key, value in values.items()
    }
    holder_type, template = shape
    if len(keys) > _COPY_ABOVE:
        compacted = template.copy()
        compacted.update(interned)
        return compacted
    holder = holder_type()
    for key, value in interned.items():
        object.__setattr__(holder, key, value)
    result: dict[str, Any] = holder.__dict__
    return result


def make_ref(backend: str, action_id: str) -> str:
    """Build the stable reference ``BACKEND:ID`` of an action."""
    return f"{backend}:{action_id}"


def split_ref(ref: str) -> tuple[str, str]:
    """Split ``BACKEND:ID`` into its parts.

    Raises:
        ValueError: when the reference has no backend part.
    """
    backend, sep, action_id = ref.partition(":")
    if not sep or not backend or not action_id:
        raise ValueError(f"not an action reference (expected BACKEND:ID): {ref!r}")
    return backend, action_id


def parse_time(value: object) -> datetime | None:
    """Read a timestamp as an aware UTC datetime.

    Accepts ISO 8601 with or without zone and fraction (naive means UTC, as
    Nova sends), a trailing ``Z``, and Unix seconds as a number or a string.
    Returns ``None`` for anything else.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(value)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return _from_epoch(float(text))
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _from_epoch(seconds: float) -> datetime | None:
    """Unix seconds as a UTC datetime; ``None`` when out of range (huge, NaN, infinite)."""
    try:
        return datetime.fromtimestamp(float(seconds), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_progress(value: object) -> float | None:
    """Read a progress percentage (``"100"``, ``100``, ``57.5``) clamped to 0–100."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):  # OverflowError: 10**400
        return None
    if not math.isfinite(number):  # NaN, inf: no honest percentage
        return None
    return max(0.0, min(100.0, number))


def as_text(value: object) -> str | None:
    """A wire value as a string, or ``None`` when absent (numbers become strings)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        try:
            return str(value)
        except ValueError:  # an integer beyond Python's int-to-text digit limit
            return None
    return None


def json_default(value: object) -> Any:
    """``json.dumps``'s ``default``: datetimes as ISO 8601 in UTC, nothing else."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def action_to_json(action: Action) -> dict[str, Any]:
    """The JSON-ready dict of one action (datetimes still as objects)."""
    return action.model_dump(mode="python")


def dumps_json(data: object, *, indent: int | None = 2, ascii_only: bool = False) -> str:
    """``data`` (actions as :func:`action_to_json` gives them) as JSON.

    Args:
        data: what to write.
        indent: spaces per level; ``None`` writes one compact line (``ndjson``).
        ascii_only: escape every non-ASCII character (``\\u202e``), so the text
            is inert in a terminal and in a paste while meaning the same JSON.
    """
    separators = None if indent else (",", ":")
    return json.dumps(
        data,
        default=json_default,
        indent=indent,
        ensure_ascii=ascii_only,
        separators=separators,
    )
