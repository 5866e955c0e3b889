"""The action list: one page of actions in a DataTable, updated by row key.

The screen hands it the actions of the visible page (attributes down); the
table adds and removes rows by ref, rewrites only the cells whose text
changed and never clears itself, so a refresh of a page is cheap however many
actions the store holds. Moving past the top or bottom of the page, or asking
for another page, posts :class:`ActionTable.PageRequested` (messages up). It
never talks to a backend or the store.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.widgets import DataTable

from tui.console.widgets.cells import (
    WATCH_MARK,
    age_label,
    duration_label,
    plain_text,
    progress_label,
    server_text,
)
from tui.format import status_text
from tui.list_state import PageTarget, RowTarget
from tui.model import Action, Status


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the list and how it gives way on narrow terminals."""

    key: str
    label: str
    width: int
    """Smallest useful width."""
    grow: int = 0
    """How much wider it may get when there is room (action, then resource, … get it first)."""
    drop: int = 0
    """Dropped first when there is no room (higher first); 0 = always shown."""


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("mark", " ", 1),
    ColumnSpec("backend", "backend", 9, grow=5, drop=1),
    ColumnSpec("action", "action", 10, grow=16),
    ColumnSpec("resource", "resource", 10, grow=22),
    ColumnSpec("status", "status", 11),
    ColumnSpec("progress", "progress", 9, drop=3),
    ColumnSpec("user", "user", 6, grow=8, drop=5),
    ColumnSpec("started", "started", 7, drop=4),
    ColumnSpec("duration", "duration", 8, drop=2),
)
"""Every column, in display order."""

GROW_ORDER = ("action", "resource", "backend", "user")
"""Which columns get spare room first."""

CELL_PADDING = 1

DEFAULT_WIDTH = 100
"""Width assumed before the first layout."""


def fit_columns(width: int, padding: int = CELL_PADDING) -> list[tuple[ColumnSpec, int]]:
    """The columns that fit in ``width`` cells, each with its width.

    Columns with the highest ``drop`` go first; spare room is shared out to
    the growing columns in display order.
    """
    shown = list(COLUMNS)
    for spec in sorted((c for c in COLUMNS if c.drop), key=lambda c: -c.drop):
        if _needed(shown, padding) <= width:
            break
        shown.remove(spec)
    spare = max(0, width - _needed(shown, padding))
    widths = {spec.key: spec.width for spec in shown}
    for key in GROW_ORDER:
        grower = next((spec for spec in shown if spec.key == key), None)
        if grower is not None:
            extra = min(grower.grow, spare)
            spare -= extra
            widths[key] += extra
    return [(spec, widths[spec.key]) for spec in shown]


def _needed(columns: Sequence[ColumnSpec], padding: int) -> int:
    return sum(spec.width + 2 * padding for spec in columns)


def _same(old: Text | None, new: Text) -> bool:
    """Equal text, spans *and* base style (``Text.__eq__`` ignores the base style)."""
    return old is not None and old == new and old.style == new.style


class RowKeyText(Text):
    """A cell that knows which row it belongs to (lets the table sort rows by ref)."""

    ref: str = ""


