"""The one normalised action model shared by every backend, the store and the UI.

Backends turn wire JSON into these objects; nothing here does I/O or imports
Textual. The parsing helpers accept what real servers send (numbers as
strings, naive timestamps, nulls where a value was promised) and never raise
on odd values: an unreadable value becomes ``None``.
"""

from __future__ import annotations

import json
import marshal
import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum
from operator import attrgetter
from typing import Any

from tui import json_body


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


@dataclass(frozen=True, slots=True)
class Event:
    """One Nova instance-action event (one attempt of it, when it was retried)."""

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


@dataclass(frozen=True, slots=True)
class PendingOp:
    """One Redis Enterprise pending operation, keyed by shard."""

    shard: str
    op_name: str | None = None
    status_code: str | None = None
    status_description: str | None = None
    progress: float | None = None
    heartbeat: datetime | None = None
    last_sample_time: datetime | None = None
    snapshot: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        """Whole percentages given as integers become floats, as for :class:`Action`."""
        given: object = self.progress
        if type(given) is int:
            object.__setattr__(self, "progress", float(given))


@dataclass(frozen=True, slots=True, eq=False)
class Action:
    """One long-running action, normalised across backends.

    A frozen, slotted dataclass: a million of them are held at once, so each
    is a fixed block of slots, its short strings are interned and its
    payload is kept packed (see :attr:`raw`). Constructing one does not
    validate: backends give typed values. What callers may give loosely is
    converted (a status as its text, progress as an integer, events and
    pending ops as lists); :func:`action_from_json` reads the JSON form.
    """

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
    raw: dict[str, Any] = field(default_factory=dict)
    """The payload as the server sent it (kept packed; each read decodes a fresh copy)."""
    from_history: bool = field(default=False, metadata={"json": False})
    """Read from the local journal, not (yet) from its backend; never in ``--json``."""

    def __post_init__(self) -> None:
        """Convert what callers may give loosely; share what a million actions share."""
        if type(self.status) is not Status:
            object.__setattr__(self, "status", Status(self.status))
        progress = self.progress
        if progress is not None:
            whole = type(progress) is int or (type(progress) is float and progress.is_integer())
            if whole and 0 <= progress <= 100:
                object.__setattr__(self, "progress", _PERCENTS[int(progress)])
            elif type(progress) is int:
                object.__setattr__(self, "progress", float(progress))
        if type(self.events) is not tuple:
            object.__setattr__(self, "events", tuple(self.events))
        if type(self.pending_ops) is not tuple:
            object.__setattr__(self, "pending_ops", tuple(self.pending_ops))
        for name in _INTERNED:
            value = getattr(self, name)
            if type(value) is str and len(value) <= INTERN_UP_TO:
                object.__setattr__(self, name, sys.intern(value))

    def __eq__(self, other: object) -> bool:
        """Equal fields and equal payloads (compared packed, decoded only when that differs)."""
        if other.__class__ is not Action:
            return NotImplemented
        if self is other:
            return True
        if _plain_fields(self) != _plain_fields(other):
            return False
        mine, theirs = _RAW_SLOT.__get__(self), _RAW_SLOT.__get__(other)
        return bool(mine == theirs) or _unpack(mine) == _unpack(theirs)

    __hash__ = None  # type: ignore[assignment]

    @property
    def sort_time(self) -> datetime:
        """The time the list is ordered by (newest first)."""
        return self.created_at or self.started_at or self.updated_at or _EPOCH

    @property
    def failed_events(self) -> tuple[Event, ...]:
        """The events that ended in error."""
        return tuple(event for event in self.events if event.failed)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_PERCENTS = tuple(float(percent) for percent in range(101))
"""Whole percentages, shared (a float is 24 bytes)."""

INTERN_UP_TO = 40
"""Strings up to this long are interned (names, statuses, users, resources, project ids)."""

