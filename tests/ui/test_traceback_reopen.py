"""The app's one traceback screen: each open shows the new traceback as a new screen would."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Static

from tests.ui.bigdata import long_traceback
from tests.ui.harness import ThemedApp
from tui.console.screens.traceback import (
    SCREEN_NAME,
    SummaryView,
    TracebackScreen,
    TracebackView,
    open_traceback,
)
from tui.console.widgets.key_footer import KeyFooter

FIRST = (
    "Traceback (most recent call last):\n"
    '  File "/nova/compute/manager.py", line 5, in prep\n'
    "    raise exception.ResizeError(reason=msg)\n"
    "nova.exception.ResizeError: first \x1b[2J"
)
SECOND = (
    "Traceback (most recent call last):\n"
    '  File "/nova/virt/libvirt/driver.py", line 9, in spawn\n'
    "    raise libvirtError('failed')\n"
    "libvirt.libvirtError: second"
)


class BaseApp(ThemedApp):
    def compose(self) -> ComposeResult:
        yield Static("base", id="base")


def _screen(app: BaseApp) -> TracebackScreen:
    screen = app.screen
    assert isinstance(screen, TracebackScreen)
    return screen


async def test_a_second_open_shows_the_new_traceback_from_the_top_without_the_old_search() -> None:
    app = BaseApp()
    async with app.run_test(size=(120, 36)) as pilot:
        open_traceback(app, "first title", long_traceback(400), event_name="first_event")
        await pilot.pause()
        first = _screen(app)
        await pilot.press("slash", *"frame_3", "enter", "G", "w")
        await pilot.pause()
        assert first.view.matches and first.view.scroll_offset.y > 0
        await pilot.press("slash")  # leave the find box open, then close the screen
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen.query_one("#base", Static)

        open_traceback(app, "second title", SECOND, event_name="second_event")
        await pilot.pause()
        second = _screen(app)
        view = second.view
        lines = view.plain_lines()
        heading = second.query_one("#traceback-title", Static).content
        summary = second.query_one(SummaryView).content
        find = second.query_one("#traceback-find", Input)
        footer_keys = {binding.key for _, binding, _, _ in second.active_bindings.values()}

        assert second is first and app.is_screen_installed(SCREEN_NAME)
        assert lines[0] == "1 Traceback (most recent call last):"
        assert lines[-1] == "4 libvirt.libvirtError: second"
        assert view.line_count == 4 and not view.matches and view.current_match is None
        assert view.scroll_offset == (0, 0) and not view.wrap
        assert second.focused is view and not find.has_class("-open") and find.value == ""
        assert str(heading).startswith("Traceback  second title  ·  4 lines")
        assert "second" in str(summary) and "first" not in str(summary)
        assert second.copy_text.endswith("libvirt.libvirtError: second")
        assert "n" not in footer_keys and "c" in footer_keys  # no matches: n/N not offered
        assert "Next match" not in [item.description for item in second.query_one(KeyFooter).items]


async def test_text_is_made_inert_on_every_open_and_escape_goes_back() -> None:
    app = BaseApp()
    async with app.run_test(size=(120, 36)) as pilot:
        for text in (SECOND, FIRST):
            open_traceback(app, "t", text)
            await pilot.pause()
            assert isinstance(app.screen, TracebackScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, TracebackScreen)
        open_traceback(app, "t", FIRST)
        await pilot.pause()
        shown = "\n".join(_screen(app).query_one(TracebackView).plain_lines())

    assert "\x1b" not in shown and shown.endswith("first ␛[2J")


async def test_opening_while_it_shows_replaces_the_text_without_pushing_again() -> None:
    app = BaseApp()
    async with app.run_test(size=(120, 36)) as pilot:
        open_traceback(app, "t", FIRST)
        await pilot.pause()
        depth = len(app.screen_stack)
        assert open_traceback(app, "t", SECOND) is None
        await pilot.pause()
        assert len(app.screen_stack) == depth
        assert _screen(app).view.plain_lines()[-1] == "4 libvirt.libvirtError: second"


async def test_a_theme_chosen_while_it_was_closed_shows_at_the_next_open() -> None:
    app = BaseApp()
    async with app.run_test(size=(120, 36)) as pilot:
        open_traceback(app, "t", FIRST)
        await pilot.pause()
        before = _screen(app).view.visual_style.rich_style.bgcolor
        _screen(app).dismiss()
        await pilot.pause()
        app.theme = "actiondeck-light"
        await pilot.pause()
        open_traceback(app, "t", SECOND)
        await pilot.pause()
        view = _screen(app).view
        after = view.visual_style.rich_style.bgcolor
        drawn = {segment.style.bgcolor for segment in view.render_line(0) if segment.style}

    assert after != before
    assert drawn == {after}
