"""The one-widget key footer: drawn as Textual's Footer is, follows the bindings, clicks press."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Static

from tests.ui.harness import ThemedApp
from tui.console.widgets.key_footer import KeyFooter


class KeysScreen(Screen[None]):
    """A few keys, one of them disabled and one shown only after ``x``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("c", "count", "Count"),
        Binding("d", "nothing", "Disabled"),
        Binding("x", "extra", "Extra"),
        Binding("slash", "count", "Count again", key_display="/"),
        Binding("z", "count", "Hidden", show=False),
    ]

    def __init__(self, footer: Widget) -> None:
        super().__init__()
        self._footer = footer
        self.counted = 0
        self.extra = False

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield self._footer

    def action_count(self) -> None:
        self.counted += 1

    def action_extra(self) -> None:
        self.extra = True
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "nothing":
            return None  # shown, disabled
        if action == "close":
            return self.extra or None
        return True


class FooterApp(ThemedApp):
    def __init__(self, footer: Widget) -> None:
        super().__init__()
        self.keys_screen = KeysScreen(footer)

    def on_mount(self) -> None:
        super().on_mount()
        self.push_screen(self.keys_screen)


async def _footer_line(footer: Widget, width: int) -> list[tuple[str, str]]:
    app = FooterApp(footer)
    async with app.run_test(size=(width, 6)) as pilot:
        await pilot.pause()
        await pilot.pause()
        # The screen's last line as composed (Footer draws it with one widget per key).
        strip: Strip = app.screen._compositor.render_strips()[-1]
        return [(segment.text, str(segment.style)) for segment in strip]


def _cells(line: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One (character, style) per cell: the same drawing, however it is cut into segments."""
    return [(char, style) for text, style in line for char in text]


@pytest.mark.parametrize("width", [40, 80, 120])
async def test_draws_exactly_what_textuals_footer_draws(width: int) -> None:
    ours = await _footer_line(KeyFooter(), width)
    theirs = await _footer_line(Footer(), width)
    assert "".join(text for text, _ in ours).startswith(" esc Close  c Count  d Disab")
    assert _cells(ours) == _cells(theirs)


async def test_follows_the_bindings_and_a_click_presses_a_key() -> None:
    footer = KeyFooter()
    app = FooterApp(footer)
    async with app.run_test(size=(100, 6)) as pilot:
        await pilot.pause()
        screen = app.keys_screen
        shown = [(item.display, item.description, item.enabled) for item in footer.items]
        assert shown == [
            ("esc", "Close", False),
            ("c", "Count", True),
            ("d", "Disabled", False),
            ("x", "Extra", True),
        ]
        await pilot.press("x")
        await pilot.pause()
        assert footer.items[0].enabled
        count = next(item for item in footer.items if item.display == "c")
        start = footer.render_line(0).text.index(" c Count")
        await pilot.click(footer, offset=(start + 1, 0))
        await pilot.pause()
        assert screen.counted == 1
        disabled = footer.render_line(0).text.index(" d Disabled")
        await pilot.click(footer, offset=(disabled + 1, 0))
        await pilot.pause()
        assert screen.counted == 1
        assert count.key == "c"
