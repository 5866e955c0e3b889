"""The wire JSON of one planned Seeweb action at a given instant.

Pure functions from (:class:`~tui.sim.seeweb.plan.ActionPlan`, time) to the
objects ``/ecs/v2/actions`` answers, with the real API's quirks: keys in its
order, ISO 8601 timestamps with microseconds and ``+00:00``, ``started_at`` a
few hundred microseconds *before* ``created_at``, ``completed_at: null``
while running, and ``progress`` 0 or 100 (stepped actions report 5 % steps).
No clock, no I/O.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tui.sim.seeweb.plan import FAILED_REACH, ActionPlan

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


_HOUR = 3600
_HOURS_KEPT = 4096
_hours: dict[int, str] = {}
"""``YYYY-MM-DDTHH:`` of recent hours since the epoch (a page's actions share a few)."""


def _iso(micros: int) -> str:
    """ISO 8601 with microseconds and ``+00:00``, as the real API writes.

    The date and hour come from a small cache; minutes, seconds and
    microseconds are formatted directly (a quarter of the cost of a
    ``datetime`` and its ``isoformat``, for every action a page serves).
    """
    seconds, fraction = divmod(micros, 1_000_000)
    hour, within = divmod(seconds, _HOUR)
    prefix = _hours.get(hour)
    if prefix is None:
        if len(_hours) >= _HOURS_KEPT:
            _hours.clear()
        prefix = _hours[hour] = (_EPOCH + timedelta(hours=hour)).isoformat()[:14]
    minute, second = divmod(within, 60)
    return f"{prefix}{minute:02d}:{second:02d}.{fraction:06d}+00:00"


def _progress(planned: ActionPlan, now: int) -> int:
    """Percent done at ``now``: 0 or 100 mostly, 5 % steps for stepped actions."""
    reach = FAILED_REACH if planned.fails else 100
    end = planned.created + planned.duration
    if now >= end:
        return 100 if not planned.fails else (reach if planned.stepped else 0)
    if not planned.stepped:
        return 0
    done = reach * (now - planned.created) // planned.duration
    return int(min(99, 5 * (done // 5)))


def render_action(planned: ActionPlan, action_id: int, now: int) -> dict[str, Any]:
    """The wire form of one action at ``now`` (µs), keys in the real API's order."""
    end = planned.created + planned.duration
    running = now < end
    status = "in-progress" if running else ("failed" if planned.fails else "completed")
    return {
        "id": action_id,
        "status": status,
        "user": planned.user,
        "created_at": _iso(planned.created),
        "started_at": _iso(planned.created - planned.skew),
        "completed_at": None if running else _iso(end),
        "resource": planned.resource,
        "resource_type": planned.resource_type,
        "type": planned.kind,
        "progress": _progress(planned, now),
    }
