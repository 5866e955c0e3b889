"""Small presentation helpers shared by the detail widgets: styles, literals, a progress meter.

The words and numbers (times, ages, durations, progress, status labels) come
from :mod:`tui.format`, shared with the CLI; this module only styles them.

Everything a server sends reaches the screen through :func:`literal` (one
line, a bounded prefix: :func:`tui.text.display_text`) or
:func:`multiline_literal` (whole, keeping newlines), which neutralise control
and invisible characters and wrap the result in a Textual ``Content`` built
from plain text, so ``[bold]`` or ``[@click=app.quit]`` is shown, never
interpreted. Never interpolate a server value into ``Content.styled`` or
``Content.assemble`` yourself: pass it through one of these. ``Content`` is used rather
than ``rich.text.Text`` because its ``$status-failed``-style colours resolve
against the *current* theme when painted, so a theme switch recolours the
detail pane without rebuilding it. Nothing here reads a clock.
"""

from __future__ import annotations

from textual.content import Content

from tui.format import progress_bar, status_text
from tui.model import Status
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
    """:func:`tui.format.status_text` (``✖ failed``) in the status colour."""
    return Content.styled(status_text(status), status_style(status))


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


def progress_meter(value: float | None, width: int = 12) -> Content:
    """:func:`tui.format.progress_bar` on a ``░`` track, in the primary colour (muted: unknown)."""
    bar = progress_bar(value, width, track="░")
    return Content.styled(bar, MUTED if value is None else "$primary")
