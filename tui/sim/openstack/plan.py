"""One simulated Nova instance action, planned once and read at any clock reading.

A plan fixes, at construction, every row Nova will write for an action (the
action row and its event rows, with the times they start, finish or get
rewritten). :func:`event_view`, :func:`updated_at_us` and :func:`message`
then say what the database holds at a given moment, so the world is a pure
function of the clock. Times are integer microseconds since the Unix epoch.

Retries reproduce the shapes seen in the wild: a clean ``Error`` row
followed by a ``Success`` row (two or three attempts), and Nova's
duplicate-row artifact, where ``action_event_finish`` updates the *first* row
of that name, so the retry's own row keeps ``finish_time: null`` forever
while the first row is rewritten to ``Success`` -- after a failed first
attempt (which keeps its traceback, and the action its ``"Error"`` message)
or after one that never reported back (no error anywhere).

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace
from typing import Literal

from tui.sim.openstack.catalog import KINDS, EventSpec, failure_for, format_traceback

US = 1_000_000
"""Microseconds per second."""

Fate = Literal["ok", "fail", "retry2", "retry3", "quirk", "dup"]
"""How an action goes: fine, failed, retried (2 or 3 attempts), or retried with Nova's
duplicate row after an error (``quirk``) or after a silent first attempt (``dup``)."""


@dataclass(frozen=True, slots=True)
class EventRow:
    """One row of Nova's ``instance_actions_events`` table, over its whole life."""

    name: str
    host: str
    start_us: int
    finish_us: int | None
    """When the row gets its result; ``None`` for a row that never finishes."""
    result: str = "Success"
    """The result written at ``finish_us``."""
    details: str | None = None
    traceback: str | None = None
    rewrite_us: int | None = None
    """When a later attempt's finish rewrote this row to ``Success`` (the Nova quirk)."""


@dataclass(frozen=True, slots=True)
class EventView:
    """What an event row holds at one moment."""

    name: str
    host: str
    start_us: int
    finish_us: int | None
    result: str | None
    details: str | None
    traceback: str | None


@dataclass(frozen=True, slots=True)
class ActionPlan:
    """One instance action and every event row it will ever have (in start order)."""

    server_id: str
    request_id: str
    action: str
    start_us: int
    user_id: str | None
    project_id: str | None
    events: tuple[EventRow, ...]
    error_us: int | None
    """When the action's ``message`` becomes ``"Error"``."""
    settled_us: int
    """After this moment nothing about the action changes."""
    last_event_us: int | None
    """``updated_at`` once settled (``None`` for an action without events)."""

    def shifted(self, delta_us: int) -> ActionPlan:
        """The same plan moved in time by ``delta_us``."""
        return replace(
            self,
            start_us=self.start_us + delta_us,
            events=tuple(_shift_row(row, delta_us) for row in self.events),
            error_us=None if self.error_us is None else self.error_us + delta_us,
            settled_us=self.settled_us + delta_us,
            last_event_us=None if self.last_event_us is None else self.last_event_us + delta_us,
        )


def _shift_row(row: EventRow, delta_us: int) -> EventRow:
    return replace(
        row,
        start_us=row.start_us + delta_us,
        finish_us=None if row.finish_us is None else row.finish_us + delta_us,
        rewrite_us=None if row.rewrite_us is None else row.rewrite_us + delta_us,
    )


def event_view(row: EventRow, now_us: int) -> EventView | None:
    """The row as stored at ``now_us`` (``None`` before it is written)."""
    if row.start_us > now_us:
        return None
    if row.rewrite_us is not None and row.rewrite_us <= now_us:
        return EventView(
            row.name, row.host, row.start_us, row.rewrite_us, "Success", row.details, row.traceback
        )
    if row.finish_us is None or row.finish_us > now_us:
        return EventView(row.name, row.host, row.start_us, None, None, None, None)
    failed = row.result == "Error"
    return EventView(
        row.name,
        row.host,
        row.start_us,
        row.finish_us,
        row.result,
        row.details if failed else None,
        row.traceback if failed else None,
    )


def updated_at_us(plan: ActionPlan, now_us: int) -> int | None:
    """The action row's ``updated_at``: bumped at every event start and finish."""
    if plan.settled_us <= now_us:
        return plan.last_event_us
    latest: int | None = None
    for row in plan.events:
        for moment in (row.start_us, row.finish_us, row.rewrite_us):
            if moment is not None and moment <= now_us and (latest is None or moment > latest):
                latest = moment
    return latest


def message(plan: ActionPlan, now_us: int) -> str | None:
    """``"Error"`` once any event has finished in error (Nova never clears it)."""
    return "Error" if plan.error_us is not None and plan.error_us <= now_us else None


