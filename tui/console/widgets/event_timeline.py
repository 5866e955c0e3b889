"""Timelines in the detail pane: Nova events with retries grouped, and the Seeweb lifecycle.

Nova repeats an event name when it retries; the attempts are grouped under
one heading (``compute_prep_resize — 3 attempts: ✖ Error, ✖ Error, ✔ Success``)
and listed oldest first, failed ones in the error colour with an icon. Nova
records a retry's finish on the *first* row of that name, so a later
duplicate may never get a finish time: when an earlier attempt succeeded (or
the action is over) such an attempt reads "no finish recorded", not
"running". The timeline is virtual: only the rows on screen are built and
wrapped, so 10,000 events cost what ten do. This module shows events; it
never fetches them and never opens the traceback itself (the detail pane
turns a selection into a message).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.events import Click, MouseMove
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from tui.console.widgets.formatting import (
    LAYOUT_CHARS,
    MUTED,
    literal,
    status_label,
    status_style,
)
from tui.console.widgets.row_layout import RowLayout
from tui.console.widgets.wrapping import flow, flow_lines, hang
from tui.format import age_text, duration_text, seconds_between, time_text
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


class Outcome(StrEnum):
    """How one event attempt ended, as the timeline shows it."""

    SUCCESS = "success"
    ERROR = "error"
    RUNNING = "running"
    NO_FINISH = "no finish recorded"
    OTHER = "other"


_OUTCOME_LOOK = {
    Outcome.SUCCESS: (STATUS_ICONS[Status.COMPLETED], status_style(Status.COMPLETED)),
    Outcome.ERROR: (STATUS_ICONS[Status.FAILED], status_style(Status.FAILED)),
    Outcome.RUNNING: (STATUS_ICONS[Status.RUNNING], status_style(Status.RUNNING)),
    Outcome.NO_FINISH: ("◌", MUTED),
    Outcome.OTHER: (STATUS_ICONS[Status.UNKNOWN], status_style(Status.UNKNOWN)),
}


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


def _outcome(event: Event, succeeded_before: bool, *, action_over: bool) -> Outcome:
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
    succeeded = False
    for event in group.attempts:
        outcomes.append(_outcome(event, succeeded, action_over=action_over))
        succeeded = succeeded or _succeeded(event)
    return outcomes


def _outcome_content(event: Event, result: Outcome) -> Content:
    icon, style = _OUTCOME_LOOK[result]
    if result in (Outcome.SUCCESS, Outcome.ERROR, Outcome.OTHER):
        return Content.assemble((f"{icon} ", style), literal(event.result or "finished", style))
    return Content.styled(f"{icon} {result.value}", style)


def group_header(
    group: EventGroup, outcomes: Sequence[Outcome], width: int | None = None
) -> Content:
    """``name — 3 attempts: ✖ Error, ✖ Error, ✔ Success`` (or ``name — ✔ Success``).

    Wider than ``width``, it wraps between outcomes, never inside one. Past
    :data:`OUTCOMES_NAMED` attempts the rest are counted (``… and 9,980 more``).
    """
    shown = zip(group.attempts[:OUTCOMES_NAMED], outcomes[:OUTCOMES_NAMED], strict=True)
    parts = [_outcome_content(e, o) for e, o in shown]
    count = len(group.attempts)
    pieces = [Content.assemble(literal(group.name, "bold"), " —")]
    if count > 1:
        pieces.append(Content(f"{count:,} attempts:"))
    pieces += [part + "," for part in parts[:-1]] + parts[-1:]
    if count > len(parts):
        pieces.append(Content.styled(f"… and {count - len(parts):,} more", MUTED))
    return flow(pieces, width, indent=2)


def _clock(value: datetime | None, day: str) -> str:
    """``11:55:00`` on ``day`` (``YYYY-MM-DD``), else ``2026-03-13 23:59:00``."""
    return time_text(value, day=date.fromisoformat(day) if day[:1].isdigit() else None)


def _times(event: Event, result: Outcome, now: datetime, day: str) -> Content:
    start = _clock(event.started_at, day)
    if event.finished_at is not None:
        took = seconds_between(event.started_at, event.finished_at)
        length = f" ({duration_text(took)})" if took is not None else ""
        return Content(f"{start} → {_clock(event.finished_at, day)} UTC{length}")
    if result is Outcome.RUNNING:
        so_far = seconds_between(event.started_at, now)
        running = f" ({duration_text(so_far)} so far)" if so_far is not None else ""
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
    """
    pieces = [_outcome_content(event, result), _times(event, result, now, day)]
    if count > 1:
        pieces.insert(0, Content(f"attempt {number}/{count}"))
    room = None if width is None else width - 2
    first, *more = flow_lines(pieces, room, separator="  ", indent=2)
    lines = [Content("  ") + first, *(Content("    ") + line for line in more)]
    lines += _indented(_host_pieces(event), width, "  ·  ")
    if result is Outcome.NO_FINISH and number > 1:
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


