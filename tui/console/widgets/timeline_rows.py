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

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from rich.cells import cell_len
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
from tui.text import display_text

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


@lru_cache(maxsize=256)
def _outcome_cells(result_text: str | None, result: Outcome) -> int:
    """The width of :func:`_outcome_content` for an event whose result reads ``result_text``."""
    icon = _OUTCOME_LOOK[result][0]
    if result in (Outcome.SUCCESS, Outcome.ERROR, Outcome.OTHER):
        return cell_len(icon) + 1 + cell_len(display_text(result_text or "finished"))
    return cell_len(icon) + 1 + len(result.value)


def header_height(group: EventGroup, outcomes: Sequence[Outcome], width: int) -> int:
    """The lines :func:`group_header` takes at ``width``, building no text.

    The same flow of the same pieces, measured: exact unless a piece is wider
    than a line (then Textual folds it).
    """
    count = len(group.attempts)
    shown = min(count, OUTCOMES_NAMED)
    pieces = [cell_len(display_text(group.name)) + 2]
    if count > 1:
        pieces.append(len(f"{count:,} attempts:"))
    arrow = 2  # " →"
    named = zip(group.attempts[:shown], outcomes[:shown], strict=True)
    cells = [_outcome_cells(event.result, result) for event, result in named]
    pieces += [cell + arrow for cell in cells[:-1]] + cells[-1:]
    if count > shown:
        pieces.append(len(f"… and {count - shown:,} more"))
    lines, used = 1, -1
    for piece in pieces:
        if used >= 0 and used + 1 + piece > width:
            lines, used = lines + 1, 2 + piece
        else:
            used += 1 + piece
    return lines


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
        return header_height(self.group, self.outcomes, width)


def _attempt_lines(event: Event, explain: bool) -> int:
    """Lines of an attempt's text when nothing wraps (see :func:`attempt_content`)."""
    return (
        1
        + bool(event.host or event.host_id)
        + explain
        + bool(event.details)
        + bool(event.traceback)
    )


class TimelineRows:
    """The rows of one action's timeline, each built when first asked for.

    Opening 5,000 events groups and judges them (one pass each) but builds
    only the rows that are shown: ``rows[i]`` builds row ``i`` (a heading or
    an attempt) the first time and keeps it. Comparing two timelines
    (:meth:`same_shape`, :meth:`changed_rows`) works on the groups and builds
    no row.
    """

    def __init__(self, action: Action | None) -> None:
        """The rows of ``action`` (a note when it has no events; none for ``None``)."""
        self._groups: list[EventGroup] = []
        self._outcomes: list[tuple[Outcome, ...]] = []
        self._starts: list[int] = []
        self._explained: int | None = None
        self._built: dict[int, TimelineRow] = {}
        self._heights: list[int] = []
        """Every row's lines when nothing wraps (a heading: 1), worked out once."""
        self._estimates: tuple[int, list[int]] | None = None
        """The last width asked for and the heights at it."""
        if action is None:
            self._count = 0
            return
        if not action.events:
            self._count = 1
            return
        over = action.status.is_final
        row = 0
        heights = self._heights
        for group in group_events(action.events):
            outcomes = tuple(group_outcomes(group, action_over=over))
            self._groups.append(group)
            self._outcomes.append(outcomes)
            self._starts.append(row)
            if self._explained is None:
                number = _first_unexplained(outcomes)
                if number is not None:
                    self._explained = row + number
            heights.append(1)  # the heading's, worked out per width
            heights += [
                1 + bool(e.host or e.host_id) + bool(e.details) + bool(e.traceback)
                for e in group.attempts
            ]
            row += 1 + len(outcomes)
        if self._explained is not None:
            heights[self._explained] += 1
        self._count = row

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> TimelineRow:
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        row = self._built.get(index)
        if row is None:
            row = self._built[index] = self._build(index)
        return row

    def __iter__(self) -> Iterator[TimelineRow]:
        return (self[index] for index in range(self._count))

    @property
    def built(self) -> int:
        """How many rows have been built so far."""
        return len(self._built)

    def _place(self, index: int) -> tuple[int, int]:
        """(group, number): number 0 is the group's heading, then its attempts from 1."""
        group = bisect_right(self._starts, index) - 1
        return group, index - self._starts[group]

    def _build(self, index: int) -> TimelineRow:
        if not self._groups:
            return TimelineRow(None)
        at, number = self._place(index)
        group, outcomes = self._groups[at], self._outcomes[at]
        if not number:
            return TimelineRow(group, outcomes)
        event, explain = group.attempts[number - 1], index == self._explained
        return TimelineRow(
            group,
            outcomes,
            event,
            number,
            outcomes[number - 1],
            _attempt_lines(event, explain),
            explain,
        )

    def is_attempt(self, index: int) -> bool:
        """True when row ``index`` is an attempt (not a heading or the note); builds nothing."""
        return bool(self._groups) and 0 <= index < self._count and self._place(index)[1] > 0

    def event_at(self, index: int) -> Event | None:
        """The attempt of row ``index`` (``None`` for a heading or the note); builds nothing."""
        if not self.is_attempt(index):
            return None
        at, number = self._place(index)
        return self._groups[at].attempts[number - 1]

    def estimated_heights(self, width: int) -> list[int]:
        """Every row's lines (as :meth:`TimelineRow.estimated_height`), building no row.

        An attempt's lines do not depend on the width: they are counted once,
        when the rows are made; only the headings are measured at ``width``
        (and kept for the next call at the same width). The list is the
        caller's to keep, not to change.
        """
        if not self._groups:
            return [1] * self._count
        if self._estimates is not None and self._estimates[0] == width:
            return self._estimates[1]
        heights = self._heights.copy()
        if width:
            for start, group, outcomes in zip(
                self._starts, self._groups, self._outcomes, strict=True
            ):
                heights[start] = header_height(group, outcomes, width)
        self._estimates = (width, heights)
        return heights

    def running(self) -> list[int]:
        """The rows of attempts still running (what the clock changes)."""
        return [
            start + number
            for start, outcomes in zip(self._starts, self._outcomes, strict=True)
            if Outcome.RUNNING in outcomes
            for number, result in enumerate(outcomes, 1)
            if result is Outcome.RUNNING
        ]

    def same_shape(self, other: TimelineRows) -> bool:
        """The same rows in the same places (as :func:`same_shape`), building no row."""
        if self._count != other._count or len(self._groups) != len(other._groups):
            return False
        return all(
            a is b or [_key(e) for e in a.attempts] == [_key(e) for e in b.attempts]
            for a, b in zip(self._groups, other._groups, strict=True)
        )

    def changed_rows(self, old: TimelineRows, *, clock_moved: bool) -> list[int]:
        """The rows that read otherwise than in ``old`` (the same shape), building only those.

        A group whose attempts and outcomes are equal shows the same rows
        (its running attempts excepted when the clock moved).
        """
        changed: list[int] = []
        pairs = zip(self._groups, old._groups, self._outcomes, old._outcomes, strict=True)
        for start, (group, was, outcomes, before) in zip(self._starts, pairs, strict=True):
            if (group is was or group == was) and outcomes == before:
                if clock_moved:
                    changed += [
                        start + n
                        for n, result in enumerate(outcomes, 1)
                        if result is Outcome.RUNNING
                    ]
                continue
            for index in range(start, start + 1 + len(outcomes)):
                after, previous = self[index], old[index]
                running = clock_moved and after.result is Outcome.RUNNING
                if running or not previous.same_as(after) or previous.explain != after.explain:
                    changed.append(index)
        if old._explained != self._explained:  # the note moved from one attempt to another
            moved = {old._explained, self._explained} - {None, *changed}
            changed += [index for index in moved if index is not None]
        return sorted(changed)

    def find(self, wanted: Event | None) -> int | None:
        """The row showing ``wanted`` (as :func:`find_row`), building no row."""
        if wanted is None:
            return None
        key = _key(wanted)
        for start, group in zip(self._starts, self._groups, strict=True):
            if group.name != wanted.name:
                continue
            for number, event in enumerate(group.attempts, 1):
                if _key(event) == key:
                    return start + number
        return None


