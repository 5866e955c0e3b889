"""The rows of the events timeline, as text: a heading per event name, then its attempts.

A heading names the outcomes of its attempts in the order they ran
(``compute_prep_resize — 3 attempts: ✖ Error → ✖ Error → ✔ Success``); an
attempt shows its outcome, times, host, details and whether it has a
traceback, failed ones in the error colour with an icon. A retry Nova never
recorded a finish for reads "◌ no finish recorded", muted, and the first
such attempt of the timeline (only that one) says why. Rows are built and
wrapped one at a time, for the rows on screen; :func:`same_shape` and
:func:`find_row` tell whether a refreshed list keeps its rows in place and
where an attempt went. Pure: this module turns events into ``Content`` and
knows nothing of the widget that scrolls them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from textual.content import Content

from tui.console.widgets.event_groups import EventGroup, Outcome, group_events, group_outcomes
from tui.console.widgets.formatting import (
    LAYOUT_CHARS,
    MUTED,
    literal,
    status_style,
)
from tui.console.widgets.wrapping import flow, flow_lines, hang
from tui.format import duration_text, running_duration_text, seconds_between, time_text
from tui.model import STATUS_ICONS, Action, Event, Status

HOST_ID_WIDTH = 12
"""How many characters of the (long, hashed) ``hostId`` are shown."""

TRACEBACK_HINT = "t: view traceback"
"""Shown under an event that has a traceback."""

NO_EVENTS = "No events recorded (yet)."
"""Shown instead of the timeline when the server listed no events."""

NOVA_RETRY_NOTE = "Nova records a retry's finish on the first attempt of its name"
"""Explains a retried attempt that never got a finish time."""

OUTCOMES_NAMED = 20
"""A heading names the outcomes of this many attempts, then counts the rest."""

DETAILS_SHOWN = LAYOUT_CHARS
"""Characters of an event's ``details`` shown under it (the raw JSON keeps them all)."""


_OUTCOME_LOOK = {
    Outcome.SUCCESS: (STATUS_ICONS[Status.COMPLETED], status_style(Status.COMPLETED)),
    Outcome.ERROR: (STATUS_ICONS[Status.FAILED], status_style(Status.FAILED)),
    Outcome.RUNNING: (STATUS_ICONS[Status.RUNNING], status_style(Status.RUNNING)),
    Outcome.NO_FINISH: ("◌", MUTED),
    Outcome.OTHER: (STATUS_ICONS[Status.UNKNOWN], status_style(Status.UNKNOWN)),
}


def _outcome_content(event: Event, result: Outcome) -> Content:
    icon, style = _OUTCOME_LOOK[result]
    if result in (Outcome.SUCCESS, Outcome.ERROR, Outcome.OTHER):
        return Content.assemble((f"{icon} ", style), literal(event.result or "finished", style))
    return Content.styled(f"{icon} {result.value}", style)


def group_header(
    group: EventGroup, outcomes: Sequence[Outcome], width: int | None = None
) -> Content:
    """``name — 3 attempts: ✖ Error → ✖ Error → ✔ Success`` (or ``name — ✔ Success``).

    Wider than ``width``, it wraps between outcomes, never inside one. Past
    :data:`OUTCOMES_NAMED` attempts the rest are counted (``… and 9,980 more``).
    """
    shown = zip(group.attempts[:OUTCOMES_NAMED], outcomes[:OUTCOMES_NAMED], strict=True)
    parts = [_outcome_content(e, o) for e, o in shown]
    count = len(group.attempts)
    pieces = [Content.assemble(literal(group.name, "bold"), " —")]
    if count > 1:
        pieces.append(Content(f"{count:,} attempts:"))
    arrow = Content.styled(" →", MUTED)
    pieces += [part + arrow for part in parts[:-1]] + parts[-1:]
    if count > len(parts):
        pieces.append(Content.styled(f"… and {count - len(parts):,} more", MUTED))
    return flow(pieces, width, indent=2)


def clock_time(value: datetime | None, day: str) -> str:
    """``11:55:00`` on ``day`` (``YYYY-MM-DD``), else ``2026-03-13 23:59:00``."""
    return time_text(value, day=date.fromisoformat(day) if day[:1].isdigit() else None)


def _times(event: Event, result: Outcome, now: datetime, day: str) -> Content:
    start = clock_time(event.started_at, day)
    if event.finished_at is not None:
        took = seconds_between(event.started_at, event.finished_at)
        length = f" ({duration_text(took)})" if took is not None else ""
        return Content(f"{start} → {clock_time(event.finished_at, day)} UTC{length}")
    if result is Outcome.RUNNING:
        so_far = seconds_between(event.started_at, now)
        running = f" ({running_duration_text(so_far)} so far)" if so_far is not None else ""
        return Content(f"{start} UTC → …{running}")
    return Content(f"started {start} UTC")


def _host_pieces(event: Event) -> list[Content]:
    pieces: list[Content] = []
    if event.host:
        pieces.append(Content.assemble(("host ", MUTED), literal(event.host)))
    if event.host_id:
        host_id = event.host_id
        short = host_id if len(host_id) <= HOST_ID_WIDTH else host_id[:HOST_ID_WIDTH] + "…"
        pieces.append(Content.assemble(("hostId ", MUTED), literal(short)))
    return pieces


def _indented(pieces: Sequence[Content], width: int | None, separator: str) -> list[Content]:
    """Lines under an attempt's first line (indent 4), wrapped between pieces."""
    if not pieces:
        return []
    room = None if width is None else width - 4
    return [Content("    ") + line for line in flow_lines(pieces, room, separator=separator)]