def _attempt_lines(event: Event, number: int, result: Outcome) -> int:
    """Lines of an attempt's text when nothing wraps (see :func:`attempt_content`)."""
    extra = result is Outcome.NO_FINISH and number > 1
    return (
        1 + bool(event.host or event.host_id) + extra + bool(event.details) + bool(event.traceback)
    )


def timeline_rows(action: Action) -> list[TimelineRow]:
    """A heading per event name, then its attempts, oldest first (a note when there are none)."""
    if not action.events:
        return [TimelineRow(None)]
    over = action.status.is_final
    rows: list[TimelineRow] = []
    for group in group_events(action.events):
        outcomes = tuple(group_outcomes(group, action_over=over))
        rows.append(TimelineRow(group, outcomes))
        rows += [
            TimelineRow(
                group, outcomes, event, number, result, _attempt_lines(event, number, result)
            )
            for number, (event, result) in enumerate(zip(group.attempts, outcomes, strict=True), 1)
        ]
    return rows


def row_content(row: TimelineRow, now: datetime, day: str, width: int | None) -> Content:
    """The text of ``row``, pre-wrapped within ``width``."""
    if row.group is None:
        return Content.styled(NO_EVENTS, MUTED)
    if row.event is None:
        return group_header(row.group, row.outcomes, width)
    count = len(row.group.attempts)
    result = row.result or Outcome.OTHER
    return attempt_content(row.event, row.number, count, result, now=now, day=day, width=width)


ROW_CACHE_SIZE = 512
"""How many rows' rendered lines are kept (per look: plain, under the cursor, under the mouse)."""

_LOOKS = ("", "event-timeline--cursor", "event-timeline--hover")