class ActionTable(DataTable[Text]):
    """One page of actions, newest first, with a row cursor."""

    _row_refresh_only = False
    """True while one row's cells are updated: :meth:`refresh` then repaints only that row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("g,home", "first", "First action", show=False),
        Binding("G,end", "last", "Last action", show=False),
        Binding("pageup,left_square_bracket", "page('previous')", "Prev page", key_display="["),
        Binding("pagedown,right_square_bracket", "page('next')", "Next page", key_display="]"),
        Binding("enter", "select_cursor", "Detail", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"action-table--{status.value}" for status in Status),
        "action-table--stale",
        "action-table--watched",
    }

    @dataclass
    class PageRequested(Message):
        """The user asked for another page (or moved past an edge of this one)."""

        page: PageTarget
        row: RowTarget = "same"

    class HeightChanged(Message):
        """The list got taller or shorter: a page may now hold more or fewer rows."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(cursor_type="row", cell_padding=CELL_PADDING, id=id, classes=classes)
        self._page: dict[str, Action] = {}
        self._cells: dict[str, dict[str, Text]] = {}
        self._styles: dict[str, Style] = {}
        """Component styles by name, for the current theme."""
        self._columns: list[str] = []
        self._frame: tuple[datetime, Collection[str], Collection[str]] | None = None
        self._height = 0

    @property
    def refs(self) -> list[str]:
        """The refs of the rows, top to bottom."""
        return [str(row.key.value) for row in self.ordered_rows]

    @property
    def cursor_ref(self) -> str | None:
        """The ref of the row under the cursor, if any."""
        if not self.row_count:
            return None
        return str(self.ordered_rows[self.cursor_row].key.value)

    @property
    def stale_backends(self) -> Collection[str]:
        """The backends whose rows are shown as possibly out of date."""
        return self._frame[2] if self._frame is not None else frozenset()

    def on_mount(self) -> None:
        """Start with the columns of a typical terminal; the first resize refits them."""
        self.fit_to(self.size.width or DEFAULT_WIDTH)

    def on_resize(self, event: events.Resize) -> None:
        """Choose the columns that fit the new width; say when the height changed."""
        self.fit_to(event.size.width)
        if event.size.height != self._height:
            self._height = event.size.height
            self.post_message(self.HeightChanged())

    def fit_to(self, width: int) -> None:
        """Rebuild the columns when a different set (or width) fits ``width``."""
        fitted = fit_columns(max(1, width))
        layout = [(spec.key, size) for spec, size in fitted]
        current = [(str(key.value), col.width) for key, col in self.columns.items()]
        if layout == current:
            return
        cursor = self.cursor_ref
        self.clear(columns=True)
        self._cells.clear()
        for spec, size in fitted:
            self.add_column(Text(spec.label), width=size, key=spec.key)
        self._columns = [spec.key for spec, _ in fitted]
        actions, self._page = list(self._page.values()), {}
        if self._frame is not None:
            self.show_page(actions, *self._frame)
            self.select_ref(cursor)

    def show_page(
        self,
        actions: Sequence[Action],
        now: datetime,
        watched: Collection[str] = (),
        stale_backends: Collection[str] = (),
    ) -> None:
        """Show these actions, top to bottom, touching only what changed."""
        if not self._columns:
            self.fit_to(self.size.width or DEFAULT_WIDTH)
        self._frame = (now, watched, stale_backends)
        wanted = {action.ref: action for action in actions}
        for ref in [ref for ref in self._page if ref not in wanted]:
            self.remove_row(ref)
            self._cells.pop(ref, None)
        for action in actions:
            self._put_row(action)
        self._page = wanted
        if self.refs != list(wanted):
            order = {ref: index for index, ref in enumerate(wanted)}
            self.sort("mark", key=lambda cell: order[cell.ref])

    def tick(self, now: datetime) -> None:
        """Bring the time columns up to ``now`` (only cells whose text changes are redrawn)."""
        if self._frame is None:
            return
        _, watched, stale = self._frame
        self._frame = (now, watched, stale)
        for action in self._page.values():
            self._put_row(action)

    def restyle(self) -> None:
        """Redraw every cell (the theme changed)."""
        self._cells.clear()
        self._styles.clear()
        if self._frame is not None:
            for action in self._page.values():
                self._put_row(action)

    def select_ref(self, ref: str | None) -> bool:
        """Put the cursor on ``ref``'s row; False when it is not on this page."""
        if ref is None or ref not in self._page:
            return False
        self.move_cursor(row=self.get_row_index(ref))
        return True

    def _put_row(self, action: Action) -> None:
        cells = self._row_cells(action)
        old = self._cells.get(action.ref)
        self._cells[action.ref] = cells
        if action.ref not in self._page:
            self.add_row(*cells.values(), key=action.ref)
            return
        changed = [
            key for key, cell in cells.items() if old is None or not _same(old.get(key), cell)
        ]
        if not changed:
            return
        self._row_refresh_only = True
        try:
            for key in changed:
                self.update_cell(action.ref, key, cells[key])
        finally:
            self._row_refresh_only = False
        self.refresh_row(self.get_row_index(action.ref))

    def refresh(self, *regions: Region, **options: Any) -> Self:
        """Repaint; while cells of one row change, only that row (see :meth:`_put_row`).

        ``DataTable.update_cell`` repaints the whole table, and a repainted
        widget is sent to the terminal whole: a ticking duration would resend
        every row every second, which is what an SSH link feels.
        """
        if self._row_refresh_only and not regions and not options.get("layout"):
            return self
        return super().refresh(*regions, **options)

    def _row_cells(self, action: Action) -> dict[str, Text]:
        assert self._frame is not None
        now, watched, stale = self._frame
        return {key: self._cell(key, action, now, watched, stale) for key in self._columns}

    def _cell(
        self,
        key: str,
        action: Action,
        now: datetime,
        watched: Collection[str],
        stale: Collection[str],
    ) -> Text:
        if key == "mark":
            mark = RowKeyText(WATCH_MARK if action.ref in watched else " ", end="")
            mark.stylize(self._style("watched"))
            mark.ref = action.ref
            return mark
        if key == "backend":
            style = self._style("stale") if action.backend in stale else ""
            return server_text(action.backend, style)
        if key == "status":
            return plain_text(status_text(action.status), self._style(action.status.value))
        return self._plain_cell(key, action, now)

    def _plain_cell(self, key: str, action: Action, now: datetime) -> Text:
        if key == "action":
            return server_text(action.name)
        if key == "resource":
            return server_text(action.resource or action.object_name or "")
        if key == "progress":
            return plain_text(progress_label(action), self._style(action.status.value))
        if key == "user":
            return server_text(action.user or "")
        if key == "started":
            return plain_text(age_label(action.started_at or action.created_at, now))
        return plain_text(duration_label(action, now), justify="right")

    def _style(self, name: str) -> Style:
        """A component style, looked up once per theme (the lookup is slow)."""
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"action-table--{name}", partial=True)
            self._styles[name] = style
        return style

    def action_cursor_down(self) -> None:
        """Down one row; from the last row, to the top of the next page."""
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.PageRequested("next", "first"))
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Up one row; from the first row, to the bottom of the previous page."""
        if self.cursor_row <= 0:
            self.post_message(self.PageRequested("previous", "last"))
        else:
            super().action_cursor_up()

    def action_first(self) -> None:
        """To the newest action of all."""
        self.post_message(self.PageRequested("first", "first"))

    def action_last(self) -> None:
        """To the oldest loaded action."""
        self.post_message(self.PageRequested("last", "last"))

    def action_page(self, page: PageTarget) -> None:
        """To the previous or next page, keeping the cursor's row."""
        self.post_message(self.PageRequested(page, "same"))
