"""Nova's event attempts, grouped by name, and how each one ended.

Nova repeats an event name when it retries; :func:`group_events` puts the
attempts of one name together, oldest first. Nova records a retry's finish on
the *first* row of that name, so a later duplicate may never get a finish
time: when an earlier attempt succeeded (or the action is over) such an
attempt ended with "no finish recorded", not "running". Pure data: this
module builds no text and imports no Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from tui.model import Event


class Outcome(StrEnum):
    """How one event attempt ended, as the timeline shows it."""

    SUCCESS = "success"
    ERROR = "error"
    RUNNING = "running"
    NO_FINISH = "no finish recorded"
    OTHER = "other"


@dataclass(frozen=True)
class EventGroup:
    """All attempts of one event name, oldest first."""

    name: str
    attempts: tuple[Event, ...]


def _start_key(event: Event) -> datetime:
    return event.started_at or datetime.min.replace(tzinfo=UTC)


def oldest_first(events: Sequence[Event]) -> list[Event]:
    """``events`` by start time (Nova lists them newest first); unknown starts first."""
    return sorted(events, key=_start_key)


def group_events(events: Sequence[Event]) -> list[EventGroup]:
    """Group events by name; groups and attempts ordered oldest first."""
    by_name: dict[str, list[Event]] = {}
    for event in oldest_first(events):
        by_name.setdefault(event.name, []).append(event)
    return [EventGroup(name, tuple(attempts)) for name, attempts in by_name.items()]


def _succeeded(event: Event) -> bool:
    return (event.result or "").lower() == "success"


def outcome(event: Event, earlier: Sequence[Event], *, action_over: bool) -> Outcome:
    """How ``event`` ended, given the attempts of its name that came before it."""
    return _outcome(event, any(_succeeded(e) for e in earlier), action_over=action_over)


def _outcome(
    event: Event, succeeded_before: bool, *, action_over: bool, result: str | None = None
) -> Outcome:
    if result is None:
        result = (event.result or "").lower()
    if result == "success":
        return Outcome.SUCCESS
    if result == "error":
        return Outcome.ERROR
    if event.result or event.finished_at is not None:
        return Outcome.OTHER
    return Outcome.NO_FINISH if succeeded_before or action_over else Outcome.RUNNING


def group_outcomes(group: EventGroup, *, action_over: bool) -> list[Outcome]:
    """The outcome of every attempt of ``group``, in order (one pass over the attempts)."""
    outcomes: list[Outcome] = []
    add = outcomes.append
    succeeded = False
    for event in group.attempts:  # _outcome, inlined: 10,000 attempts add up
        result = (event.result or "").lower()
        if result == "success":
            add(Outcome.SUCCESS)
            succeeded = True
        elif result == "error":
            add(Outcome.ERROR)
        elif event.result or event.finished_at is not None:
            add(Outcome.OTHER)
        else:
            add(Outcome.NO_FINISH if succeeded or action_over else Outcome.RUNNING)
    return outcomes
