"""The events timeline in the detail pane: Nova events with retries grouped.

The timeline is virtual: only the rows on screen are built and wrapped, so
10,000 events cost what ten do (the rows themselves come from
:mod:`~tui.console.widgets.timeline_rows`, each built when first shown). A
change (new events, the clock, the cursor) compares the lines on screen with
the ones last drawn and repaints only the cells that differ. An action shown
a moment ago and shown again (back and forth in the list) keeps its rows'
layout and the rendered lines of its first rows, so it opens without
grouping or rendering again what was done (the last few timelines are
kept). This module scrolls, moves the cursor and caches rendered lines; it
never fetches events and never opens the traceback itself (the detail pane
turns a selection into a message).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from rich.cells import cell_len
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.events import Click, MouseMove
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual
from textual.widget import Widget

from tui.console.widgets.line_view import content_strip
from tui.console.widgets.row_layout import RowLayout
from tui.console.widgets.timeline_rows import RowsCache, TimelineRows, row_content
from tui.format import time_text
from tui.model import Action, Event

ROW_CACHE_SIZE = 512
"""How many rows' rendered lines are kept (per look: plain, under the cursor, under the mouse)."""

_LOOKS = ("", "event-timeline--cursor", "event-timeline--hover")

_LookKey = tuple[VisualStyle, object, object, object, object]
"""A look's style and the rules that shape its text (wrap, overflow, alignment, padding)."""

_Strips = LRUCache[tuple[int, str], tuple[_LookKey, list[Strip]]]
"""Rendered rows by (row, look), with the look they were rendered for."""

DRAWINGS_KEPT = 3
"""How many timelines shown before the current one keep their laid-out rows (:class:`_Drawing`)."""

DRAWN_ROWS_KEPT = 64
"""Of a timeline left, the rendered lines of its first rows are kept (it opens at its top)."""


@dataclass(eq=False)
class _Drawing:
    """What the timeline worked out for one action's rows: where they start and, for the first
    rows, their rendered lines; valid at the same width, day and theme (and clock, for the
    running rows)."""

    rows: TimelineRows
    layout: RowLayout
    laid_at: int
    strips: _Strips
    now: datetime
    day: str
    theme: str


def row_strips(widget: Widget, content: Content, width: int, style: VisualStyle) -> list[Strip]:
    """``content``, pre-wrapped within ``width``, as ``Visual.to_strips`` renders it.

    A row's lines are already wrapped (:mod:`.timeline_rows`), so each is
    rendered on its own, without Textual's wrap, alignment and link passes
    (about half the time); a line wider than ``width`` (Textual folds it), a
    tab, a text selection or styles that align or pad the text take the
    general path.
    """
    lines = content.split("\n", allow_blank=True)
    styles = widget.styles
    general = (
        widget.text_selection is not None
        or "\t" in content.plain
        or styles.text_align not in ("left", "start")
        or styles.line_pad
        or styles.content_align != ("left", "top")
        or any(line.cell_length > width for line in lines)
    )
    if general:
        return Visual.to_strips(widget, content, width, None, style)
    return [content_strip(widget, line, style, y=y) for y, line in enumerate(lines)]


def _cells(strip: Strip) -> list[tuple[str, object]] | None:
    """Each cell's character and style; ``None`` when a character is not one cell wide."""
    cells: list[tuple[str, object]] = []
    for text, style, _ in strip:
        if cell_len(text) != len(text):
            return None
        cells += [(char, style) for char in text]
    return cells