_INTERNED = (
    "backend",
    "backend_type",
    "name",
    "raw_status",
    "resource",
    "resource_type",
    "user",
    "project_id",
    "state",
    "node",
    "object_name",
    "action_type",
    "error_code",
)
"""The fields whose values repeat across actions (ids and refs do not)."""

_FIELDS = tuple(item.name for item in fields(Action))

_plain_fields = attrgetter(*(name for name in _FIELDS if name != "raw"))

_RAW_SLOT: Any = Action.__dict__["raw"]
"""The slot that holds the packed payload (:attr:`Action.raw` reads it through a property)."""

_EMPTY_RAW = marshal.dumps({})


def _pack(payload: object) -> object:
    """A payload as held: :mod:`marshal` bytes, or the dict itself when it cannot be packed.

    A decoded JSON object packs into fewer bytes than its dict, its strings
    and numbers take apart (about 290 against 370 for a Seeweb action), in
    about a microsecond. The bytes are made and read in this process only.
    """
    if type(payload) is not dict:
        if not isinstance(payload, Mapping):
            raise TypeError(f"raw must be a JSON object, not {type(payload).__name__}")
        payload = dict(payload)
    if not payload:
        return _EMPTY_RAW
    try:
        return marshal.dumps(payload)
    except ValueError:  # not plain data (a test's or a caller's own objects): kept as it is
        return payload


def _hold(payload: object) -> object:
    """A payload as an :class:`ActionMaker` holds it: JSON text (a ``str``) as it is, else packed.

    A backend that reads a page's bytes itself gives each action the text of
    its own object, already checked to decode under the payload rules
    (:func:`tui.json_body.loads`) into an object; it is kept as it came and
    decoded when read. (``Action(raw=...)`` takes only a mapping.)
    """
    return payload if type(payload) is str else _pack(payload)


def _unpack(held: object) -> Any:
    """The payload as given, from what :func:`_pack` or :func:`_hold` made of it."""
    if type(held) is bytes:
        return marshal.loads(held)
    if type(held) is str:
        return json_body.loads(held)
    return held


def _get_raw(action: Action) -> dict[str, Any]:
    result: dict[str, Any] = _unpack(_RAW_SLOT.__get__(action))
    return result


def _set_raw(action: Action, payload: object) -> None:
    _RAW_SLOT.__set__(action, _pack(payload))


setattr(Action, "raw", property(_get_raw, _set_raw, doc="The payload as the server sent it."))  # noqa: B010


def _field_default(item: Any) -> object:
    return item.default_factory() if item.default is MISSING else item.default


class _Filling:
    """An :class:`Action`'s slots, unfrozen: :class:`ActionMaker` fills one, then retypes it.

    The same slots in the same order as :class:`Action` (the same memory
    layout), so an instance may change its class to :class:`Action` once every
    slot is set; plain attribute stores on it cost a fraction of a frozen
    dataclass's guarded ones.
    """

    __slots__ = Action.__slots__


