"""A Static whose content is a reactive value: it repaints only when text or styles differ.

Textual's ``Content`` compares by text alone (``==`` ignores styles), so a
reactive holding a bare ``Content`` would miss a change of colour. The value
here is :class:`SameContent`, equal only when the text *and* the spans match;
assign :attr:`ContentView.shown` and Textual's reactive compare decides whether
anything is repainted. A new value that takes as many lines as the old one at
the widget's width repaints the widget alone, without a layout pass over the
screen (moving through the list changes every field of the detail pane, rarely
their heights); :class:`LineRepaintView` resends only the lines that changed.
Nothing here builds content: callers pass it made safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from textual.app import RenderResult
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region
from textual.reactive import var
from textual.visual import Visual, VisualType
from textual.widgets import Static

from tui.console.widgets.line_diff import changed_lines


@dataclass(frozen=True, eq=False)
class SameContent:
    """Content compared by its text and its styles."""

    content: Content

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SameContent) and self.content.is_same(other.content)

    def __hash__(self) -> int:
        return hash(self.content.plain)


class ContentView(Static):
    """A Static showing :attr:`shown` (nothing until it is first set)."""

    shown: var[SameContent | None] = var(None, init=False)
    """What the widget shows; a new value equal to the old one repaints nothing."""

    def watch_shown(self, old: SameContent | None, shown: SameContent | None) -> None:
        """Repaint (called only when the content differs); lay out only when the height does."""
        if shown is not None:
            self.update(shown.content, layout=self._height_changes(old, shown))

    def _height_changes(self, old: SameContent | None, new: SameContent) -> bool:
        """Whether ``new`` needs another height than ``old`` at the current width."""
        width, styles = self.content_size.width, self.styles
        if old is None or not width or (styles.width is not None and styles.width.is_auto):
            return True
        rules = cast(RulesMap, styles)  # what Textual itself measures content with
        return old.content.get_height(rules, width) != new.content.get_height(rules, width)


class LineRepaintView(ContentView):
    """A :class:`ContentView` whose change of the same height resends only what differs.

    Textual repaints a whole widget when its content is replaced, blank lines
    and trailing blanks included. Here a new value that keeps the height marks
    dirty only the lines that read otherwise, each up to its last changed
    cell (see :mod:`.line_diff`); the widget renders :attr:`shown` itself.
    """

    @property
    def content(self) -> VisualType:
        """What the widget shows."""
        return self.shown.content if self.shown is not None else Content("")

    @content.setter
    def content(self, content: VisualType) -> None:
        self.update(content)

    @property
    def visual(self) -> Visual:
        """What the widget shows (a :class:`Content`)."""
        return self.shown.content if self.shown is not None else Content("")

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show ``content`` as it is (a :class:`Content`; anything else as text)."""
        self.shown = SameContent(content if isinstance(content, Content) else Content(str(content)))

    def render(self) -> RenderResult:
        """What :attr:`shown` holds."""
        return self.visual

    def watch_shown(self, old: SameContent | None, shown: SameContent | None) -> None:
        """Repaint what changed: everything when the height does, else the changed lines."""
        if shown is None:
            return
        if old is None or self._height_changes(old, shown):
            self.refresh(layout=True)
            return
        regions = [Region(0, y, end, 1) for y, end in self._changed_lines(old, shown)]
        if regions:
            self.refresh(*regions)

    def _changed_lines(self, old: SameContent, new: SameContent) -> list[tuple[int, int]]:
        """``(line, end)`` for each line of the widget that reads otherwise (see
        :func:`.line_diff.changed_lines`), ``old`` and ``new`` being as tall.

        When every line fits the width and nothing aligns or pads the text,
        a line renders alone as it does within the whole: the lines whose
        text or styles differ are rendered (and compared cell by cell), the
        others not at all. Otherwise both are rendered whole.
        """
        width, height = self.size
        style = self.visual_style
        before = old.content.split("\n", allow_blank=True)
        after = new.content.split("\n", allow_blank=True)
        same_height = len(before) == len(after) == height
        if not same_height or not self._lines_render_alone(before + after, width):
            was = Visual.to_strips(self, old.content, width, height, style)
            now = Visual.to_strips(self, new.content, width, height, style)
            return changed_lines(was, now)
        changed: list[tuple[int, int]] = []
        for y, (was_line, line) in enumerate(zip(before, after, strict=True)):
            if was_line.is_same(line):
                continue
            was = Visual.to_strips(self, was_line, width, 1, style)
            now = Visual.to_strips(self, line, width, 1, style)
            changed += [(y, end) for _, end in changed_lines(was, now)]
        return changed

    def _lines_render_alone(self, lines: list[Content], width: int) -> bool:
        styles = self.styles
        return (
            self.text_selection is None
            and styles.text_align in ("left", "start")
            and not styles.line_pad
            and styles.content_align == ("left", "top")
            and all(line.cell_length <= width and "\t" not in line.plain for line in lines)
        )
