"""The key footer drawn as one widget: the screen's shown bindings on one line.

It looks like Textual's ``Footer`` (the same theme variables, spacing and
docked command-palette key) but is a single widget that redraws one line
when the bindings change, where ``Footer`` removes and mounts a widget per
key each time (three times for a pushed screen: about 60 ms each). A click
on a key presses it (a disabled key rings the bell); the mouse shades the
key under it and shows its tooltip. Binding groups are shown as plain keys.
Binding descriptions are ours, never server text; this module reads the
screen's bindings and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.events import Leave, MouseDown, MouseMove
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

_KEY = "footer-key--key"
_DESCRIPTION = "footer-key--description"
_BORDER = "key-footer--border"
_HOVER = "key-footer--hover"

PALETTE_BORDER = "▏"
"""Drawn left of the command-palette key (Textual's ``vkey`` border)."""


@dataclass(frozen=True, slots=True)
class FooterItem:
    """One key as the footer shows it."""

    key: str
    """The key pressed when the item is clicked."""
    display: str
    """How the key is written (``esc``, ``^p``)."""
    description: str
    enabled: bool = True
    tooltip: str = ""


Span = tuple[int, int, FooterItem]
"""Where a key is drawn: first cell, the cell after its last, the key."""


def footer_items(screen: Screen[object]) -> tuple[tuple[FooterItem, ...], FooterItem | None]:
    """The keys ``screen`` shows (one per action, as ``Footer`` does), and the palette key."""
    app = screen.app
    active = screen.active_bindings
    seen: set[str] = set()
    items: list[FooterItem] = []
    for _node, binding, enabled, tooltip in active.values():
        if not binding.show or binding.action in seen:
            continue
        seen.add(binding.action)
        display = app.get_key_display(binding)
        items.append(FooterItem(binding.key, display, binding.description, enabled, tooltip))
    palette = None
    if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
        _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
        tip = binding.tooltip or binding.description
        display = app.get_key_display(binding)
        palette = FooterItem(binding.key, display, binding.description, enabled, tip)
    return tuple(items), palette


class KeyFooter(Widget, can_focus=False):
    """The shown key bindings of the screen, docked at the bottom, one line."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {_KEY, _DESCRIPTION, _BORDER, _HOVER}

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--border {
            color: $foreground 20%;
        }
        & > .key-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty footer (it fills in when the screen says its bindings changed)."""
        super().__init__(id=id, classes=classes)
        self._items: tuple[FooterItem, ...] = ()
        self._palette: FooterItem | None = None
        self._spans: list[Span] = []
        self._hover: FooterItem | None = None

    @property
    def items(self) -> tuple[FooterItem, ...]:
        """The keys shown from the left (without the palette key)."""
        return self._items

    def on_mount(self) -> None:
        """Follow the screen's bindings."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        """Stop following them."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        items, palette = footer_items(screen)
        if (items, palette) != (self._items, self._palette):
            self._items, self._palette = items, palette
            self.refresh()

    # -- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """The one line: the keys from the left, the palette key on the right."""
        width = self.size.width
        base = self.rich_style
        blank = RichStyle(bgcolor=base.bgcolor)
        if y:
            return Strip.blank(width, blank)
        palette = self._palette_segments(base, blank) if self._palette else []
        room = max(0, width - sum(segment.cell_length for segment in palette))
        left, self._spans = self._key_segments(base)
        strip = Strip(left).crop_extend(0, room, blank)
        if palette:
            assert self._palette is not None
            self._spans = [span for span in self._spans if span[0] < room]
            self._spans.append((room, width, self._palette))
            strip = Strip.join([strip, Strip(palette)])
        return strip.crop_extend(0, width, blank)

    def _looks(self, base: RichStyle, item: FooterItem) -> tuple[RichStyle, RichStyle]:
        """The item's base style, and what goes over each of its parts (the hover shade)."""
        look = base if item.enabled else base + RichStyle(dim=True)
        if item is not self._hover:
            return look, RichStyle()
        hover = self.get_component_rich_style(_HOVER)
        return look + hover, RichStyle(bgcolor=hover.bgcolor)

    def _key_segments(self, base: RichStyle) -> tuple[list[Segment], list[Span]]:
        key, text = self.get_component_rich_style(_KEY), self.get_component_rich_style(_DESCRIPTION)
        segments: list[Segment] = []
        spans: list[Span] = []
        at = 0
        for item in self._items:
            look, over = self._looks(base, item)
            parts = [(f" {item.display} ", key), (f"{item.description} ", text)]
            if not item.description:
                parts = [(item.display, key)]
            start = at
            for part, style in parts:
                segments.append(Segment(part, look + style + over))
                at += Segment(part).cell_length
            spans.append((start, at, item))
        return segments, spans

    def _palette_segments(self, base: RichStyle, blank: RichStyle) -> list[Segment]:
        item = self._palette
        assert item is not None
        look, over = self._looks(base, item)
        key, text = self.get_component_rich_style(_KEY), self.get_component_rich_style(_DESCRIPTION)
        border = self.get_component_rich_style(_BORDER)
        parts = [(PALETTE_BORDER, border), (item.display, key)]
        if item.description:
            parts.append((f" {item.description}", text))
        segments = [Segment(part, look + style + over) for part, style in parts]
        return [*segments, Segment(" ", blank + over)]

    # -- mouse -----------------------------------------------------------------------------

    def _item_at(self, x: int) -> FooterItem | None:
        return next((item for start, end, item in self._spans if start <= x < end), None)

    def on_mouse_down(self, event: MouseDown) -> None:
        """A click presses the key under the mouse (a disabled one rings the bell)."""
        item = self._item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: MouseMove) -> None:
        """Shade the key under the mouse and show its tooltip."""
        self._set_hover(self._item_at(event.x))

    def on_leave(self, event: Leave) -> None:
        """No key under the mouse any more."""
        self._set_hover(None)

    def _set_hover(self, item: FooterItem | None) -> None:
        if item is not self._hover:
            self._hover = item
            self.tooltip = (item.tooltip or None) if item else None
            self.refresh()