class ActionMaker:
    """Builds actions from the values of a fixed set of fields, given positionally.

    ``ActionMaker("ref", "backend", ...)(ref, backend, ...)`` equals
    ``Action(ref=ref, backend=backend, ...)`` (the same conversions, the
    same interned strings, the payload packed alike) in a fraction of the
    time: a function written for the maker's fields (as :mod:`dataclasses`
    writes ``__init__``) stores every slot of an unfrozen twin of the action
    (:class:`_Filling`) and then makes it an :class:`Action`; only the fields
    given are converted. A backend parsing a page of a thousand actions makes one.
    """

    __slots__ = ("build",)

    def __init__(self, *names: str) -> None:
        """Make actions from values of ``names`` (fields of :class:`Action`), in that order.

        Raises:
            ValueError: a name is not a field, appears twice, or is a field
                this maker does not convert (``events``, ``pending_ops``).
        """
        known = {item.name: item for item in fields(Action)}
        unknown = [name for name in names if name not in known]
        if unknown or len(set(names)) != len(names):
            raise ValueError(f"not a set of Action fields: {names!r}")
        if {"events", "pending_ops"} & set(names):
            raise ValueError("events and pending_ops are converted by Action() only")
        scope: dict[str, Any] = {
            "Action": Action,
            "Filling": _Filling,
            "Status": Status,
            "empty": _EMPTY_RAW,
            "held": _progress_held,
            "intern": sys.intern,
            "new": object.__new__,
            "pack": _hold,
            "str": str,
            "len": len,
            "type": type,
        }
        args = [f"v{at}" for at in range(len(names))]
        body = ["a = new(Filling)"]
        given = dict(zip(names, args, strict=True))
        if "raw" in given:  # packed first, as Action() checks it before the rest
            body.append(f"a.raw = pack({given.pop('raw')})")
        else:
            body.append("a.raw = empty")
        for name, arg in given.items():
            if name == "status":
                body.append(f"a.status = {arg} if type({arg}) is Status else Status({arg})")
            elif name == "progress":
                body.append(f"a.progress = {arg} if {arg} is None else held({arg})")
            elif name in _INTERNED:
                short = f"type({arg}) is str and len({arg}) <= {INTERN_UP_TO}"
                body.append(f"a.{name} = intern({arg}) if {short} else {arg}")
            else:
                body.append(f"a.{name} = {arg}")
        for name in known:
            if name not in names and name != "raw":
                scope[f"d_{name}"] = _field_default(known[name])
                body.append(f"a.{name} = d_{name}")
        body += ["a.__class__ = Action", "return a"]
        source = f"def build({', '.join(args)}):\n" + "".join(f"    {line}\n" for line in body)
        exec(source, scope)  # our own text, from the field names checked above
        self.build: Callable[..., Action] = scope["build"]
        """The function that makes the actions: the maker's call without its own frame."""

    def __call__(self, *values: Any) -> Action:
        """One action from the values of the maker's fields, in its order."""
        return self.build(*values)


def _progress_held(progress: Any) -> Any:
    """A progress as :class:`Action` holds it (a whole percentage is a shared float)."""
    whole = type(progress) is int or (type(progress) is float and progress.is_integer())
    if whole and 0 <= progress <= 100:
        return _PERCENTS[int(progress)]
    return float(progress) if type(progress) is int else progress


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
    if type(value) is str and len(value) >= 10 and value[4] == "-":  # ISO 8601: the usual case
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass  # other spellings (a zone as ``z``, spaces around): read below
        else:
            if parsed.tzinfo is UTC:
                return parsed
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
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


JSON_FIELDS: tuple[str, ...] = tuple(
    item.name for item in fields(Action) if item.metadata.get("json", True)
)
"""The fields of the ``--json`` schema, in its order (``from_history`` is not one)."""

_EVENT_FIELDS = tuple(item.name for item in fields(Event))
_OP_FIELDS = tuple(item.name for item in fields(PendingOp))


def action_to_json(action: Action) -> dict[str, Any]:
    """The JSON-ready dict of one action (datetimes still as objects).

    Every field of :data:`JSON_FIELDS` in order; events and pending ops as
    tuples of dicts; the status as :class:`Status` (a ``str``).
    """
    data = {name: getattr(action, name) for name in JSON_FIELDS}
    data["events"] = tuple(
        {name: getattr(event, name) for name in _EVENT_FIELDS} for event in action.events
    )
    data["pending_ops"] = tuple(_op_to_json(op) for op in action.pending_ops)
    return data


def _op_to_json(op: PendingOp) -> dict[str, Any]:
    data = {name: getattr(op, name) for name in _OP_FIELDS}
    if op.snapshot is not None:
        data["snapshot"] = dict(op.snapshot)
    return data


