"""The ``label  value`` lists at the top of the detail pane: who and what, when and where.

:class:`FieldList` lays the rows out for its own width: a long value wraps
under the value column (never back under the labels), and a time that does
not fit whole drops its date when it is today's. The builders here turn an
:class:`~tui.model.Action` into rows; every server string goes through
:func:`~tui.console.widgets.formatting.literal`. Nothing here fetches or reads a clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from textual.content import Content
from textual.events import Resize

from tui.backends import capabilities_of
from tui.backends.spec import DetailKind
from tui.console.widgets.content_view import LineRepaintView, SameContent
from tui.console.widgets.formatting import (
    MUTED,
    STALE_ICON,
    layout_prefix,
    literal,
    progress_meter,
    status_label,
)
from tui.console.widgets.wrapping import Body, Token, hang
from tui.format import age_text, progress_text, utc_day, utc_text
from tui.model import Action
from tui.text import display_text

LABEL_WIDTH = 12
"""Cells of the label column (the longest label, ``raw status``, and a gap)."""


@dataclass(frozen=True)
class Field:
    """One row: a label and its value, with a shorter value for narrow panes."""

    label: str
    value: Body
    compact: Body | None = None
    """Shown instead of ``value`` when that does not fit on one line (and this does)."""


def _width(body: Body) -> int:
    if isinstance(body, Token):
        return body.text.cell_length
    if isinstance(body, Content):
        return body.cell_length
    return sum(piece.cell_length for piece in body) + max(0, len(body) - 1)


def _choose(field: Field, room: int | None) -> Body:
    if room is None or field.compact is None or _width(field.value) <= room:
        return field.value
    return field.compact if _width(field.compact) <= room else field.value


def _laid_out(body: Body) -> Body:
    if isinstance(body, Token):
        return Token(layout_prefix(body.text), body.breaks)
    return layout_prefix(body) if isinstance(body, Content) else body


def fields_content(fields: Sequence[Field], width: int | None = None) -> Content:
    """The rows as ``label  value`` lines; values wrap under themselves within ``width``.

    A value longer than :data:`~tui.console.widgets.formatting.LAYOUT_CHARS` is cut there.
    """
    room = None if width is None else width - LABEL_WIDTH
    return Content("\n").join(
        hang(
            Content.styled(f"{field.label:<{LABEL_WIDTH}}", MUTED),
            _laid_out(_choose(field, room)),
            width,
        )
        for field in fields
    )


class FieldList(LineRepaintView):
    """Rows of :class:`Field`, re-laid out whenever the widget's width changes.

    An age moving in one row (``(1m ago)`` → ``(2m ago)``) resends that row
    up to the digit, not the whole list (see :class:`LineRepaintView`).
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty list.

        Args:
            id: the widget id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes)
        self._fields: tuple[Field, ...] = ()
        self._laid_at = 0
        """The width the rows shown were laid out for (0: none yet)."""

    def show(self, fields: Sequence[Field]) -> None:
        """Show these rows (repaints only when the text or its styles change)."""
        self._fields = tuple(fields)
        self._paint()

    def on_resize(self, event: Resize) -> None:
        """Wrap again for a new width (shown again at the same width, the rows stand)."""
        if self.content_size.width != self._laid_at:
            self._paint()

    def _paint(self) -> None:
        """Lay the rows out at the width there is; hidden (no width), at the last one: shown
        again at that width, they read as they will be drawn, and nothing is laid out twice."""
        width = self.content_size.width or self._laid_at
        self._laid_at = width
        self.shown = SameContent(fields_content(self._fields, width or None))


def _row(label: str, value: Content | str | None) -> Field | None:
    if value is None:
        return None
    return Field(label, value if isinstance(value, Content) else literal(value or "-"))


def _ref_row(ref: str) -> Field:
    """The ref, wrapping after its ``/`` and ``:`` (never inside a UUID)."""
    return Field("ref", Token(literal(ref or "-")))


def _rows(*rows: Field | None) -> list[Field]:
    return [row for row in rows if row is not None]


def _note(note: str, lead: str = "") -> Content:
    """``(note)``, muted, after ``lead``; the note is server text (Redis
    ``object_name``, Seeweb ``resource_type``), so it goes through
    :func:`~tui.text.display_text` like every value."""
    return Content.styled(f"{lead}({display_text(note)})", MUTED)


def _with_note(value: Content | str | None, note: str | None) -> Content | None:
    """``value  (note)`` with the note muted; either may be missing."""
    if value is None and not note:
        return None
    if value is None:
        return _note(note or "")
    if not note:
        return literal(value)
    return Content.assemble(literal(value), _note(note, lead="  "))


HISTORY_TEXT = "kept from history"
"""Marks an action read from the journal that its backend has not sent again (yet)."""


def _status_value(action: Action) -> Content:
    status = status_label(action.status)
    if action.gone:
        status = status + Content.styled(f"  {STALE_ICON} gone", "$status-stale")
    if action.from_history:
        status = status + Content.styled(f"  {STALE_ICON} {HISTORY_TEXT}", "$status-stale")
    return status


def _progress_value(action: Action) -> Content | None:
    if action.progress is None:
        return None
    return Content.assemble(progress_meter(action.progress), f" {progress_text(action.progress)}")


def identity_fields(action: Action) -> list[Field]:
    """Who and what. Fields the backend did not send are left out."""
    return _rows(
        _ref_row(action.ref),
        _row("backend", _with_note(action.backend, action.backend_type)),
        _row("action", action.name),
        _row("status", _status_value(action)),
        _row("raw status", action.raw_status),
        _row("progress", _progress_value(action)),
        _row("resource", _with_note(action.resource, action.resource_type)),
        _row("user", action.user),
        _row("message", action.message),
    )


def time_field(label: str, value: datetime | None, now: datetime) -> Field | None:
    """``2026-03-14 12:00:05 UTC (3m ago)``; without the date when narrow and today."""
    if value is None:
        return None
    age = Content(f"({age_text(value, now)})")
    full = [Content(utc_text(value)), age]
    today = utc_day(now)
    if utc_day(value) != today:
        return Field(label, full)
    return Field(label, full, [Content(utc_text(value, day=today)), age])


def times_fields(action: Action, now: datetime) -> list[Field]:
    """When (UTC and age), and where it runs.

    State, node and object are left out when the backend's detail section
    leads with them (Redis Enterprise's pending operations).
    """
    rows = [
        time_field("created", action.created_at, now) or Field("created", Content("-")),
        time_field("started", action.started_at, now),
        time_field("finished", action.finished_at, now),
        time_field("updated", action.updated_at, now),
    ]
    if capabilities_of(action.backend_type).detail is not DetailKind.PENDING:
        rows += [
            _row("state", action.state),
            _row("node", action.node),
            _row("object", action.object_name),
        ]
    return _rows(*rows)
