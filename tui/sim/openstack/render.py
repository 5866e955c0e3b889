"""Nova's JSON for instance actions, field by field per microversion; faults and timestamps.

=====  ============================================================================
 mv    what changes in ``os-instance-actions``
=====  ============================================================================
 2.1   action keys; ``events`` in show only for admins (with ``traceback``)
 2.51  ``events`` always in show; non-admins get no ``traceback`` key
 2.58  ``updated_at`` (nullable) on list and show
 2.62  events gain ``hostId`` (always; ``""`` without host) and ``host`` (admins)
 2.84  events gain ``details`` (admins; nullable)
=====  ============================================================================

Timestamps are naive ISO 8601 with microseconds, as Nova sends them.
This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from hashlib import sha224
from typing import Any

from tui.sim.openstack.plan import US, ActionPlan, EventView, event_view, message, updated_at_us

Version = tuple[int, int]

MAX_LIMIT = 1000
"""Nova's ``[api] max_limit``: the default and the cap of ``limit`` on paged lists."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

FAULT_NAMES = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
    429: "overLimit",
    501: "notImplemented",
    503: "serviceUnavailable",
}
"""Nova's fault body root per status; anything else is ``computeFault``."""


def fault(status: int, text: str) -> dict[str, Any]:
    """Nova's fault body: ``{"<faultName>": {"code": ..., "message": ...}}``."""
    return {FAULT_NAMES.get(status, "computeFault"): {"code": status, "message": text}}


def naive(moment_us: int | None) -> str | None:
    """Nova's naive timestamp with microseconds (UTC implied)."""
    if moment_us is None:
        return None
    return (_EPOCH + timedelta(microseconds=moment_us)).strftime("%Y-%m-%dT%H:%M:%S.%f")


def parse_time(value: str | None) -> int | None:
    """An ISO 8601 query value as microseconds (naive means UTC); ``None`` when invalid."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * US + delta.microseconds


def zulu(moment_us: int) -> str:
    """The ``...Z`` form Nova uses for server timestamps (seconds precision)."""
    return (_EPOCH + timedelta(microseconds=moment_us)).strftime("%Y-%m-%dT%H:%M:%SZ")


def host_id(project_id: str, host: str) -> str:
    """Nova's obfuscated host id: ``sha224(project_id + host)``, ``""`` without host."""
    return sha224((project_id + host).encode()).hexdigest() if host else ""


def action_body(plan: ActionPlan, now_us: int, version: Version) -> dict[str, Any]:
    """One action as listed (no events)."""
    body: dict[str, Any] = {
        "action": plan.action,
        "instance_uuid": plan.server_id,
        "message": message(plan, now_us),
        "project_id": plan.project_id,
        "request_id": plan.request_id,
        "start_time": naive(plan.start_us),
        "user_id": plan.user_id,
    }
    if version >= (2, 58):
        body["updated_at"] = naive(updated_at_us(plan, now_us))
    return body


def action_detail(
    plan: ActionPlan, now_us: int, version: Version, *, admin: bool, project_id: str
) -> dict[str, Any]:
    """One action as shown, with events when the caller may see them."""
    body = action_body(plan, now_us, version)
    if not admin and version < (2, 51):
        return body
    views = [v for v in (event_view(row, now_us) for row in plan.events) if v is not None]
    ordered = sorted(enumerate(views), key=lambda pair: (pair[1].start_us, pair[0]), reverse=True)
    body["events"] = [
        event_body(view, version, admin=admin, project_id=project_id) for _, view in ordered
    ]
    return body


def event_body(
    view: EventView, version: Version, *, admin: bool, project_id: str
) -> dict[str, Any]:
    """One event row in the fields this microversion and caller get."""
    body: dict[str, Any] = {
        "event": view.name,
        "start_time": naive(view.start_us),
        "finish_time": naive(view.finish_us),
        "result": view.result,
    }
    if admin:
        body["traceback"] = view.traceback
    if version >= (2, 62):
        body["hostId"] = host_id(project_id, view.host)
        if admin:
            body["host"] = view.host
    if version >= (2, 84) and admin:
        body["details"] = view.details
    return body