@dataclass(frozen=True)
class PlanContext:
    """Who and where an action runs: fixed per server and caller."""

    server_id: str
    host: str
    other_host: str
    conductor: str
    user_id: str | None
    project_id: str | None


def plan_action(
    rng: random.Random,
    ctx: PlanContext,
    *,
    kind: str,
    start_us: int,
    fate: Fate = "ok",
    lead_s: float | None = None,
) -> ActionPlan:
    """Draw one action of ``kind`` starting at ``start_us``.

    Args:
        rng: the generator to draw durations and ids from.
        ctx: server, hosts and caller.
        kind: the Nova action name (a key of :data:`~tui.sim.openstack.catalog.KINDS`).
        start_us: the action's ``start_time``.
        fate: how it goes; kinds without events always go fine.
        lead_s: seconds before the first event starts (drawn when ``None``).
    """
    request_id = f"req-{new_uuid(rng)}"
    specs = KINDS[kind]
    lead = lead_s if lead_s is not None else rng.uniform(0.1, 1.5)
    rows = _plan_events(rng, ctx, specs, start_us + _us(lead), fate if specs else "ok")
    errors = [row.finish_us for row in rows if row.result == "Error" and row.finish_us is not None]
    moments = [
        m for row in rows for m in (row.start_us, row.finish_us, row.rewrite_us) if m is not None
    ]
    return ActionPlan(
        server_id=ctx.server_id,
        request_id=request_id,
        action=kind,
        start_us=start_us,
        user_id=ctx.user_id,
        project_id=ctx.project_id,
        events=tuple(rows),
        error_us=min(errors) if errors else None,
        settled_us=max(moments, default=start_us),
        last_event_us=max(moments, default=None),
    )


def _plan_events(
    rng: random.Random, ctx: PlanContext, specs: tuple[EventSpec, ...], at_us: int, fate: Fate
) -> list[EventRow]:
    """Lay the events out one after another, failing or retrying one of them."""
    special = _pick_special(rng, specs)
    rows: list[EventRow] = []
    for index, spec in enumerate(specs):
        host = {"conductor": ctx.conductor, "dest": ctx.other_host}.get(spec.where, ctx.host)
        duration = _us(rng.uniform(spec.min_s, spec.max_s))
        if index == special and fate != "ok":
            produced = _special_rows(rng, spec.name, host, at_us, duration, fate)
            rows.extend(produced)
            if fate == "fail":
                break
        else:
            rows.append(EventRow(spec.name, host, at_us, at_us + duration))
        at_us = max(_end(row) for row in rows) + _us(rng.uniform(0.05, 1.5))
    return rows


def _pick_special(rng: random.Random, specs: tuple[EventSpec, ...]) -> int:
    """The event that fails or is retried: the longest one, or a random one."""
    if not specs:
        return -1
    longest = max(range(len(specs)), key=lambda i: specs[i].max_s)
    return longest if rng.random() < 0.6 else rng.randrange(len(specs))


def _special_rows(
    rng: random.Random, name: str, host: str, at_us: int, duration: int, fate: Fate
) -> list[EventRow]:
    """The rows of a failed or retried event."""
    if fate == "dup":
        return _duplicated(rng, EventRow(name, host, at_us, None), at_us + duration, duration)
    failure = failure_for(name)
    error = EventRow(
        name,
        host,
        at_us,
        at_us + int(duration * rng.uniform(0.3, 1.0)),
        "Error",
        failure.details,
        format_traceback(failure),
    )
    if fate == "fail":
        return [error]
    if fate == "quirk":
        return _duplicated(rng, error, _end(error), duration)
    rows = [error]
    if fate == "retry3":
        rows.append(_retry_row(rng, error, duration, "Error"))
    rows.append(_retry_row(rng, rows[-1], duration, "Success"))
    return rows


def _duplicated(
    rng: random.Random, first: EventRow, first_end_us: int, duration: int
) -> list[EventRow]:
    """Nova's artifact: the retry's finish rewrites ``first``; the retry's own row never does."""
    start = first_end_us + _us(rng.uniform(0.5, 5.0))
    return [
        replace(first, rewrite_us=start + duration),
        EventRow(first.name, first.host, start, None),
    ]


def _retry_row(rng: random.Random, previous: EventRow, duration: int, result: str) -> EventRow:
    start = _end(previous) + _us(rng.uniform(0.5, 5.0))
    finish = start + duration
    if result == "Success":
        return EventRow(previous.name, previous.host, start, finish)
    return replace(previous, start_us=start, finish_us=finish)


def _end(row: EventRow) -> int:
    """The last moment a row changes."""
    return max(m for m in (row.start_us, row.finish_us, row.rewrite_us) if m is not None)


def _us(seconds: float) -> int:
    return round(seconds * US)


def new_uuid(rng: random.Random) -> str:
    """A version-4 UUID string drawn from ``rng`` (deterministic)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