class EventTimeline(ScrollView, can_focus=True):
    """Nova events, grouped by name; the cursor moves over attempts (headings are skipped).

    A virtual list (Textual's line API): only rows that come into view are
    built, wrapped and rendered, so 10,000 events open and scroll as fast as
    ten. Enter (or a click) on an attempt posts :class:`AttemptSelected`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"event-timeline--cursor", "event-timeline--hover"}

    DEFAULT_CSS = """
    EventTimeline {
        height: auto;
        max-height: 100%;
        overflow-x: hidden;
        overflow-y: auto;
        border: none;
        border-left: blank;
        padding: 0;
        color: $foreground;
        background: transparent;
        & > .event-timeline--cursor {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .event-timeline--hover {
            background: $block-hover-background;
        }
        &:focus {
            border: none;
            border-left: tall $primary;
            background-tint: transparent;
            & > .event-timeline--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    class AttemptSelected(Message):
        """Enter or a click on an attempt."""

        def __init__(self, timeline: EventTimeline, event: Event, index: int) -> None:
            """Create the message.

            Args:
                timeline: the timeline it comes from.
                event: the attempt selected.
                index: its row in the timeline.
            """
            super().__init__()
            self.timeline = timeline
            self.event = event
            """The attempt selected."""
            self.index = index
            """Its row in the timeline."""

        @property
        def control(self) -> EventTimeline:
            """The timeline (so ``@on(..., "#id")`` can match it)."""
            return self.timeline

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty timeline.

        Args:
            id: the widget id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes)
        self._action: Action | None = None
        self._rows: list[TimelineRow] = []
        self._running_rows: list[int] = []
        self._layout = RowLayout([])
        self._strips: LRUCache[tuple[int, str], list[Strip]] = LRUCache(ROW_CACHE_SIZE)
        self._hover: int | None = None
        self._now = datetime.min.replace(tzinfo=UTC)
        self._day = ""
        self._width = 0
        self.cursor: int | None = None
        """The row under the cursor (always an attempt), if any."""

    @property
    def row_count(self) -> int:
        """Headings and attempts."""
        return len(self._rows)

    @property
    def highlighted_event(self) -> Event | None:
        """The attempt under the cursor, if any."""
        return None if self.cursor is None else self._rows[self.cursor].event

    def event_at(self, index: int) -> Event | None:
        """The attempt shown by row ``index`` (``None`` for headings)."""
        return self._rows[index].event if 0 <= index < len(self._rows) else None

    def row_contents(self) -> list[Content]:
        """The text of every row at the current width (costs every row: for tests and copies)."""
        width = self._content_width()
        return [row_content(row, self._now, self._day, width) for row in self._rows]

    def show_action(self, action: Action, now: datetime, *, keep_cursor: bool = True) -> None:
        """Show ``action``'s events.

        When the events are the same ones as before, only rows whose text
        changed are rendered again, so the scroll position and cursor stay
        put; otherwise the list starts afresh and the cursor follows its
        attempt when it still exists.

        Args:
            action: the action whose events to show.
            now: the time ages and running durations are measured to.
            keep_cursor: keep the cursor on its attempt (``False`` for a new action).
        """
        keep = self.highlighted_event if keep_cursor else None
        clock_moved = now != self._now
        self._now, self._day = now, time_text(action.created_at)[:10]
        if keep_cursor and action is self._action:
            if clock_moved:  # only running attempts measure anything against the clock
                for index in self._running_rows:
                    self._forget_row(index)
                self.refresh()
            return
        self._action = action
        rows = timeline_rows(action)
        self._running_rows = [i for i, row in enumerate(rows) if row.result is Outcome.RUNNING]
        if keep_cursor and _same_shape(self._rows, rows):
            old, self._rows = self._rows, rows
            for index, (before, after) in enumerate(zip(old, rows, strict=True)):
                running = clock_moved and after.result is Outcome.RUNNING
                if running or not before.same_as(after):
                    self._forget_row(index)
            self.refresh()
            return
        self._rows = rows
        self.cursor = _find(rows, keep)
        self._restart_layout()
        self.scroll_to(y=0, animate=False)
        self._scroll_to_cursor()

    @property
    def _laid_out(self) -> bool:
        """True once the rows have heights for the current width."""
        return bool(self._width) and len(self._layout) == len(self._rows)

    def _forget_row(self, index: int) -> None:
        if index < len(self._layout):
            self._layout.forget(index)
        for look in _LOOKS:
            self._strips.discard((index, look))

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    def _restart_layout(self) -> None:
        self._width = width = self._content_width()
        estimates = [row.estimated_height(width) for row in self._rows] if width else []
        self._layout = RowLayout(estimates)
        self._strips.clear()
        self._lay_out_visible(update=False)
        self._update_virtual_size()
        self.refresh()

    def _update_virtual_size(self) -> None:
        size = Size(self._width, self._layout.total)
        if size != self.virtual_size:
            self.virtual_size = size

    def on_resize(self) -> None:
        """Wrap the rows again when the room for them changed (the cursor stays)."""
        if self._content_width() != self._width or len(self._layout) != len(self._rows):
            self._restart_layout()
            self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        """A theme or style change: render the rows again in the new colours."""
        self._strips.clear()
        super().notify_style_update()

    def _row_strips(self, index: int, *, update: bool = True) -> list[Strip]:
        """Row ``index`` rendered (in the cursor's style when it is under the cursor).

        Laying a row out may change its height; ``update`` says whether to
        resize the scrollable area straight away.
        """
        look = self._look(index)
        key = (index, look)
        strips = self._strips.get(key)
        if strips is None:
            style = self.get_visual_style(look) if look else self.visual_style
            width = self._width
            content = row_content(self._rows[index], self._now, self._day, width or None)
            rendered = Visual.to_strips(self, content, width, None, style) if width else []
            strips = [strip.extend_cell_length(width, style.rich_style) for strip in rendered]
            self._strips[key] = strips
            if self._layout.set_exact(index, len(strips)) and update:
                self._update_virtual_size()
        return strips

    def _lay_out(self, index: int, *, update: bool = True) -> None:
        if not self._layout.is_exact(index):
            self._row_strips(index, update=update)

    def _lay_out_visible(self, *, update: bool = True) -> None:
        """Make every row on screen exact before painting (heights settle in a pass or two)."""
        if not self._rows or not self._laid_out:
            return
        top = self.scroll_offset.y
        for _ in range(4):
            first = self._layout.row_at(top)
            last = self._layout.row_at(top + self.scrollable_content_region.height)
            pending = [row for row in range(first, last + 1) if not self._layout.is_exact(row)]
            if not pending:
                return
            for row in pending:
                self._lay_out(row, update=update)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Lay out the visible rows, then paint."""
        self._lay_out_visible()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget."""
        line = self.scroll_offset.y + y
        width = self._content_width()
        if not self._laid_out or line >= self._layout.total:
            return Strip.blank(width, self.visual_style.rich_style)
        row = self._layout.row_at(line)
        strips = self._row_strips(row)
        offset = line - self._layout.start(row)
        if offset >= len(strips):
            return Strip.blank(width, self.visual_style.rich_style)
        return strips[offset]

    def _look(self, index: int) -> str:
        """The component class row ``index`` is drawn with ("" for none)."""
        if index == self.cursor:
            return "event-timeline--cursor"
        return "event-timeline--hover" if index == self._hover else ""

    def _move_cursor(self, row: int | None) -> None:
        self.cursor = row
        self._scroll_to_cursor()
        self.refresh()

    def on_mouse_move(self, move: MouseMove) -> None:
        """Shade the attempt under the mouse."""
        offset = move.get_content_offset(self)
        row = None
        if offset is not None and self._laid_out and self._rows:
            row = self._layout.row_at(self.scroll_offset.y + offset.y)
            row = row if self._rows[row].event is not None else None
        if row != self._hover:
            self._hover = row
            self.refresh()

    def on_leave(self) -> None:
        """The mouse left: no shading."""
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def _scroll_to_cursor(self) -> None:
        row = self.cursor
        if row is None or not self._laid_out:
            return
        self._lay_out(row)
        region = Region(0, self._layout.start(row), self._width, self._layout.height(row))
        self.scroll_to_region(region, animate=False, force=True)

    def _attempt_rows(self, start: int, step: int) -> int | None:
        """The first attempt row from ``start`` (included) going by ``step``, if any."""
        index = start
        while 0 <= index < len(self._rows):
            if self._rows[index].event is not None:
                return index
            index += step
        return None

    def action_cursor_down(self) -> None:
        """Next attempt (from the last, back to the first)."""
        start = 0 if self.cursor is None else self.cursor + 1
        found = self._attempt_rows(start, 1)
        if found is None:
            found = self._attempt_rows(0, 1)
        self._move_cursor(found)

    def action_cursor_up(self) -> None:
        """Previous attempt (from the first, round to the last)."""
        start = len(self._rows) - 1 if self.cursor is None else self.cursor - 1
        found = self._attempt_rows(start, -1)
        if found is None:
            found = self._attempt_rows(len(self._rows) - 1, -1)
        self._move_cursor(found)

    def action_first(self) -> None:
        """The first attempt."""
        self._move_cursor(self._attempt_rows(0, 1))

    def action_last(self) -> None:
        """The last attempt."""
        self._move_cursor(self._attempt_rows(len(self._rows) - 1, -1))

    def _move_page(self, direction: int) -> None:
        if self.cursor is None or not self._laid_out:
            if direction < 0:
                self.action_first()
            else:
                self.action_last()
            return
        height = self.scrollable_content_region.height
        line = self._layout.start(self.cursor) + direction * height
        row = self._layout.row_at(max(0, min(line, self._layout.total - 1)))
        found = self._attempt_rows(row, direction)
        if found is None:
            found = self._attempt_rows(row, -direction)
        self._move_cursor(found)

    def action_page_down(self) -> None:
        """About a page of lines further down."""
        self._move_page(1)

    def action_page_up(self) -> None:
        """About a page of lines further up."""
        self._move_page(-1)

    def action_select(self) -> None:
        """Say which attempt is under the cursor."""
        event = self.highlighted_event
        if event is not None and self.cursor is not None:
            self.post_message(self.AttemptSelected(self, event, self.cursor))

    def on_click(self, click: Click) -> None:
        """A click on an attempt moves the cursor there and selects it."""
        offset = click.get_content_offset(self)
        if offset is None or not self._rows or not self._laid_out:
            return
        row = self._layout.row_at(self.scroll_offset.y + offset.y)
        if self._rows[row].event is not None:
            self._move_cursor(row)
            self.action_select()


def _same_shape(old: Sequence[TimelineRow], new: Sequence[TimelineRow]) -> bool:
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


def _find(rows: Sequence[TimelineRow], wanted: Event | None) -> int | None:
    if wanted is None:
        return None
    for index, row in enumerate(rows):
        if row.event is not None and _key(row.event) == _key(wanted):
            return index
    return None


def lifecycle_content(action: Action, now: datetime) -> Content:
    """The created → started → finished timeline with the time between each step.

    Times on the day the action was created are shown without their date (the
    fields above give it), so a step fits on one line of a narrow pane.
    """
    day = time_text(action.created_at)[:10]
    lines = [_step("created", action.created_at, now, day)]
    if action.started_at is not None:
        lines.append(_gap(seconds_between(action.created_at, action.started_at)))
        lines.append(_step("started", action.started_at, now, day))
    lines.extend(_ending(action, now, day))
    return Content("\n").join(lines)


def _step(label: str, when: datetime | None, now: datetime, day: str, style: str = "") -> Content:
    if when is None:
        moment = "time not recorded"
    else:
        moment = f"{_clock(when, day)} UTC ({age_text(when, now)})"
    return Content.assemble((f"◆ {label:<10}", style or "bold"), moment)


def _gap(seconds: float | None) -> Content:
    return Content.styled(f"│   {duration_text(seconds) if seconds is not None else '?'}", MUTED)


def _ending(action: Action, now: datetime, day: str) -> list[Content]:
    begun = action.started_at or action.created_at
    if action.status.is_final:
        ended = action.finished_at
        label = action.status.value
        style = status_style(action.status)
        return [_gap(seconds_between(begun, ended)), _step(label, ended, now, day, style)]
    so_far = seconds_between(begun, now)
    waited = f" for {duration_text(so_far)}" if so_far is not None else ""
    return [Content.assemble("│\n", status_label(action.status), (f"{waited} so far", MUTED))]
