"""How one action's fields read in the list: status labels, progress bars, ages, durations.

Pure formatting over :mod:`tui.model` with ``rich.text.Text`` results (the
list is a DataTable, which renders Rich text); icons and durations are the
detail pane's (:mod:`tui.console.widgets.formatting`) so both read the same. No I/O
and no clock reads: the caller passes ``now``. Every string
that came from a server goes through :func:`server_text`, which neutralises
control and invisible characters, keeps a bounded prefix
(:data:`tui.text.CELL_LIMIT`) and never parses markup.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import JustifyMethod
from rich.style import Style
from rich.text import Text

from tui.console.widgets.formatting import format_duration
from tui.model import STATUS_ICONS, Action, Status
from tui.text import CELL_LIMIT, display_text

WATCH_MARK = "★"
"""Shown in the first column of a watched action."""

_EIGHTHS = " ▏▎▍▌▋▊▉"


def server_text(value: object, style: Style | str = "") -> Text:
    """A server string as one-line, markup-free text that ellipsises when cropped."""
    return Text(
        display_text(value, CELL_LIMIT), style=style, no_wrap=True, overflow="ellipsis", end=""
    )


def plain_text(value: str, style: Style | str = "", justify: JustifyMethod = "left") -> Text:
    """Text of our own making, laid out like :func:`server_text` (numbers may go right)."""
    return Text(value, style=style, justify=justify, no_wrap=True, overflow="ellipsis", end="")


def status_label(status: Status, *, with_word: bool = True) -> str:
    """The icon and (optionally) the name of a status, e.g. ``✖ failed``."""
    icon = STATUS_ICONS[status]
    return f"{icon} {status.value}" if with_word else icon


def progress_bar(progress: float | None, width: int = 4) -> str:
    """A text bar with eighth-block resolution and a percentage, e.g. ``█▋   42%``.

    Returns the empty string when the progress is unknown.
    """
    if progress is None:
        return ""
    value = max(0.0, min(100.0, progress))
    eighths = int(value / 100 * width * 8)
    full, rest = divmod(eighths, 8)
    bar = "█" * full + (_EIGHTHS[rest] if rest and full < width else "")
    return f"{bar:<{width}} {int(value):>3d}%"


def format_age(then: datetime | None, now: datetime) -> str:
    """How long ago ``then`` was: ``now``, ``12s ago``, ``5m ago``, ``3h ago``, ``2d ago``."""
    if then is None:
        return ""
    seconds = int((now - then).total_seconds())
    if seconds < 1:
        return "now"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"


def action_duration(action: Action, now: datetime) -> float | None:
    """Seconds the action has run (until ``now`` while in flight), or None when unknown."""
    start = action.started_at or action.created_at
    if start is None or action.status is Status.PENDING:
        return None
    if action.status.is_final:
        end = action.finished_at or action.updated_at
        return None if end is None else max(0.0, (end - start).total_seconds())
    return max(0.0, (now - start).total_seconds())


def duration_label(action: Action, now: datetime) -> str:
    """The duration column of one action (empty when unknown)."""
    seconds = action_duration(action, now)
    return "" if seconds is None else format_duration(seconds)


def progress_label(action: Action) -> str:
    """The progress column: a bar while in flight, else nothing."""
    return progress_bar(action.progress) if action.status.in_flight else ""
