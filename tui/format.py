"""Words and numbers the CLI and the console both print, so they always read the same.

Pure functions of our own values (never server text: that goes through
:mod:`tui.text`). No Textual, no Rich, no clock reads: whoever needs an age
passes ``now``. The console adds only styling to these strings; the CLI prints
them as they are. The rules, in one line each (docs/console.md has the table):

- status: its icon and its word, ``✖ failed``, so it reads without colour;
- progress: whole percent rounded *down*, so only a finished 100 reads ``100%``;
- times: UTC, cut to the second (never rounded up), with the date unless the
  caller says which day the reader already knows;
- durations: two units at most, rounded down (``2.4s``, ``3m 04s``, ``2h 05m``); one still
  running, on screen, in steps that coarsen with it (``3m 10s``, ``12m``);
- ages: the largest whole unit, rounded down (``12s ago``, ``3m ago``, ``now``).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from tui.model import STATUS_ICONS, Status

UNKNOWN = "-"
"""What a value we do not have reads as."""


# --- status -------------------------------------------------------------------------------


def status_text(status: Status, *, with_word: bool = True) -> str:
    """The icon and (optionally) the name of a status: ``✖ failed``, or ``✖``."""
    icon = STATUS_ICONS[status]
    return f"{icon} {status.value}" if with_word else icon


# --- progress -----------------------------------------------------------------------------

_EIGHTHS = " ▏▎▍▌▋▊▉"


def progress_percent(value: float | None) -> int | None:
    """Whole percent, rounded down and clamped to 0–100; ``None`` when unknown.

    Rounded down so that 99.6 (a job one step from done) never reads as done:
    100 only when the server says 100 or more. Below 0 reads as 0, and NaN or
    infinity as unknown.
    """
    if value is None or not math.isfinite(value):
        return None
    return int(max(0.0, min(100.0, value)))


def progress_text(value: float | None) -> str:
    """``42%`` (see :func:`progress_percent`), or ``-`` when unknown."""
    percent = progress_percent(value)
    return UNKNOWN if percent is None else f"{percent}%"


def progress_bar(value: float | None, width: int, *, track: str = " ") -> str:
    """A bar of ``width`` cells to an eighth of a cell, rounded down: 42% of 4 is ``█▋  ``.

    Full only at 100%. Unknown progress gives a dotted track, ``····``.

    Args:
        value: the progress in percent.
        width: cells of the bar.
        track: what fills the cells the bar has not reached.
    """
    if progress_percent(value) is None or value is None:
        return "·" * width
    eighths = int(max(0.0, min(100.0, value)) / 100 * width * 8)
    full, rest = divmod(eighths, 8)
    bar = "█" * full + (_EIGHTHS[rest] if rest and full < width else "")
    return bar + track * (width - len(bar))


# --- times --------------------------------------------------------------------------------


def to_second(value: datetime) -> datetime:
    """``value`` in UTC, cut to the second: 11:58:19.9997 is 11:58:19, never 11:58:20."""
    return value.astimezone(UTC).replace(microsecond=0)


def time_text(value: datetime | None, *, day: date | None = None) -> str:
    """``2026-03-14 11:58:19`` in UTC (cut to the second), or ``-``.

    Args:
        value: the time.
        day: a UTC day the reader already knows (today, or the day the action
            began); a time on that day reads without its date, ``11:58:19``.
    """
    if value is None:
        return UNKNOWN
    second = to_second(value).replace(tzinfo=None)
    if day is not None and second.date() == day:
        return second.time().isoformat(timespec="seconds")
    return second.isoformat(sep=" ", timespec="seconds")


def utc_text(value: datetime | None, *, day: date | None = None) -> str:
    """:func:`time_text` followed by ``UTC``: ``2026-03-14 11:58:19 UTC``, or ``-``."""
    return UNKNOWN if value is None else f"{time_text(value, day=day)} UTC"


def utc_day(value: datetime) -> date:
    """The UTC day of ``value`` (what :func:`time_text` compares with ``day``)."""
    return value.astimezone(UTC).date()


# --- durations and ages -------------------------------------------------------------------


def seconds_between(start: datetime | None, end: datetime | None) -> float | None:
    """Seconds from ``start`` to ``end``, never negative; ``None`` if either is missing.

    Clock skew between servers (Seeweb's ``started_at`` comes microseconds
    *before* ``created_at``) would otherwise show as a negative duration.
    """
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


def duration_text(seconds: float) -> str:
    """A compact duration, rounded down: ``0s``, ``2.4s``, ``12s``, ``3m 04s``, ``2h 05m``.

    Tenths below ten seconds, then two units at most (``3d 04h``); negative
    reads as ``0s``.
    """
    if not math.isfinite(seconds) or seconds < 0.1:
        return "0s"
    if seconds < 10:
        return f"{math.floor(seconds * 10) / 10:.1f}s"
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours:02d}h"


def running_duration_text(seconds: float) -> str:
    """A duration still growing, in steps that coarsen as it grows (console only).

    Below a minute as :func:`duration_text` (it moves every second); then in
    steps of 10 s (``3m 10s``); from 10 minutes on, in whole minutes
    (``12m``, ``2h 05m``). A screen that shows it rewrites it when its text
    changes, so a long-running action costs a write a minute.
    """
    if not math.isfinite(seconds) or seconds < 60:
        return duration_text(seconds)
    if seconds < 600:
        return duration_text(seconds - seconds % 10)
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    return duration_text(seconds)


def age_text(then: datetime | None, now: datetime) -> str:
    """How long ago ``then`` was: ``now``, ``12s ago``, ``3m ago``, ``5h ago``, ``2d ago``; ``-``.

    The largest whole unit, rounded down (3m 59s is ``3m ago``); less than a
    second, or a time slightly in the future (clock skew), is ``now``.
    """
    if then is None:
        return UNKNOWN
    seconds = int((now - then).total_seconds())
    if seconds < 1:
        return "now"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"


# --- counts -------------------------------------------------------------------------------


def unreadable_text(count: int) -> str:
    """``1 entry unreadable`` / ``2 entries unreadable``: what a backend's answer skipped."""
    return f"{count} {'entry' if count == 1 else 'entries'} unreadable"
