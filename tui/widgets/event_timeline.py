"""Timelines in the detail pane: Nova events with retries grouped, and the Seeweb lifecycle.

Nova repeats an event name when it retries; the attempts are grouped under
one heading (``compute_prep_resize — 3 attempts: ✖ Error, ✖ Error, ✔ Success``)
and listed oldest first, failed ones in the error colour with an icon. Nova
records a retry's finish on the *first* row of that name, so a later
duplicate may never get a finish time: when an earlier attempt succeeded (or
the action is over) such an attempt reads "no finish recorded", not
"running". This module shows events; it never fetches them and never opens
the traceback itself (the detail pane turns a selection into a message).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.model import Action, Event, Status
from tui.widgets.formatting import (
    MUTED,
    STATUS_ICONS,
    format_age,
    format_duration,
    format_utc,
    literal,
    seconds_between,
    status_label,
    status_style,
)
from tui.widgets.wrapping import flow, flow_lines, hang

HOST_ID_WIDTH = 12
"""How many characters of the (long, hashed) ``hostId`` are shown."""

TRACEBACK_HINT = "t: view traceback"
"""Shown under an event that has a traceback."""

NO_EVENTS = "No events recorded (yet)."
"""Shown instead of the timeline when the server listed no events."""

NOVA_RETRY_NOTE = "Nova records a retry's finish on the first attempt of its name"
"""Explains a retried attempt that never got a finish time."""


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


def outcome(event: Event, earlier: Sequence[Event], *, action_over: bool) -> Outcome:
    """How ``event`` ended, given the attempts of its name that came before it."""
    result = (event.result or "").lower()
    if result == "success":
        return Outcome.SUCCESS
    if result == "error":
        return Outcome.ERROR
    if event.result or event.finished_at is not None:
        return Outcome.OTHER
    succeeded_before = any((e.result or "").lower() == "success" for e in earlier)
    return Outcome.NO_FINISH if succeeded_before or action_over else Outcome.RUNNING


def group_outcomes(group: EventGroup, *, action_over: bool) -> list[Outcome]:
    """The outcome of every attempt of ``group``, in order."""
    attempts = group.attempts
    return [outcome(e, attempts[:i], action_over=action_over) for i, e in enumerate(attempts)]


def _outcome_content(event: Event, result: Outcome) -> Content:
    icon, style = _OUTCOME_LOOK[result]
    if result in (Outcome.SUCCESS, Outcome.ERROR, Outcome.OTHER):
        return Content.assemble((f"{icon} ", style), literal(event.result or "finished", style))
    return Content.styled(f"{icon} {result.value}", style)


def group_header(
    group: EventGroup, outcomes: Sequence[Outcome], width: int | None = None
) -> Content:
    """``name — 3 attempts: ✖ Error, ✖ Error, ✔ Success`` (or ``name — ✔ Success``).

    Wider than ``width``, it wraps between outcomes, never inside one.
    """
    parts = [_outcome_content(e, o) for e, o in zip(group.attempts, outcomes, strict=True)]
    count = len(group.attempts)
    pieces = [Content.assemble(literal(group.name, "bold"), " —")]
    if count > 1:
        pieces.append(Content(f"{count} attempts:"))
    pieces += [part + "," for part in parts[:-1]] + parts[-1:]
    return flow(pieces, width, indent=2)


def _clock(value: datetime | None, day: str) -> str:
    """``11:55:00`` on ``day`` (``YYYY-MM-DD``), else ``2026-03-13 23:59:00``."""
    full = format_utc(value)  # "YYYY-MM-DD HH:MM:SS UTC" or "-"
    if value is None:
        return full
    return full[11:19] if full[:10] == day else full[:19]


def _times(event: Event, result: Outcome, now: datetime, day: str) -> Content:
    start = _clock(event.started_at, day)
    if event.finished_at is not None:
        took = seconds_between(event.started_at, event.finished_at)
        length = f" ({format_duration(took)})" if took is not None else ""
        return Content(f"{start} → {_clock(event.finished_at, day)} UTC{length}")
    if result is Outcome.RUNNING:
        so_far = seconds_between(event.started_at, now)
        running = f" ({format_duration(so_far)} so far)" if so_far is not None else ""
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
        lines.append(hang(label, literal(event.details), width))
    if event.traceback:
        lines.append(Content.styled(f"    {TRACEBACK_HINT}", "$accent"))
    return Content("\n").join(lines)


class EventTimeline(OptionList):
    """Nova events, grouped by name; the cursor moves over attempts (headings are skipped)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    DEFAULT_CSS = """
    EventTimeline {
        height: auto;
        max-height: 100%;
        border: none;
        border-left: blank;
        padding: 0;
        background: transparent;
        &:focus {
            border: none;
            border-left: tall $primary;
            background-tint: transparent;
        }
        & > .option-list--option-disabled {
            color: $foreground;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty timeline.

        Args:
            id: the widget id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes, markup=False)
        self._events: dict[int, Event] = {}
        self._shown: tuple[Action, datetime] | None = None
        self._wrap_width: int | None = None

    def _prompt_width(self) -> int | None:
        """Cells a prompt may use, once the list has been laid out."""
        return self.scrollable_content_region.width or None

    def on_resize(self) -> None:
        """Wrap the prompts again when the room for them changed (the cursor stays)."""
        width = self._prompt_width()
        if width != self._wrap_width and self._shown is not None:
            self.show_action(*self._shown)

    @property
    def highlighted_event(self) -> Event | None:
        """The attempt under the cursor, if any."""
        return None if self.highlighted is None else self._events.get(self.highlighted)

    def event_at(self, index: int) -> Event | None:
        """The attempt shown by option ``index`` (``None`` for headings)."""
        return self._events.get(index)

    def show_action(self, action: Action, now: datetime, *, keep_cursor: bool = True) -> None:
        """Show ``action``'s events.

        When the events are the same ones as before, only changed prompts are
        replaced, so the scroll position and cursor stay put; otherwise the
        list is rebuilt and the cursor follows its attempt when it still exists.

        Args:
            action: the action whose events to show.
            now: the time ages and running durations are measured to.
            keep_cursor: keep the cursor on its attempt (``False`` for a new action).
        """
        keep = self.highlighted_event if keep_cursor else None
        self._shown = (action, now)
        self._wrap_width = self._prompt_width()
        options, events = build_options(action, now, self._wrap_width)
        if (
            keep_cursor
            and _keys(events) == _keys(self._events)
            and len(options) == len(self.options)
        ):
            self._events = events
            self._replace_changed(options)
            return
        self._events = events
        self.set_options(options)
        self.highlighted = _find(events, keep)

    def _replace_changed(self, options: Sequence[Option]) -> None:
        for index, option in enumerate(options):
            current = self.get_option_at_index(index).prompt
            if not (isinstance(current, Content) and current.is_same(option.prompt)):
                self.replace_option_prompt_at_index(index, option.prompt)


def _keys(events: dict[int, Event]) -> list[tuple[int, str, datetime | None]]:
    return [(index, event.name, event.started_at) for index, event in events.items()]


def build_options(
    action: Action, now: datetime, width: int | None = None
) -> tuple[list[Option], dict[int, Event]]:
    """Options for every heading and attempt (wrapped within ``width``), and their attempts."""
    if not action.events:
        return [Option(Content.styled(NO_EVENTS, MUTED), disabled=True)], {}
    options: list[Option] = []
    events: dict[int, Event] = {}
    over = action.status.is_final
    day = format_utc(action.created_at)[:10]
    for group in group_events(action.events):
        outcomes = group_outcomes(group, action_over=over)
        options.append(Option(group_header(group, outcomes, width), disabled=True))
        count = len(group.attempts)
        for number, (event, result) in enumerate(zip(group.attempts, outcomes, strict=True), 1):
            events[len(options)] = event
            prompt = attempt_content(event, number, count, result, now=now, day=day, width=width)
            options.append(Option(prompt))
    return options, events


def _find(events: dict[int, Event], wanted: Event | None) -> int | None:
    if wanted is None:
        return None
    for index, event in events.items():
        if (event.name, event.started_at) == (wanted.name, wanted.started_at):
            return index
    return None


def lifecycle_content(action: Action, now: datetime) -> Content:
    """The created → started → finished timeline with the time between each step.

    Times on the day the action was created are shown without their date (the
    fields above give it), so a step fits on one line of a narrow pane.
    """
    day = format_utc(action.created_at)[:10]
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
        moment = f"{_clock(when, day)} UTC ({format_age(when, now)})"
    return Content.assemble((f"◆ {label:<10}", style or "bold"), moment)


def _gap(seconds: float | None) -> Content:
    return Content.styled(f"│   {format_duration(seconds) if seconds is not None else '?'}", MUTED)


def _ending(action: Action, now: datetime, day: str) -> list[Content]:
    begun = action.started_at or action.created_at
    if action.status.is_final:
        ended = action.finished_at
        label = action.status.value
        style = status_style(action.status)
        return [_gap(seconds_between(begun, ended)), _step(label, ended, now, day, style)]
    so_far = seconds_between(begun, now)
    waited = f" for {format_duration(so_far)}" if so_far is not None else ""
    return [Content.assemble("│\n", status_label(action.status), (f"{waited} so far", MUTED))]