def attempt_content(
    event: Event,
    number: int,
    count: int,
    result: Outcome,
    *,
    now: datetime,
    day: str = "",
    width: int | None = None,
    explain: bool = False,
) -> Content:
    """The lines shown for one attempt (the option the cursor moves over).

    Args:
        event: the attempt.
        number: its 1-based number among the attempts of its name.
        count: how many attempts of that name there are.
        result: how it ended.
        now: the time running attempts are measured to.
        day: ``YYYY-MM-DD`` (UTC) on which times are shown without their date.
        width: cells available; longer lines wrap, indented under the attempt.
        explain: say why a retry has no finish (once per timeline: the first such row).
    """
    pieces = [_outcome_content(event, result), _times(event, result, now, day)]
    if count > 1:
        pieces.insert(0, Content(f"attempt {number}/{count}"))
    room = None if width is None else width - 2
    first, *more = flow_lines(pieces, room, separator="  ", indent=2)
    lines = [Content("  ") + first, *(Content("    ") + line for line in more)]
    lines += _indented(_host_pieces(event), width, "  ·  ")
    if explain:
        lines.append(hang(Content("    "), Content.styled(NOVA_RETRY_NOTE, MUTED), width))
    if event.details:
        label = Content.assemble("    ", ("details ", MUTED))
        lines.append(hang(label, _details_prefix(event.details), width))
    if event.traceback:
        lines.append(Content.styled(f"    {TRACEBACK_HINT}", "$accent"))
    return Content("\n").join(lines)


def _details_prefix(details: str) -> Content:
    """``details`` cut at :data:`DETAILS_SHOWN` characters, saying how many are left out."""
    return literal(details, limit=DETAILS_SHOWN)


@dataclass(eq=False, slots=True)
class TimelineRow:
    """One line group of the timeline: a heading, one attempt, or the "no events" note."""

    group: EventGroup | None
    """The attempts of the row's name (``None`` for the note)."""
    outcomes: tuple[Outcome, ...] = ()
    """How each attempt of the group ended."""
    event: Event | None = None
    """The attempt (``None`` for a heading or the note)."""
    number: int = 0
    """The attempt's 1-based number among the group's attempts."""
    result: Outcome | None = None
    """How the row's attempt ended."""
    lines: int = 1
    """Lines of the row when nothing wraps."""
    explain: bool = False
    """The row says why a retry has no finish recorded (the first such row only)."""

    def same_as(self, other: TimelineRow) -> bool:
        """True when both rows show the same thing (a running one also depends on the clock)."""
        if self.event is None or other.event is None:
            if self.group is None or other.group is None:
                return self.group is other.group
            return (
                other.event is None
                and self.group.name == other.group.name
                and self.outcomes == other.outcomes
            )
        return (
            self.number == other.number
            and self.result == other.result
            and len(self.outcomes) == len(other.outcomes)
            and self.event == other.event
        )

    def estimated_height(self, width: int) -> int:
        """Lines of the row: exact when nothing wraps, a guess for a long heading."""
        if self.event is not None or self.group is None:
            return self.lines
        named = min(len(self.outcomes), OUTCOMES_NAMED)
        return 1 + (len(self.group.name) + 11 * named) // max(width, 20)


def _attempt_lines(event: Event, explain: bool) -> int:
    """Lines of an attempt's text when nothing wraps (see :func:`attempt_content`)."""
    return (
        1
        + bool(event.host or event.host_id)
        + explain
        + bool(event.details)
        + bool(event.traceback)
    )


def _unexplained_retry(number: int, result: Outcome) -> bool:
    return result is Outcome.NO_FINISH and number > 1


def timeline_rows(action: Action) -> list[TimelineRow]:
    """A heading per event name, then its attempts, oldest first (a note when there are none)."""
    if not action.events:
        return [TimelineRow(None)]
    over = action.status.is_final
    rows: list[TimelineRow] = []
    add = rows.append
    explained = False
    for group in group_events(action.events):
        outcomes = tuple(group_outcomes(group, action_over=over))
        add(TimelineRow(group, outcomes))
        for number, (event, result) in enumerate(zip(group.attempts, outcomes, strict=True), 1):
            explain = not explained and _unexplained_retry(number, result)
            explained = explained or explain
            add(
                TimelineRow(
                    group, outcomes, event, number, result, _attempt_lines(event, explain), explain
                )
            )
    return rows


def row_content(row: TimelineRow, now: datetime, day: str, width: int | None) -> Content:
    """The text of ``row``, pre-wrapped within ``width``."""
    if row.group is None:
        return Content.styled(NO_EVENTS, MUTED)
    if row.event is None:
        return group_header(row.group, row.outcomes, width)
    count = len(row.group.attempts)
    result = row.result or Outcome.OTHER
    return attempt_content(
        row.event, row.number, count, result, now=now, day=day, width=width, explain=row.explain
    )


def same_shape(old: Sequence[TimelineRow], new: Sequence[TimelineRow]) -> bool:
    """The same rows in the same places: same headings, same attempts by name and start."""
    if len(old) != len(new):
        return False
    return all(
        (a.event is None) == (b.event is None)
        and (a.event is None or b.event is None or _key(a.event) == _key(b.event))
        and (a.group is None) == (b.group is None)
        for a, b in zip(old, new, strict=True)
    )


def _key(event: Event) -> tuple[str, datetime | None]:
    return event.name, event.started_at


def find_row(rows: Sequence[TimelineRow], wanted: Event | None) -> int | None:
    """The row showing ``wanted`` (matched by name and start), if any."""
    if wanted is None:
        return None
    for index, row in enumerate(rows):
        if row.event is not None and _key(row.event) == _key(wanted):
            return index
    return None
