"""Small presentation helpers shared by the detail widgets: times, ages, icons, literals.

Everything a server sends reaches the screen through :func:`literal` (one
line, a bounded prefix: :func:`tui.text.display_text`) or
:func:`multiline_literal` (whole, keeping newlines), which neutralise control
and invisible characters and wrap the result in a Textual ``Content`` built
from plain text, so ``[bold]`` or ``[@click=app.quit]`` is shown, never
interpreted. Never interpolate a server value into ``Content.styled`` or
``Content.assemble`` yourself: pass it through one of these. ``Content`` is used rather
than ``rich.text.Text`` because its ``$status-failed``-style colours resolve
against the *current* theme when painted, so a theme switch recolours the
detail pane without rebuilding it. Nothing here reads a clock: callers pass
``now``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.content import Content

from tui.model import STATUS_ICONS, Status
from tui.text import DISPLAY_LIMIT, display_text, more_characters, safe_text

STALE_ICON = "⚠"
"""Marks data that has stopped changing (a stale heartbeat)."""

MUTED = "$foreground-muted"
"""Style of labels and secondary text."""

LAYOUT_CHARS = 2000
"""The most characters of one value the detail pane lays out (raw JSON, copy and save keep all)."""


def status_style(status: Status) -> str:
    """The content style (a theme variable) that colours ``status``."""
    return f"$status-{status.value}"


def status_label(status: Status) -> Content:
    """``✖ failed`` in the status colour."""
    return Content.styled(f"{STATUS_ICONS[status]} {status.value}", status_style(status))


def literal(value: object, style: str = "", *, limit: int = DISPLAY_LIMIT) -> Content:
    """Server text as one line of content that is never parsed as markup.

    At most ``limit`` characters are shown, then ``… (N more characters)``.

    Args:
        value: any value; ``None`` becomes empty content.
        style: an optional style of ours (never of the server) for the whole text.
        limit: how many characters of ``value`` to show.
    """
    text = display_text(value, limit)
    return Content.styled(text, style) if style else Content(text)


def layout_prefix(content: Content, limit: int = LAYOUT_CHARS) -> Content:
    """``content`` cut to ``limit`` characters, then ``… (N more characters)``.

    Wrapping and measuring cost the length of what is laid out; this keeps a
    megabyte value from costing seconds every time the pane is drawn.
    """
    more = len(content.plain) - limit
    if more <= 0:
        return content
    return content[:limit] + Content.styled(more_characters(more), MUTED)


def multiline_literal(value: object) -> Content:
    """Like :func:`literal`, keeping newlines and the whole text (tracebacks, raw JSON)."""
    return Content(safe_text(value, multiline=True))


def format_utc(value: datetime | None) -> str:
    """``2026-03-14 12:00:05 UTC`` (rounded to the second), or ``-``."""
    if value is None:
        return "-"
    return round_to_second(value).strftime("%Y-%m-%d %H:%M:%S UTC")


def round_to_second(value: datetime) -> datetime:
    """``value`` in UTC, rounded to the second."""
    # Rounded, not truncated: 11:58:19.9997 is 11:58:20, so a start recorded
    # microseconds before its creation does not appear a second earlier.
    return (value.astimezone(UTC) + timedelta(microseconds=500_000)).replace(microsecond=0)


def seconds_between(start: datetime | None, end: datetime | None) -> float | None:
    """Seconds from ``start`` to ``end``, never negative; ``None`` if either is missing.

    Clock skew between servers (Seeweb's ``started_at`` comes microseconds
    *before* ``created_at``) would otherwise show as a negative duration.
    """
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


def format_duration(seconds: float) -> str:
    """A compact duration: ``0s``, ``2.4s``, ``12s``, ``3m 04s``, ``2h 05m``, ``3d 04h``."""
    seconds = max(0.0, seconds)
    if seconds < 0.05:
        return "0s"
    if seconds < 10:
        return f"{seconds:.1f}s"
    whole = round(seconds)
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


def format_age(then: datetime | None, now: datetime) -> str:
    """How long ago ``then`` was: ``just now``, ``12s ago``, ``3m 04s ago``; ``-`` if unknown.

    A time slightly in the future (clock skew) reads as ``just now``.
    """
    if then is None:
        return "-"
    elapsed = round((now - then).total_seconds())
    if elapsed < 1:
        return "just now"
    if elapsed < 60:
        return f"{elapsed}s ago"
    return f"{format_duration(elapsed)} ago"


def format_short_age(then: datetime | None, now: datetime) -> str:
    """A terse age for narrow columns: ``0s``, ``12s``, ``4m``, ``3h``, ``2d``; ``-`` if unknown.

    Whole units, rounded down; a time slightly in the future reads as ``0s``.
    """
    if then is None:
        return "-"
    elapsed = max(0, int((now - then).total_seconds()))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if elapsed >= size:
            return f"{elapsed // size}{unit}"
    return f"{elapsed}s"


def format_when(value: datetime | None, now: datetime) -> str:
    """Absolute UTC time and relative age: ``2026-03-14 12:00:05 UTC (3m 04s ago)``."""
    if value is None:
        return "-"
    return f"{format_utc(value)} ({format_age(value, now)})"


def format_progress(value: float | None) -> str:
    """``42%`` (rounded down so 99.6 never reads as done), or ``-``."""
    return "-" if value is None else f"{int(value)}%"


def progress_bar(value: float | None, width: int = 12) -> Content:
    """A progress bar, ``█████░░░░░░░`` in the primary colour; a dotted track when unknown."""
    if value is None:
        return Content.styled("·" * width, MUTED)
    filled = round(max(0.0, min(100.0, value)) / 100 * width)
    return Content.styled("█" * filled + "░" * (width - filled), "$primary")
