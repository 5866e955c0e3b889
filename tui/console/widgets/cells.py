"""How one action's fields read in the list: progress bars, ages, durations.

The list's cells as ``rich.text.Text`` (the list renders each cell with
Rich); every word and number in them comes from
:mod:`tui.format`, so the list, the detail pane and the CLI read the same. No I/O
and no clock reads: the caller passes ``now``. Every string
that came from a server goes through :func:`server_text`, which neutralises
control and invisible characters, keeps a bounded prefix
(:data:`tui.text.CELL_LIMIT`) and never parses markup.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from rich.console import JustifyMethod
from rich.style import Style
from rich.text import Text

from tui.format import (
    age_text,
    duration_text,
    progress_text,
    running_duration_text,
    seconds_between,
    status_text,
)
from tui.format import progress_bar as format_progress_bar
from tui.model import Action, Status
from tui.text import CELL_LIMIT, display_text

WATCH_MARK = "★"
"""Shown in the first column of a watched action."""

STUCK_MARK = "⚠"
"""Shown, with the reason's label, in the status column of a stuck action."""


def server_text(value: object, style: Style | str = "") -> Text:
    """A server string as one-line, markup-free text that ellipsises when cropped."""
    return Text(
        display_text(value, CELL_LIMIT), style=style, no_wrap=True, overflow="ellipsis", end=""
    )


def plain_text(value: str, style: Style | str = "", justify: JustifyMethod = "left") -> Text:
    """Text of our own making, laid out like :func:`server_text` (numbers may go right)."""
    return Text(value, style=style, justify=justify, no_wrap=True, overflow="ellipsis", end="")


PROGRESS_BAR_WIDTH = 4
"""Cells of the list's progress bar (its percentage follows, after a blank)."""


def progress_bar(progress: float | None, width: int = PROGRESS_BAR_WIDTH) -> str:
    """The list's bar with eighth-block resolution and its percentage, e.g. ``█▋    42%``.

    Both come from :mod:`tui.format`, so 99.6 reads ``99%`` here as in the CLI.
    Returns the empty string when the progress is unknown.
    """
    if progress is None:
        return ""
    return f"{format_progress_bar(progress, width)} {progress_text(progress):>4}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""Month names of the list's dates (fixed, whatever the locale)."""

DATED_AFTER = 86_400.0
"""Seconds after which the list's age column shows the date instead (``Mar 02``)."""


def age_label(then: datetime | None, now: datetime) -> str:
    """The age column: :func:`tui.format.age_text` (``3m ago``), empty when unknown.

    Older than a day, the date (UTC): ``Mar 02``, or ``2025-03`` in another year
    (``3d ago`` says less than the date when hunting through history).
    """
    if then is None:
        return ""
    if (now - then).total_seconds() < DATED_AFTER:
        return age_text(then, now)
    day = then.astimezone(UTC)
    if day.year != now.astimezone(UTC).year:
        return f"{day.year}-{day.month:02d}"
    return f"{MONTHS[day.month - 1]} {day.day:02d}"


def list_age_label(then: datetime | None, now: datetime) -> str:
    """The list's ``started`` column: :func:`age_label`, in 10 s steps below a minute.

    ``now`` under 10 s, then ``10s ago`` … ``50s ago``, then as everywhere
    (``3m ago``): a young action's age would otherwise rewrite its cell every
    second, next to its duration, which already does.
    """
    seconds = seconds_between(then, now)
    if then is not None and seconds is not None and seconds < 60:
        now = then + timedelta(seconds=seconds - seconds % 10)
    return age_label(then, now)


def action_duration(action: Action, now: datetime) -> float | None:
    """Seconds the action has run (until ``now`` while in flight), or None when unknown."""
    start = action.started_at or action.created_at
    if start is None or action.status is Status.PENDING:
        return None
    if action.status.is_final:
        return seconds_between(start, action.finished_at or action.updated_at)
    return seconds_between(start, now)


def duration_label(action: Action, now: datetime) -> str:
    """The duration column of one action (empty when unknown)."""
    seconds = action_duration(action, now)
    return "" if seconds is None else duration_text(seconds)


