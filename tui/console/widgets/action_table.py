"""The action list: one page of actions on Textual's line API, repainted cell by cell.

The screen hands it the actions of the visible page (attributes down). The
list keeps each row's cells (``rich.text.Text``) and their rendered segments;
:meth:`ActionTable.render_line` joins a row's segments into a ``Strip`` only
when the row is on screen, and keeps it until the row's cells change (the
rows of a new page are joined as it is shown, before the frame). When a
value changes (a poll, a tick of the clock) only the cells whose text
changed are marked dirty, with ``refresh(Region)``, and the console's copy
of its terminal (:mod:`tui.console.terminal_copy`) sends of those only the
cells that read otherwise; nothing changing writes nothing. Moving past the
top or bottom of the page, or asking for another page, posts
:class:`ActionTable.PageRequested` (messages up). It never talks to a
backend or the store.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.console.widgets.cell_render import cell_segments, changed_span
from tui.console.widgets.cells import RowFrame, clock_steady_until, list_cell
from tui.console.widgets.columns import (
    CELL_PADDING,
    COLUMNS,
    DEFAULT_WIDTH,
    ColumnSpec,
    fit_columns,
)
from tui.list_state import PageTarget, RowTarget
from tui.model import Action, Status

__all__ = ["COLUMNS", "ActionTable", "ColumnSpec", "fit_columns"]

HEADER_HEIGHT = 1
"""Lines of the header row (the column labels)."""

CLOCK_COLUMNS = frozenset({"started", "duration"})
"""The columns that read the clock: all a tick works out again (the others change
only with the action, the watch list, a backend's health or a stuck mark)."""

RENDERED_KEPT = 4096
"""Distinct rendered cells the list keeps for reuse (forgotten all at once past this)."""

KNOWN_KEPT = 2048
"""Rows of recent pages whose cells the list keeps for reuse (forgotten all at once past this)."""

NULL_STYLE = Style()

_Frame = tuple[datetime, Collection[str], Collection[str], Mapping[str, str]]
"""What rows depend on besides their action: now, watched, stale backends, stuck labels."""


def _same(old: Text | None, new: Text) -> bool:
    """Equal text, spans *and* base style (``Text.__eq__`` ignores the base style)."""
    return old is not None and old == new and old.style == new.style


def _same_row(old: dict[str, Text], new: dict[str, Text]) -> bool:
    return old.keys() == new.keys() and all(_same(old[key], cell) for key, cell in new.items())


@dataclass(frozen=True)
class _Column:
    """A fitted column: its key, label, content width and first cell on the line."""

    key: str
    label: str
    width: int
    x: int
    meta: Style
    """Marks the cell's segments as this column's, so that cells stay apart when the
    screen is exported as SVG (each cell its own text run, aligned on its grid)."""

    @property
    def outer(self) -> int:
        """Cells it takes on the line, padding included."""
        return self.width + 2 * CELL_PADDING


class ActionTable(ScrollView, can_focus=True):
    """One page of actions, newest first, with a row cursor."""

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
        "action-table--header",
        "action-table--cursor",
    }

    DEFAULT_CSS = """
    ActionTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .action-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .action-table--header {
                background-tint: $foreground 5%;
            }
        }
        & > .action-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .action-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .action-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    @dataclass
    class PageRequested(Message):
        """The user asked for another page (or moved past an edge of this one)."""

        page: PageTarget
        row: RowTarget = "same"

    class HeightChanged(Message):
        """The list got taller or shorter: a page may now hold more or fewer rows."""

    class _TableMessage(Message):
        """A message from the table (``control`` lets ``@on`` match it by selector)."""

        def __init__(self, table: ActionTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> ActionTable:
            """The table that sent it."""
            return self.table

    class CursorMoved(_TableMessage):
        """The cursor moved to another row (keys, mouse or a new page)."""

    class RowChosen(_TableMessage):
        """Enter, or a click on the cursor's row: open the action."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._refs: list[str] = []
        self._rows: dict[str, int] = {}
        self._page: dict[str, Action] = {}
        self._cells: dict[str, dict[str, Text]] = {}
        self._known: dict[str, tuple[Action, datetime, dict[str, Text]]] = {}
        """The cells of the rows of recent pages, with the action and the time they were
        worked out for: a row that comes back (a filter undone) reuses them."""
        self._segments: dict[str, dict[str, list[Segment]]] = {}
        """Rendered cells (off the cursor) of each row, dropped when a cell changes."""
        self._strips: dict[str, tuple[dict[str, Text], bool, int, Strip]] = {}
        """Each row's line as last drawn: for the cells, cursor and width it was drawn with."""
        self._rendered: dict[tuple[object, ...], list[Segment]] = {}
        """Rendered cells by what they read and how they look (see :meth:`_cell_segments`)."""
        self._styles: dict[str, Style] = {}
        """Component styles by name (``""``: the list's own), for the current theme and focus."""
        self._looks: dict[bool, tuple[list[Style], Style]] = {}
        """Off and on the cursor: each column's style under its cells and the one over them
        (worked out from :attr:`_styles`, forgotten with them and with the columns)."""
        self._columns: list[_Column] = []
        self._frame: _Frame | None = None
        self._cursor = 0
        self._height = 0
        self._focus_state: bool | None = None
        self._unpainted = False
        """A moved cursor or new rows are not on the screen yet (see :attr:`awaiting_paint`)."""
        self._steady: dict[str, tuple[Action, dict[str, Text], datetime, datetime | None]] = {}
        """Ref → (the action, its cells, since, until): its clock cells read the same until then."""

    # -- what the screen reads ---------------------------------------------------------

    @property
    def refs(self) -> list[str]:
        """The refs of the rows, top to bottom."""
        return list(self._refs)

    @property
    def awaiting_paint(self) -> bool:
        """True from a cursor move or new rows until the list next draws a line.

        What follows the list (the detail pane) waits for this, so that the
        move reaches the terminal in a frame of its own, before the detail's.
        """
        return self._unpainted

    @property
    def row_count(self) -> int:
        """How many rows the page has."""
        return len(self._refs)

    @property
    def cursor_row(self) -> int:
        """The cursor's row (0 when the page is empty)."""
        return self._cursor

    @property
    def cursor_ref(self) -> str | None:
        """The ref of the row under the cursor, if any."""
        return self._refs[self._cursor] if self._refs else None

    @property
    def header_height(self) -> int:
        """Lines above the first row."""
        return HEADER_HEIGHT

    @property
    def column_keys(self) -> list[str]:
        """The keys of the columns shown, left to right."""
        return [column.key for column in self._columns]

    @property
    def stale_backends(self) -> Collection[str]:
        """The backends whose rows are shown as possibly out of date."""
        return self._frame[2] if self._frame is not None else frozenset()

    def column_x(self, key: str) -> int:
        """Where column ``key`` starts on the line (its left padding included)."""
        return next(column.x for column in self._columns if column.key == key)

    def get_row(self, ref: str) -> list[Text]:
        """The cells of ``ref``'s row, left to right."""
        return list(self._cells[ref].values())

    def get_cell(self, ref: str, key: str) -> Text:
        """One cell of ``ref``'s row."""
        return self._cells[ref][key]

    # -- layout --------------------------------------------------------------------------

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
        columns: list[_Column] = []
        x = 0
        for spec, size in fit_columns(max(1, width)):
            meta = Style.from_meta({"column": len(columns)})
            columns.append(_Column(spec.key, spec.label, size, x, meta))
            x += size + 2 * CELL_PADDING
        if [(c.key, c.width) for c in columns] == [(c.key, c.width) for c in self._columns]:
            return
        self._columns = columns
        self._looks.clear()
        self._rendered.clear()
        self._cells.clear()
        self._forget_rendered()
        if self._frame is not None:
            for action in self._page.values():
                self._cells[action.ref] = self._row_cells(action)
        self.refresh()

    # -- what the screen tells it --------------------------------------------------------

    def show_page(
        self,
        actions: Sequence[Action],
        now: datetime,
        watched: Collection[str] = (),
        stale_backends: Collection[str] = (),
        stuck: Mapping[str, str] | None = None,
    ) -> None:
        """Show these actions, top to bottom, repainting only the cells that changed.

        ``stuck`` maps the refs of actions that look stuck to their label.
        The same rows with the same marks work out again whole only the rows
        whose action is another object (the store keeps an unchanged
        action's): a merged detail redoes its own row, and of the others
        only their ages and durations, as :meth:`tick` does.
        """
        if not self._columns:
            self.fit_to(self.size.width or DEFAULT_WIDTH)
        frame = (now, frozenset(watched), frozenset(stale_backends), dict(stuck or {}))
        same_frame = self._frame is not None and self._frame[1:] == frame[1:]
        self._frame = frame
        if not same_frame:
            self._known.clear()
        refs = [action.ref for action in actions]
        if refs != self._refs:
            self._set_rows(actions)
            return
        shown, self._page = self._page, {action.ref: action for action in actions}
        if not same_frame:
            self._update_cells(actions)
            return
        # The store keeps an unchanged action as the same object: only its clock can move.
        self._update_cells([action for action in actions if shown.get(action.ref) is not action])
        self._update_clocks([action for action in actions if shown.get(action.ref) is action], now)

    def _set_rows(self, actions: Sequence[Action]) -> None:
        """Another set or order of rows: each line repaints the cells that now read otherwise.

        A new action at the top moves every row down one line; the line keeps
        the cells it shares with the row that was there (the same backend,
        status, age…), so only the others are sent to the terminal. A cell
        that changed is marked whole, not compared character by character
        (a page of new rows changes most of its cells): the console's copy
        of its terminal sends only the characters that read otherwise.
        """
        old_refs, old_cells, old_cursor = self._refs, self._cells, self._cursor
        self._refs = [action.ref for action in actions]
        self._rows = {ref: row for row, ref in enumerate(self._refs)}
        self._page = {action.ref: action for action in actions}
        self._cells = {action.ref: self._cells_of(action) for action in actions}
        self._segments = {
            ref: segments
            for ref, segments in self._segments.items()
            if ref in self._cells and _same_row(old_cells.get(ref, {}), self._cells[ref])
        }
        self._cursor = min(self._cursor, max(0, len(self._refs) - 1))
        if len(old_refs) != len(self._refs):
            self.virtual_size = Size(self.virtual_size.width, HEADER_HEIGHT + len(self._refs))
        regions: list[Region] = []
        for row in range(max(len(old_refs), len(self._refs))):
            moved_cursor = self._cursor != old_cursor and row in (old_cursor, self._cursor)
            if row >= len(old_refs) or row >= len(self._refs) or moved_cursor:
                regions += self._row_regions([row])
                continue
            old, new = old_cells.get(old_refs[row], {}), self._cells[self._refs[row]]
            changed = {
                key: (None, cell) for key, cell in new.items() if not _same(old.get(key), cell)
            }
            regions += self._cell_regions(row, changed)
        self._strips = {ref: strip for ref, strip in self._strips.items() if ref in self._cells}
        if regions:
            self._unpainted = True
            self.refresh(*regions)
            self._lay_out_lines({region.y for region in regions})

    def _lay_out_lines(self, lines: Collection[int]) -> None:
        """Lay out the rows on widget lines ``lines`` now, not in the frame that draws them.

        The frame comes at Textual's next tick of its clock; a new page (a
        filter, a page flip) is worked out some milliseconds before it, and
        the loop waits for that tick doing nothing. Laying the rows out in
        between leaves the frame only Textual's part: the rows come sooner.
        """
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        self._check_focus()
        base = self._base_style()
        first = self.scroll_offset.y - HEADER_HEIGHT
        for y in sorted(lines):
            row = first + y
            if y >= HEADER_HEIGHT and 0 <= row < len(self._refs):
                self._row_strip(row, width, base)

    def tick(self, now: datetime) -> None:
        """Bring the time columns up to ``now`` (only cells whose text changes are redrawn)."""
        if self._frame is None:
            return
        _, watched, stale, stuck = self._frame
        self._frame = (now, watched, stale, stuck)
        self._update_clocks(self._page.values(), now)

    def _update_clocks(self, actions: Iterable[Action], now: datetime) -> None:
        """Work out again the clock cells of ``actions`` that can read otherwise at ``now``.

        A row whose action and cells are those its clock was last worked out
        for, before ``now`` and until after it (:func:`clock_steady_until`), is left alone.
        """
        steady, cells = self._steady, self._cells
        due = [
            action
            for action in actions
            if (known := steady.get(action.ref)) is None
            or known[0] is not action
            or known[1] is not cells.get(action.ref)
            or not known[2] <= now
            or (known[3] is not None and now >= known[3])
        ]
        self._update_cells(due, CLOCK_COLUMNS)
        kept = {ref: known for ref, known in steady.items() if ref in self._page}
        for action in due:
            since = (action, self._cells[action.ref], now, clock_steady_until(action, now))
            kept[action.ref] = since
        self._steady = kept

    def restyle(self) -> None:
        """Redraw every cell (the theme changed)."""
        self._forget_styles()
        self._forget_rendered()
        if self._frame is not None:
            for action in self._page.values():
                self._cells[action.ref] = self._row_cells(action)
        self.refresh()

    def notify_style_update(self) -> None:
        """A style change (theme, focus): render every row again in the new styles."""
        self._forget_styles()
        self._forget_rendered()
        super().notify_style_update()

    def select_ref(self, ref: str | None) -> bool:
        """Put the cursor on ``ref``'s row; False when it is not on this page."""
        if ref is None or ref not in self._rows:
            return False
        self.move_cursor(row=self._rows[ref])
        return True

    def move_cursor(self, *, row: int) -> None:
        """Put the cursor on ``row`` (clamped to the page), repainting the two rows."""
        if not self._refs:
            return
        row = min(max(0, row), len(self._refs) - 1)
        if row != self._cursor:
            self._unpainted = True
            self._refresh_rows([self._cursor, row])
            self._cursor = row
            self.post_message(self.CursorMoved(self))
        if self.max_scroll_y:  # a configured page taller than the list: keep the cursor in view
            self.scroll_to_region(Region(0, HEADER_HEIGHT + row, 1, 1), animate=False, force=True)

    def _update_cells(self, actions: Iterable[Action], keys: Collection[str] | None = None) -> None:
        """Work the cells out again (only columns ``keys``, if given); repaint what changed
        (the changed cells of every row marked in one refresh)."""
        regions: list[Region] = []
        for action in actions:
            ref = action.ref
            old = self._cells.get(ref, {})
            cells = self._row_cells(action, keys)
            changed = [key for key, cell in cells.items() if not _same(old.get(key), cell)]
            if not changed:
                continue
            if keys is not None:
                cells = {**old, **cells}
            self._cells[ref] = cells
            segments = self._segments.get(ref)
            if segments is not None:
                for key in changed:
                    segments.pop(key, None)
            changes = {key: (old.get(key), cells[key]) for key in changed}
            regions += self._cell_regions(self._rows[ref], changes)
        if regions:
            self.refresh(*regions)

    # -- repainting ----------------------------------------------------------------------

    def _refresh_rows(self, rows: Iterable[int]) -> None:
        regions = self._row_regions(rows)
        if regions:
            self.refresh(*regions)

    def _row_regions(self, rows: Iterable[int]) -> list[Region]:
        width = max(self.size.width, 1)
        scroll_y = self.scroll_offset.y
        return [Region(0, HEADER_HEIGHT + row - scroll_y, width, 1) for row in rows]

    def _cell_regions(
        self, row: int, changes: Mapping[str, tuple[Text | None, Text]]
    ) -> list[Region]:
        """The characters that changed in each cell (``12s`` → ``13s``: the ``3``).

        Textual resends a dirty piece of a line from the start of the piece
        of text that holds its first character, and stops at the region's end:
        ``2m ago`` → ``3m ago`` resends ``  3``, not the unit, the padding or a
        move to the next column. A cell that cannot be compared character by
        character (new, or with a wide character) is marked whole, without its
        right padding (a blank that never changes).
        """
        y = HEADER_HEIGHT + row - self.scroll_offset.y
        console = self.app.console
        regions = []
        for column in self._columns:
            if column.key not in changes:
                continue
            old, new = changes[column.key]
            span = None
            if old is not None:
                span = changed_span(console, old, new, column.outer, CELL_PADDING, self._unstyled)
            start, end = span if span is not None else (CELL_PADDING, column.outer - CELL_PADDING)
            if end > start:
                regions.append(Region(column.x + start, y, end - start, 1))
        return regions

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget: the header, or a row of the page."""
        self._unpainted = False
        self._check_focus()
        width = self.scrollable_content_region.width
        base = self._base_style()
        if y < HEADER_HEIGHT:
            return self._header_strip(width, base)
        row = self.scroll_offset.y + y - HEADER_HEIGHT
        if row >= len(self._refs):
            return Strip.blank(width, base)
        return self._row_strip(row, width, base)

    def _base_style(self) -> Style:
        """The list's own style, worked out once per theme and focus."""
        base = self._styles.get("")
        if base is None:
            base = self._styles[""] = self.rich_style
        return base

    def _check_focus(self) -> None:
        """Focus changes the cursor's and the header's styles: drop what was rendered."""
        focused = self.has_focus
        if focused != self._focus_state:
            self._focus_state = focused
            self._forget_styles()
            self._forget_rendered()

    def _forget_rendered(self) -> None:
        """Drop every row's rendered cells and lines (they are rendered again when drawn)."""
        self._known.clear()
        self._segments.clear()
        self._strips.clear()

    def _forget_styles(self) -> None:
        """The theme or the focus changed: work every style out again, and the cells in them."""
        self._styles.clear()
        self._looks.clear()
        self._rendered.clear()

    def _header_strip(self, width: int, base: Style) -> Strip:
        header = self.get_component_styles("action-table--header").rich_style
        segments: list[Segment] = []
        for column in self._columns:
            segments += self._cell_segments(
                Text(column.label), column.outer, header + column.meta, Style()
            )
        used = sum(column.outer for column in self._columns)
        if width > used:
            segments.append(Segment(" " * (width - used), header))
        return Strip(segments).adjust_cell_length(width, base).simplify()

    def _row_strip(self, row: int, width: int, base: Style) -> Strip:
        ref = self._refs[row]
        cells = self._cells[ref]
        on_cursor = row == self._cursor
        drawn = self._strips.get(ref)
        if drawn is not None and drawn[0] is cells and drawn[1] == on_cursor and drawn[2] == width:
            return drawn[3]
        pres, post = self._look(on_cursor, base)
        cache = None if on_cursor else self._segments.setdefault(ref, {})
        segments: list[Segment] = []
        for at, column in enumerate(self._columns):
            rendered = cache.get(column.key) if cache is not None else None
            if rendered is None:
                cell = cells[column.key]
                rendered = self._cell_segments(cell, column.outer, pres[at], post, (at, on_cursor))
                if cache is not None:
                    cache[column.key] = rendered
            segments += rendered
        used = sum(column.outer for column in self._columns)
        if width > used:
            segments.append(Segment(" " * (width - used), pres[-1]))
        # Each cell's segments are simplified and exactly its width; no two cells share a
        # style (each carries its column's meta), so the line needs no simplifying.
        strip = Strip(segments, max(width, used)).adjust_cell_length(width, base)
        self._strips[ref] = (cells, on_cursor, width, strip)
        return strip

    def _look(self, on_cursor: bool, base: Style) -> tuple[list[Style], Style]:
        """Each column's style under its cells (then the line's, past the last), and the one
        over them, off or on the cursor; worked out once per theme, focus and columns."""
        look = self._looks.get(on_cursor)
        if look is None:
            cursor = self._style("cursor") if on_cursor else Style()
            post = Style.from_color(color=cursor.color) if on_cursor else Style()
            pres = [base + cursor + column.meta for column in self._columns]
            look = self._looks[on_cursor] = ([*pres, base + cursor], post)
        return look

    def _unstyled(self, cell: Text, width: int) -> list[Segment]:
        """A cell laid out without styles, kept like the styled ones (for comparisons)."""
        return self._cell_segments(cell, width, NULL_STYLE, NULL_STYLE, "unstyled")

    def _cell_segments(
        self, cell: Text, width: int, pre: Style, post: Style, look: object = None
    ) -> list[Segment]:
        """One cell, padded, as the segments of one line ``width`` cells wide.

        Cells that read and look the same share their segments: a page of
        new rows repeats its backends, actions, statuses and users, so most
        of its cells are laid out once (a bounded cache, keyed on everything
        the layout reads). ``look``, when given, names ``pre`` and ``post``
        in that key (a column, on the cursor or off it): the cache is
        forgotten whenever they could change (theme, focus, columns).
        """
        spans = tuple(cell.spans)
        styles = (pre, post) if look is None else look
        key = (cell.plain, cell.style, spans, cell.justify, cell.overflow, width, styles)
        rendered = self._rendered.get(key)
        if rendered is None:
            if len(self._rendered) >= RENDERED_KEPT:
                self._rendered.clear()
            rendered = cell_segments(self.app.console, cell, width, CELL_PADDING, pre, post)
            self._rendered[key] = rendered
        return rendered

    # -- cells ---------------------------------------------------------------------------

    def _cells_of(self, action: Action) -> dict[str, Text]:
        """The cells of a new row, reusing those of the same action on a recent page.

        The store keeps an unchanged action as the same object, and the rows
        depend on nothing else but the frame (kept cells are forgotten when
        its marks change, and with the styles or the columns): of a kept row
        only the clock columns are worked out again, when the time moved.
        """
        assert self._frame is not None
        now = self._frame[0]
        known = self._known.get(action.ref)
        if known is None or known[0] is not action:
            cells = self._row_cells(action)
        elif known[1] != now:
            cells = {**known[2], **self._row_cells(action, CLOCK_COLUMNS)}
        else:
            cells = known[2]
        if len(self._known) >= KNOWN_KEPT:
            self._known.clear()
        self._known[action.ref] = (action, now, cells)
        return cells

    def _row_cells(self, action: Action, keys: Collection[str] | None = None) -> dict[str, Text]:
        """The row's cells (only those of columns ``keys``, when given)."""
        assert self._frame is not None
        now, watched, stale, stuck = self._frame
        frame = RowFrame(now, watched, stale, self._style, stuck)
        return {
            column.key: list_cell(column.key, action, frame)
            for column in self._columns
            if keys is None or column.key in keys
        }

    def _style(self, name: str) -> Style:
        """A component style, looked up once per theme (the lookup is slow)."""
        style = self._styles.get(name)
        if style is None:
            partial = name != "cursor"
            style = self.get_component_rich_style(f"action-table--{name}", partial=partial)
            self._styles[name] = style
        return style

    # -- keys and mouse ------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """A click on a row moves the cursor there; on the cursor's row, opens it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_HEIGHT:
            return
        row = self.scroll_offset.y + offset.y - HEADER_HEIGHT
        if row >= len(self._refs):
            return
        if row == self._cursor:
            self.post_message(self.RowChosen(self))
        else:
            self.move_cursor(row=row)

    def action_select_cursor(self) -> None:
        """Open the action under the cursor."""
        if self._refs:
            self.post_message(self.RowChosen(self))

    def action_cursor_down(self) -> None:
        """Down one row; from the last row, to the top of the next page."""
        if self._refs and self._cursor >= len(self._refs) - 1:
            self.post_message(self.PageRequested("next", "first"))
        else:
            self.move_cursor(row=self._cursor + 1)

    def action_cursor_up(self) -> None:
        """Up one row; from the first row, to the bottom of the previous page."""
        if self._cursor <= 0:
            self.post_message(self.PageRequested("previous", "last"))
        else:
            self.move_cursor(row=self._cursor - 1)

    def action_first(self) -> None:
        """To the newest action of all."""
        self.post_message(self.PageRequested("first", "first"))

    def action_last(self) -> None:
        """To the oldest loaded action."""
        self.post_message(self.PageRequested("last", "last"))

    def action_page(self, page: PageTarget) -> None:
        """To the previous or next page, keeping the cursor's row."""
        self.post_message(self.PageRequested(page, "same"))