def action_from_json(data: Mapping[str, Any], *, from_history: bool = False) -> Action:
    """The action a JSON object describes (:func:`action_to_json`'s, once written and read).

    Datetimes may be ISO 8601 text or datetimes; fields left out take their
    defaults; unknown keys are ignored. ``from_history`` marks the action as
    read from the journal (as does a true ``from_history`` key).

    Raises:
        ValueError: a required field is missing or a value has the wrong type.
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"an action is a JSON object, not {type(data).__name__}")
    values = _read_fields(data, _ACTION_READERS, "action")
    values["events"] = tuple(
        item if isinstance(item, Event) else Event(**_read_fields(item, _EVENT_READERS, "event"))
        for item in _items(data, "events")
    )
    values["pending_ops"] = tuple(
        item
        if isinstance(item, PendingOp)
        else PendingOp(**_read_fields(item, _OP_READERS, "pending op"))
        for item in _items(data, "pending_ops")
    )
    values["from_history"] = from_history or values.get("from_history") is True
    try:
        return Action(**values)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not an action: {exc}") from None


def _read_fields(data: object, readers: Mapping[str, Any], what: str) -> dict[str, Any]:
    """The known keys of ``data``, each read by its reader; required ones must be there."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{what}: expected an object, not {type(data).__name__}")
    values = {}
    for name, value in data.items():
        known = readers.get(name)
        if known is not None:
            values[name] = known[0](value, name)
    for name, (_, required) in readers.items():
        if required and name not in values:
            raise ValueError(f"{what}: no {name!r}")
    return values


def _items(data: Mapping[str, Any], key: str) -> list[Any] | tuple[Any, ...]:
    value = data.get(key) or ()
    if not isinstance(value, list | tuple):
        raise ValueError(f"action: {key!r} is not a list")
    return value


def _text(value: object, name: str) -> str:
    if type(value) is not str:
        raise ValueError(f"{name!r} is not a string")
    return value


def _text_or_none(value: object, name: str) -> str | None:
    return None if value is None else _text(value, name)


def _number_or_none(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name!r} is not a number")
    return float(value)


def _integer(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name!r} is not an integer")
    return value


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name!r} is not a boolean")
    return value


def _time_or_none(value: object, name: str) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{name!r} is not an ISO 8601 time")


def _status(value: object, name: str) -> Status:
    try:
        if isinstance(value, str):
            return Status(value)
    except ValueError:
        pass
    raise ValueError(f"{name!r} is not a status")


def _object(value: object, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{name!r} is not an object")
    return value


def _object_or_none(value: object, name: str) -> dict[str, Any] | None:
    return None if value is None else _object(value, name)


def _readers(required: tuple[str, ...], **readers: Any) -> dict[str, tuple[Any, bool]]:
    return {name: (reader, name in required) for name, reader in readers.items()}


_ACTION_READERS = _readers(
    ("ref", "backend", "backend_type", "id", "name"),
    ref=_text,
    backend=_text,
    backend_type=_text,
    id=_text,
    name=_text,
    status=_status,
    raw_status=_text_or_none,
    progress=_number_or_none,
    resource=_text_or_none,
    resource_type=_text_or_none,
    user=_text_or_none,
    project_id=_text_or_none,
    created_at=_time_or_none,
    started_at=_time_or_none,
    finished_at=_time_or_none,
    updated_at=_time_or_none,
    message=_text_or_none,
    state=_text_or_none,
    node=_text_or_none,
    object_name=_text_or_none,
    action_type=_text_or_none,
    error_code=_text_or_none,
    gone=_flag,
    raw=_object,
    from_history=_flag,
)
_EVENT_READERS = _readers(
    ("name",),
    name=_text,
    result=_text_or_none,
    started_at=_time_or_none,
    finished_at=_time_or_none,
    host=_text_or_none,
    host_id=_text_or_none,
    details=_text_or_none,
    traceback=_text_or_none,
    attempt=_integer,
    attempts=_integer,
)
_OP_READERS = _readers(
    ("shard",),
    shard=_text,
    op_name=_text_or_none,
    status_code=_text_or_none,
    status_description=_text_or_none,
    progress=_number_or_none,
    heartbeat=_time_or_none,
    last_sample_time=_time_or_none,
    snapshot=_object_or_none,
)


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