def list_duration_label(action: Action, now: datetime) -> str:
    """The list's duration column: a running duration coarsens as it grows.

    Below a minute it moves every second; then in steps of 10 s (``3m 10s``);
    from 10 minutes on, in whole minutes (``12m``, ``2h 05m``). A finished
    action shows its exact duration. A ticking cell is rewritten only when
    its text changes, so a long-running action costs a write a minute.
    """
    seconds = action_duration(action, now)
    if seconds is None:
        return ""
    return duration_text(seconds) if action.status.is_final else running_duration_text(seconds)


CLOCK_MARGIN = timedelta(milliseconds=1)
"""How much earlier than worked out :func:`clock_steady_until` says a cell may change."""


def clock_steady_until(action: Action, now: datetime) -> datetime | None:
    """Until when the ``started`` and ``duration`` cells of ``action`` read as they do at ``now``.

    The first instant, after ``now``, at which :func:`list_age_label` or
    :func:`list_duration_label` may read otherwise (a little earlier, never
    later); ``None`` when neither can change any more (no time known, a
    finished or pending action shown without an age). A tick asks again only
    after that instant: most rows of a quiet list have nothing to work out.
    """
    until: datetime | None = None
    then = action.started_at or action.created_at
    age = seconds_between(then, now)
    if then is not None and age is not None:
        step = 10.0 if age < 60 else 60.0 if age < 3600 else 3600.0
        until = then + timedelta(seconds=(age // step + 1) * step)
        if age >= DATED_AFTER:  # a date: another year reads otherwise (``2025-03``)
            until = min(until, datetime(now.astimezone(UTC).year + 1, 1, 1, tzinfo=UTC))
    running = not action.status.is_final and action.status is not Status.PENDING
    ran = seconds_between(then, now) if running else None
    if then is not None and ran is not None:
        step = 0.1 if ran < 10 else 1.0 if ran < 60 else 10.0 if ran < 600 else 60.0
        changes = then + timedelta(seconds=(ran // step + 1) * step)
        until = changes if until is None else min(until, changes)
    return None if until is None else until - CLOCK_MARGIN


def progress_label(action: Action) -> str:
    """The progress column: a bar while in flight, else nothing."""
    return progress_bar(action.progress) if action.status.in_flight else ""


@dataclass(frozen=True)
class RowFrame:
    """What a list row's cells depend on besides the action itself."""

    now: datetime
    watched: Collection[str]
    stale: Collection[str]
    """Backends whose rows may be out of date."""
    style: Callable[[str], Style]
    """A theme style by name (a status, ``stale``, ``watched``)."""
    stuck: Mapping[str, str] = field(default_factory=dict)
    """Ref → label (``slow``, ``no heartbeat``) of the actions that look stuck."""


def list_cell(key: str, action: Action, frame: RowFrame) -> Text:
    """The list's cell ``key`` (a column key) of ``action``."""
    if key == "mark":
        mark = WATCH_MARK if action.ref in frame.watched else " "
        return Text(mark, style=frame.style("watched"), end="")
    if key == "backend":
        doubtful = action.from_history or action.backend in frame.stale
        return server_text(action.backend, frame.style("stale") if doubtful else "")
    if key == "status":
        label = frame.stuck.get(action.ref)
        if label is not None:
            return plain_text(f"{STUCK_MARK} {label}", frame.style("stale"))
        return plain_text(status_text(action.status), frame.style(action.status.value))
    if key == "progress":
        return plain_text(progress_label(action), frame.style(action.status.value))
    return _plain_cell(key, action, frame.now)


def _plain_cell(key: str, action: Action, now: datetime) -> Text:
    if key == "action":
        return server_text(action.name)
    if key == "resource":
        return server_text(action.resource or action.object_name or "")
    if key == "user":
        return server_text(action.user or "")
    if key == "started":
        return plain_text(list_age_label(action.started_at or action.created_at, now))
    return plain_text(list_duration_label(action, now), justify="right")
