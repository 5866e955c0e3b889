"""A read-only scrolling list of lines that renders only what is visible (Textual's line API).

:class:`LineView` asks its subclass for one line at a time
(:meth:`LineView.line_content`), turns it into a ``Strip`` once and keeps the
most recent strips in a bounded cache; scrolling crops cached strips, so a
keystroke costs the visible lines whatever the size of the data. A subclass
may pin its first cells while scrolling sideways (:meth:`LineView.fixed_cells`).
Lines are server data already made inert by the subclass (see
:func:`tui.console.widgets.formatting.literal`); this module never reads a clock,
fetches, or parses markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.segment import Segment
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget

from tui.console.widgets.vim_scroll import VIM_SCROLL_BINDINGS

STRIP_CACHE_SIZE = 1024
"""How many rendered lines are kept (a few screens' worth; memory stays bounded)."""

LONG_LINE = 8192
"""Lines longer than this many characters are rendered only around the visible columns."""


def content_strip(widget: Widget, content: Content, style: Style, *, y: int = 0) -> Strip:
    """``content`` (one line) as one unwrapped strip over ``style``.

    What ``Visual.to_strips`` makes of one line at its own width, without its
    wrapping, alignment and link passes (a line here never wraps, is left
    aligned and has no links): about half the time per line. Theme variables
    in the styles are resolved by the running app's stylesheet. Each cell
    keeps its offset (``y``: the line's number in a text of several), for
    selecting text with the mouse.
    """
    width = content.cell_length
    if not width:
        return Strip([], 0)
    if "\n" in content.plain or "\t" in content.plain:  # not one plain line: the general path
        strips = Visual.to_strips(widget, content, width, 1, style, apply_selection=False)
        return strips[0] if strips else Strip([], 0)
    segments = []
    x = 0
    for text, text_style in content.render(style, end=""):
        segments.append(Segment(text, (style + text_style).rich_style_with_offset(x, y)))
        x += len(text)
    return Strip(segments, width)


class LineView(ScrollView, can_focus=True):
    """Lines from :meth:`line_content`, rendered when they come into view.

    Arrows, PgUp/PgDn and Home/End scroll as in any scroll container;
    j/k/h/l scroll and g/G jump to the top or bottom.
    """

    BINDINGS: ClassVar[list[BindingType]] = VIM_SCROLL_BINDINGS

    DEFAULT_CSS = """
    LineView {
        height: 1fr;
        overflow: auto;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty view.

        Args:
            id: the widget id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes)
        self._strips: LRUCache[int, Strip] = LRUCache(STRIP_CACHE_SIZE)
        self._line_count = 0

    @property
    def line_count(self) -> int:
        """How many lines there are."""
        return self._line_count

    def line_content(self, index: int) -> Content:
        """Line ``index`` (0-based, below :attr:`line_count`); subclasses say what it is."""
        raise NotImplementedError

    def fixed_cells(self, index: int) -> int:
        """How many leading cells of line ``index`` stay put when scrolling sideways."""
        return 0

    def plain_lines(self) -> list[str]:
        """The text of every line (for copying and tests; costs the whole data)."""
        return [self.line_content(index).plain for index in range(self._line_count)]

    def set_lines(self, count: int, width: int) -> None:
        """Say there are now ``count`` lines at most ``width`` cells wide; drop rendered lines."""
        self._line_count = count
        self._strips.clear()
        self.virtual_size = Size(width, count)
        self.refresh()

    def redo_visible_lines(self, changed: Callable[[int], bool]) -> None:
        """The lines were rebuilt with their number and widths unchanged: repaint only
        the visible lines for which ``changed(index)`` is true.

        Cached lines out of view are dropped without being compared (they are
        rendered again if scrolled to), so the cost is the visible lines alone.
        """
        top = self.scroll_offset.y
        visible = range(top, min(top + self.scrollable_content_region.height, self._line_count))
        for index in list(self._strips.keys()):
            if index not in visible:
                self._strips.discard(index)
        for index in visible:
            if changed(index):
                self._strips.discard(index)
                self.refresh_line(index)

    def refresh_content_lines(self, indexes: range) -> None:
        """Render lines ``indexes`` again (their content changed, not their number)."""
        for index in indexes:
            self._strips.discard(index)
        self.refresh()

    def notify_style_update(self) -> None:
        """A theme or style change: render every line again in the new colours."""
        self._strips.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        """The visible line ``y`` of the widget, cropped to the horizontal scroll."""
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.visual_style
        if index >= self._line_count:
            return Strip.blank(width, style.rich_style)
        fixed = min(self.fixed_cells(index), width)
        strip = self._strip(index, style, scroll_x + width - fixed)
        if fixed and scroll_x:
            head = strip.crop(0, fixed)
            tail = strip.crop_extend(fixed + scroll_x, scroll_x + width, style.rich_style)
            return Strip.join([head, tail]).extend_cell_length(width, style.rich_style)
        return strip.crop_extend(scroll_x, scroll_x + width, style.rich_style)

    def _strip(self, index: int, style: Style, right: int) -> Strip:
        strip = self._strips.get(index)
        if strip is not None:
            return strip
        content = self.line_content(index)
        if len(content.plain) <= LONG_LINE:
            strip = content_strip(self, content, style)
            self._strips[index] = strip
            return strip
        # A megabyte on one line: render (and do not keep) only up to the right edge.
        return content_strip(self, content[: right + 1], style)
