"""Scrolling jumps instead of gliding, unless ``TEXTUAL_ANIMATIONS`` asks for animations."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.console.animation import calm_animations


class Page(VerticalScroll):
    """Remembers every vertical offset it passes through."""

    def __init__(self) -> None:
        super().__init__()
        self.offsets: list[float] = []

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.offsets.append(new)


class LongPage(App[None]):
    """A page far taller than the screen, animated as the console animates."""

    def __init__(self, environ: dict[str, str]) -> None:
        super().__init__()
        calm_animations(self, environ)

    def compose(self) -> ComposeResult:
        with Page():
            yield Static("\n".join(f"line {n}" for n in range(2_000)))


def test_no_animations_unless_the_environment_chooses() -> None:
    assert LongPage({}).animation_level == "none"
    assert LongPage({"TEXTUAL_ANIMATIONS": "full"}).animation_level != "none"


async def _end_offsets(environ: dict[str, str]) -> tuple[list[float], float]:
    """The offsets End scrolls the page through, and its bottom."""
    app = LongPage(environ)
    async with app.run_test(size=(40, 10)) as pilot:
        page = app.query_one(Page)
        page.focus()
        await pilot.press("end")
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        return page.offsets, page.max_scroll_y


async def test_end_jumps_to_the_bottom_in_one_step() -> None:
    offsets, bottom = await _end_offsets({})
    assert offsets == [bottom]


async def test_an_animation_asked_for_still_glides() -> None:
    offsets, bottom = await _end_offsets({"TEXTUAL_ANIMATIONS": "full"})
    assert len(offsets) > 1
    assert offsets[-1] == bottom
