"""Nova ``os-instance-actions`` JSON to :class:`~tui.model.Action`, and the status rules.

Nova has no action status, no finish time and no progress: they are derived
here from ``message`` and the events. Pure functions, no I/O; anything that is
not the documented shape raises :class:`~tui.backends.base.BadResponseError`
(:class:`~tui.backends.base.UnreadableEntryError` for one action, whose
callers skip and count it). An action with an unreadable event is unreadable
as a whole: its status is derived from its events, so without all of them
there is no honest status.

Status of an action whose events were read (``GET .../{request_id}``):

1. ``failed`` if and only if ``message`` is ``"Error"`` (any case). Nova
   writes it when any event finishes in error and never clears it, not even
   when a retry of that event later succeeds: the action did fail once, and
   the grouped attempts show the recovery. The listed form carries
   ``message`` but no events, so deciding failure by ``message`` alone is what
   makes ``list`` and ``show`` always agree. An event whose result is
   ``Error`` under another ``message`` (``""`` in Nova's own test fakes, a
   cloud that never writes it) is shown as failed in the events, but does not
   fail the action.
2. Events are grouped by name; attempts are numbered oldest first. Each name
   has an *outcome*: the newest attempt's result once it has a
   ``finish_time``. If the newest attempt is unfinished but an older attempt of
   the same name finished *after* the newest one started, the unfinished row is
   Nova's duplicate-row artifact (``action_event_finish`` updates the first row
   of a name, so a retry's own row never finishes) and the older attempt's
   result is the outcome. Otherwise the name is still in progress.
3. ``running`` if any name is in progress; else ``completed``.
4. Without events: ``running`` while the action is younger than
   :data:`EVENTLESS_GRACE` (events not written yet), ``completed`` after that
   (``lock``, ``unlock``... record none).

Status of a listed action (no events): ``failed`` if ``message`` is
``"Error"``, ``completed`` once its last activity (``updated_at``, else
``start_time``) is older than the caller's settle window, else ``unknown``
(the backend then reads its events). A listed action that settled while an
event was stuck unfinished shows ``completed`` until it is opened.

``finished_at``, once final: the latest event ``finish_time``, else
``updated_at`` (2.58+), else null -- never ``start_time``: below 2.58 (Huawei
Cloud ECS, NTT Enterprise Cloud) a listed action has no finish time, and its
duration is unknown, not zero. ``progress`` stays ``None`` (no event count is
known in advance, so no honest fraction exists).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tui.backends.base import BadResponseError, UnreadableEntryError
from tui.backends.openstack.spec import TYPE
from tui.model import Action, Event, Status, as_text, make_ref, parse_time

EVENTLESS_GRACE = timedelta(minutes=5)
"""How long an action without any event counts as running."""

_EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ServerRef:
    """A server as far as actions need it: its id and, when known, its name."""

    id: str
    name: str | None = None

    @property
    def label(self) -> str:
        """The name when known, else the id (deleted or unlisted servers)."""
        return self.name or self.id


def parse_action(
    raw: object,
    *,
    backend: str,
    server: ServerRef,
    now: datetime,
    settle_after: timedelta,
    path: str,
) -> Action:
    """Normalise one ``instanceAction`` (listed or shown).

    Raises:
        UnreadableEntryError: when required keys are missing or mistyped.
    """
    if not isinstance(raw, dict):
        raise _unreadable(backend, path, "an action is not an object")
    request_id, name = raw.get("request_id"), raw.get("action")
    if not isinstance(request_id, str) or not request_id or not isinstance(name, str):
        raise _unreadable(backend, path, "an action lacks request_id or action")
    events = parse_events(raw["events"], backend, path) if "events" in raw else None
    started = parse_time(raw.get("start_time"))
    updated = parse_time(raw.get("updated_at"))
    message = as_text(raw.get("message"))
    if events is None:
        status = listed_status(message, updated or started, now, settle_after)
        finished = updated if status.is_final else None
    else:
        status = derive_status(message, events, started, now)
        finished = (_last_finish(events) or updated) if status.is_final else None
    action_id = f"{server.id}/{request_id}"
    return Action(
        ref=make_ref(backend, action_id),
        backend=backend,
        backend_type=TYPE,
        id=action_id,
        name=name,
        status=status,
        resource=server.label,
        resource_type="server",
        object_name=server.id,
        user=as_text(raw.get("user_id")),
        project_id=as_text(raw.get("project_id")),
        created_at=started,
        started_at=started,
        finished_at=finished,
        updated_at=updated,
        message=message,
        events=events or (),
        raw=raw,
    )


def parse_events(raw: object, backend: str, path: str) -> tuple[Event, ...]:
    """Events sorted by start time, each numbered among the attempts of its name.

    Raises:
        UnreadableEntryError: when ``events`` is not a list of objects with a name.
    """
    if not isinstance(raw, list):
        raise _unreadable(backend, path, "events is not a list")
    rows = [_parse_event(item, backend, path) for item in raw]
    rows.sort(key=lambda event: (event.started_at or _EARLIEST, event.name))
    totals: dict[str, int] = defaultdict(int)
    for event in rows:
        totals[event.name] += 1
    seen: dict[str, int] = defaultdict(int)
    numbered = []
    for event in rows:
        seen[event.name] += 1
        numbered.append(replace(event, attempt=seen[event.name], attempts=totals[event.name]))
    return tuple(numbered)


def _parse_event(item: object, backend: str, path: str) -> Event:
    if not isinstance(item, dict) or not isinstance(item.get("event"), str):
        raise _unreadable(backend, path, "an event is not an object with an event name")
    return Event(
        name=item["event"],
        result=as_text(item.get("result")),
        started_at=parse_time(item.get("start_time")),
        finished_at=parse_time(item.get("finish_time")),
        host=as_text(item.get("host")),
        host_id=as_text(item.get("hostId")),
        details=as_text(item.get("details")),
        traceback=as_text(item.get("traceback")),
    )


def derive_status(
    message: str | None, events: tuple[Event, ...], started: datetime | None, now: datetime
) -> Status:
    """The status of an action whose events are known (rules 1-4 above).

    An ``Error`` outcome is final like any other: only ``message`` fails an action.
    """
    if _is_error(message):
        return Status.FAILED
    if not events:
        young = started is None or now - started < EVENTLESS_GRACE
        return Status.RUNNING if young else Status.COMPLETED
    outcomes = [outcome(attempts) for attempts in group_attempts(events).values()]
    if any(result is None for result in outcomes):
        return Status.RUNNING
    return Status.COMPLETED


def listed_status(
    message: str | None, last_activity: datetime | None, now: datetime, settle_after: timedelta
) -> Status:
    """The status of a listed action: final when Nova or time says so, else unknown."""
    if _is_error(message):
        return Status.FAILED
    if last_activity is not None and now - last_activity >= settle_after:
        return Status.COMPLETED
    return Status.UNKNOWN


def group_attempts(events: tuple[Event, ...]) -> dict[str, list[Event]]:
    """Events by name, attempts oldest first (input is already sorted by start)."""
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        groups[event.name].append(event)
    return dict(groups)


def outcome(attempts: list[Event]) -> str | None:
    """The result of one event name (``None`` while in progress), see rule 2."""
    newest = attempts[-1]
    if newest.finished_at is not None:
        return newest.result or "Success"
    for older in reversed(attempts[:-1]):
        finished, began = older.finished_at, newest.started_at
        if finished is not None and (began is None or finished > began):
            return older.result or "Success"
    return None


def _last_finish(events: tuple[Event, ...]) -> datetime | None:
    finishes = [event.finished_at for event in events if event.finished_at is not None]
    return max(finishes, default=None)


def _is_error(value: str | None) -> bool:
    return (value or "").strip().lower() == "error"


def _bad(backend: str, path: str, what: str) -> BadResponseError:
    return BadResponseError(backend, f"{path}: unexpected payload ({what})")


def _unreadable(backend: str, path: str, what: str) -> UnreadableEntryError:
    return UnreadableEntryError(backend, f"{path}: unexpected payload ({what})")


def field_of(payload: Any, key: str, backend: str, path: str) -> Any:
    """``payload[key]`` of an object answer, or :class:`BadResponseError`."""
    if not isinstance(payload, dict) or key not in payload:
        raise _bad(backend, path, f"no {key!r} object")
    return payload[key]