ROWS_KEPT = 4
"""How many timelines' rows :class:`RowsCache` keeps (memory: about 40 bytes an event)."""


class RowsCache:
    """The rows of the last few timelines made, by their events: showing one again builds nothing.

    Rows depend on the action's events and on whether it is over (a retry
    without a finish reads "no finish recorded" then), nothing else; an
    action is matched by its events tuple itself (the store hands out the
    same one until the events change), so a match costs nothing.
    """

    def __init__(self, size: int = ROWS_KEPT) -> None:
        """Keep at most ``size`` timelines' rows."""
        self._size = size
        self._kept: list[tuple[tuple[Event, ...], bool, TimelineRows]] = []

    def rows(self, action: Action | None) -> TimelineRows:
        """``TimelineRows(action)``, the kept one when the same events were shown before."""
        if action is None or not action.events:
            return TimelineRows(action)
        over = action.status.is_final
        for index, (events, was_over, rows) in enumerate(self._kept):
            if events is action.events and was_over == over:
                self._kept.insert(0, self._kept.pop(index))
                return rows
        rows = TimelineRows(action)
        self._kept.insert(0, (action.events, over, rows))
        del self._kept[self._size :]
        return rows


def _first_unexplained(outcomes: tuple[Outcome, ...]) -> int | None:
    """The number of the first attempt that is a retry with no finish recorded, if any."""
    if Outcome.NO_FINISH not in outcomes[1:]:
        return None
    return outcomes.index(Outcome.NO_FINISH, 1) + 1


def timeline_rows(action: Action) -> list[TimelineRow]:
    """A heading per event name, then its attempts, oldest first (a note when there are none)."""
    return list(TimelineRows(action))


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
    if isinstance(old, TimelineRows) and isinstance(new, TimelineRows):
        return new.same_shape(old)
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
    if isinstance(rows, TimelineRows):
        return rows.find(wanted)
    if wanted is None:
        return None
    for index, row in enumerate(rows):
        if row.event is not None and _key(row.event) == _key(wanted):
            return index
    return None