def changed_cells(old: Strip, new: Strip) -> tuple[int, int] | None:
    """The cells (``start``, ``end`` exclusive) where ``new`` reads otherwise than ``old``.

    ``None`` when nothing differs; the whole line when a wide character
    stops a cell-by-cell comparison.
    """
    if old == new:
        return None
    was, now = _cells(old), _cells(new)
    length = max(old.cell_length, new.cell_length)
    if was is None or now is None:
        return 0, length
    blank = ("", None)
    differ = [
        x
        for x in range(length)
        if (was[x] if x < len(was) else blank) != (now[x] if x < len(now) else blank)
    ]
    return (differ[0], differ[-1] + 1) if differ else None


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
        self._rows = TimelineRows(None)
        self._made = RowsCache()
        """The rows of the last few actions shown (showing one again groups nothing)."""
        self._running_rows: list[int] = []
        self._layout = RowLayout([])
        self._shown: dict[int, Strip] = {}
        """Each line of the widget as last drawn (what is on the terminal)."""
        self._strips: _Strips = LRUCache(ROW_CACHE_SIZE)
        self._drawings: list[_Drawing] = []
        """The timelines shown before, most recent first (showing one again draws little)."""
        self._theme = ""
        self._hover: int | None = None
        self._now = datetime.min.replace(tzinfo=UTC)
        self._day = ""
        self._width = 0
        self._room = 0
        """The last room the rows had: while hidden, the width their heights are guessed at."""
        self._laid_at = 0
        """The width the rows' heights (and rendered lines) are for."""
        self.cursor: int | None = None
        """The row under the cursor (always an attempt), if any."""

    @property
    def row_count(self) -> int:
        """Headings and attempts."""
        return len(self._rows)

    @property
    def highlighted_event(self) -> Event | None:
        """The attempt under the cursor, if any."""
        return None if self.cursor is None else self._rows.event_at(self.cursor)

    def event_at(self, index: int) -> Event | None:
        """The attempt shown by row ``index`` (``None`` for headings)."""
        return self._rows.event_at(index)

    @property
    def built_rows(self) -> int:
        """How many rows have been built so far (only those shown are)."""
        return self._rows.built

    def row_contents(self) -> list[Content]:
        """The text of every row at the current width (costs every row: for tests and copies)."""
        width = self._content_width()
        return [row_content(row, self._now, self._day, width) for row in self._rows]

    def show_action(self, action: Action, now: datetime, *, keep_cursor: bool = True) -> None:
        """Show ``action``'s events.

        When the events are the same ones as before, only rows whose text
        changed are rendered again, so the scroll position and cursor stay
        put; otherwise the list starts afresh and the cursor follows its
        attempt when it still exists. Either way only the cells on screen
        that now read otherwise are repainted.

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
                self._redo_rows(self._running_rows)
            return
        self._action = action
        rows = self._made.rows(action)
        self._running_rows = rows.running()
        if keep_cursor and rows.same_shape(self._rows):
            old, self._rows = self._rows, rows
            self._redo_rows(rows.changed_rows(old, clock_moved=clock_moved))
            return
        self._keep_drawing()
        self._rows = rows
        self.cursor = rows.find(keep)
        self._restart_layout(new_rows=True)
        self.scroll_to(y=0, animate=False)
        self._scroll_to_cursor()
        self._repaint_changed()

    @property
    def _laid_out(self) -> bool:
        """True once the rows have heights for a width (the one they are shown at)."""
        return bool(self._width)

    def _redo_rows(self, indices: Iterable[int]) -> None:
        """Render these rows again; repaint only the cells on screen that read otherwise.

        A row off screen is only forgotten (it is rendered when it shows).
        """
        for index in indices:
            self._forget_row(index)
        self._repaint_changed()

    def _repaint_changed(self) -> None:
        """Mark dirty only the cells on screen that differ from what was drawn there.

        Textual repaints a whole widget on ``refresh()``, blank lines and
        trailing blanks included; here each line on screen is compared with
        the one last drawn, and only the span of cells that changed is sent.
        """
        if not self._laid_out or not self._shown or self._width != self._content_width():
            self.refresh()
            return
        self._lay_out_visible()
        regions = []
        for y in range(self.scrollable_content_region.height):
            new, old = self._line(y), self._shown.get(y)
            span = (0, new.cell_length) if old is None else changed_cells(old, new)
            if span is not None:
                regions.append(Region(span[0], y, span[1] - span[0], 1))
        if regions:
            self.refresh(*regions)

    def _forget_row(self, index: int) -> None:
        if index < len(self._layout):
            self._layout.forget(index)
        for look in _LOOKS:
            self._strips.discard((index, look))

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    def _restart_layout(self, *, new_rows: bool = False) -> None:
        """Lay the rows out at the room there is (new rows, or a new width: afresh).

        Hidden (no room yet), the rows' heights are guessed at the room they
        had last, so the first layout already gives the scrollbar its room,
        and the first paint only lays out the rows it shows (at that width,
        the guesses stand): one layout pass.
        """
        self._width = width = self._content_width()
        if width:
            self._room = width
        room = width or self._room
        if new_rows or room != self._laid_at:
            self._laid_at = room
            if not (new_rows and self._take_drawing(room)):
                self._strips.clear()
                self._layout = RowLayout(self._rows.estimated_heights(room))
        self._lay_out_visible(update=False)
        self._update_virtual_size()

    def _keep_drawing(self) -> None:
        """Keep what was worked out for the rows shown until now (they are being replaced)."""
        if not len(self._rows) or not self._laid_at:
            return
        strips: _Strips = LRUCache(ROW_CACHE_SIZE)
        keys = list(self._strips.keys())
        for key in (key for key in keys if key[0] < DRAWN_ROWS_KEPT):
            value = self._strips.get(key)
            if value is not None:
                strips[key] = value
        drawing = _Drawing(
            self._rows, self._layout, self._laid_at, strips, self._now, self._day, self._theme
        )
        kept = [drawing, *(d for d in self._drawings if d.rows is not self._rows)]
        self._drawings = kept[:DRAWINGS_KEPT]
        self._strips = LRUCache(ROW_CACHE_SIZE)

    def _take_drawing(self, room: int) -> bool:
        """Lay the new rows out as they were when last shown at this room, if they were."""
        for drawing in self._drawings:
            if drawing.rows is self._rows:
                self._drawings.remove(drawing)
                break
        else:
            return False
        if (drawing.laid_at, drawing.day, drawing.theme) != (room, self._day, self._theme):
            return False
        self._layout, self._strips = drawing.layout, drawing.strips
        if drawing.now != self._now:  # running attempts measure the clock
            for index in self._running_rows:
                self._forget_row(index)
        return True

    def _update_virtual_size(self) -> None:
        # The width is left out: the rows always fit the room (a change of it would lay the
        # screen out again for nothing).
        # Set without the reactive's own refresh, which repaints the whole widget: a layout
        # (for the scrollbar) and the changed cells are enough.
        size = Size(0, self._layout.total)
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)
            self.refresh(layout=True, repaint=False)

    def on_resize(self) -> None:
        """Wrap the rows again when the room for them changed (the cursor stays)."""
        if self._content_width() != self._width:
            self._restart_layout()
            self._scroll_to_cursor()
            self.refresh()

    def watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar came or went (no resize says so): the rows are wrapped at the new
        room when next painted, all of them repainted."""
        if self._laid_out and self._content_width() != self._width:
            self.refresh()

    def notify_style_update(self) -> None:
        """A style change: rows are rendered again when their look changed (focus changes
        only the cursor's), all of them when the theme changed (colours inside the text)."""
        if self.app.theme != self._theme:
            self._theme = self.app.theme
            self._strips.clear()
        super().notify_style_update()

    def _look_key(self, look: str) -> _LookKey:
        """What a row drawn with ``look`` depends on besides its text and the width."""
        style = self.get_visual_style(look) if look else self.visual_style
        styles = self.styles
        return style, styles.text_wrap, styles.text_overflow, styles.text_align, styles.line_pad

    def _row_strips(self, index: int, *, update: bool = True) -> list[Strip]:
        """Row ``index`` rendered (in the cursor's style when it is under the cursor).

        Laying a row out may change its height; ``update`` says whether to
        resize the scrollable area straight away.
        """
        look = self._look(index)
        key = (index, look)
        look_key = self._look_key(look)
        cached = self._strips.get(key)
        strips = cached[1] if cached is not None and cached[0] == look_key else None
        if strips is None:
            style = look_key[0]
            width = self._width
            content = row_content(self._rows[index], self._now, self._day, width or None)
            rendered = row_strips(self, content, width, style) if width else []
            strips = [strip.extend_cell_length(width, style.rich_style) for strip in rendered]
            self._strips.discard(key)  # LRUCache.set keeps an existing key's old value
            self._strips[key] = (look_key, strips)
            if self._layout.set_exact(index, len(strips)) and update:
                self._update_virtual_size()
        return strips

    def _lay_out(self, index: int, *, update: bool = True) -> None:
        if not self._layout.is_exact(index):
            self._row_strips(index, update=update)

    def _lay_out_visible(self, *, update: bool = True) -> None:
        """Make every row on screen exact before painting (heights settle in a pass or two)."""
        if not len(self._rows) or not self._laid_out:
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
        """Lay out the visible rows (first at the room there is, if it changed), then paint."""
        if self._content_width() != self._width:
            self._restart_layout()
            if self.cursor is not None:
                self.call_after_refresh(self._scroll_to_cursor)
        else:
            self._lay_out_visible()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget (kept as drawn, to compare the next change with)."""
        strip = self._shown[y] = self._line(y)
        return strip

    def _line(self, y: int) -> Strip:
        """Line ``y`` of the widget as it reads now."""
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
        self._repaint_changed()

    def on_mouse_move(self, move: MouseMove) -> None:
        """Shade the attempt under the mouse."""
        offset = move.get_content_offset(self)
        row = None
        if offset is not None and self._laid_out and len(self._rows):
            row = self._layout.row_at(self.scroll_offset.y + offset.y)
            row = row if self._rows.is_attempt(row) else None
        if row != self._hover:
            self._hover = row
            self._repaint_changed()

    def on_leave(self) -> None:
        """The mouse left: no shading."""
        if self._hover is not None:
            self._hover = None
            self._repaint_changed()

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
            if self._rows.is_attempt(index):
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
        if offset is None or not len(self._rows) or not self._laid_out:
            return
        row = self._layout.row_at(self.scroll_offset.y + offset.y)
        if self._rows.is_attempt(row):
            self._move_cursor(row)
            self.action_select()
