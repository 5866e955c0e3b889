"""The traceback viewer's summary, soft wrap, folded repeats and find (``/``, ``n``, ``N``)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.app import ComposeResult
from textual.widgets import Input, Static

from tests.helpers.terminal import record_terminal, terminal_output
from tests.ui.harness import ThemedApp
from tui.console.screens.traceback import TracebackScreen, TracebackView
from tui.console.widgets.traceback_view import CURRENT_MATCH_STYLE
from tui.model import Event

LONG_NAME = "_live_migration_operation_with_a_function_name_long_enough_to_be_cut_at_80"
TRACEBACK = "\n".join(
    [
        "Traceback (most recent call last):",
        *[f'  File "/nova/virt/libvirt/driver.py", line {n}, in {LONG_NAME}' for n in (1, 2)],
        *['  File "/nova/utils.py", line 7, in retry', "    return retry()"] * 40,
        '  File "/usr/lib/python3/dist-packages/libvirt.py", line 1409, in createWithFlags',
        "    raise libvirtError('virDomainCreateWithFlags() failed')",
        'libvirt.libvirtError: Failed to get "write" lock \x1b[31mred\x1b[0m',
    ]
)
EVENT = Event(
    name="compute_live_migration",
    result="Error",
    host="compute-02",
    details='Failed to get "write" lock',
    attempt=1,
    attempts=2,
)


class ViewerApp(ThemedApp):
    def __init__(self, text: str = TRACEBACK, wrap: bool | None = None) -> None:
        super().__init__()
        self._text = text
        self._wrap = wrap

    def compose(self) -> ComposeResult:
        yield Static("base")

    def on_mount(self) -> None:
        screen = TracebackScreen(
            "compute_live_migration — live-migration on db-1",
            self._text,
            event_name=EVENT.name,
            action_ref="openstack:srv-1/req-1",
            event=EVENT,
            wrap=self._wrap,
        )
        self.push_screen(screen)


def screen_lines(view: TracebackView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


def summary_text(app: ThemedApp) -> str:
    return str(app.screen.query_one("#traceback-summary", Static).render())


async def test_the_summary_shows_the_error_above_the_frames() -> None:
    app = ViewerApp()
    async with app.run_test(size=(120, 36)):
        summary = summary_text(app)
        screen = app.screen
        assert isinstance(screen, TracebackScreen)
        copied = screen.copy_text

    first = "event     compute_live_migration, attempt 1 of 2  · ✖ Error  · host compute-02"
    assert first in summary
    assert 'details   Failed to get "write" lock' in summary
    assert 'exception libvirt.libvirtError: Failed to get "write" lock ␛[31mred␛[0m' in summary
    assert "innermost libvirt.py:1409 in createWithFlags" in summary
    assert copied.startswith(
        "event     compute_live_migration, attempt 1 of 2\nresult    Error\nhost      compute-02\n"
    )
    assert "\n\nTraceback (most recent call last):\n" in copied
    assert "\x1b" not in summary and "\x1b" not in copied


async def test_below_120_columns_lines_wrap_and_nothing_is_cut() -> None:
    app = ViewerApp()
    async with app.run_test(size=(80, 40)) as pilot:
        view = app.screen.query_one(TracebackView)
        wrapped = view.wrap
        shown = screen_lines(view)
        width = view.size.width
        await pilot.press("w")
        await pilot.pause()
        unwrapped = screen_lines(view)
        title = str(app.screen.query_one("#traceback-title", Static).render())

    assert wrapped
    assert any(line.strip().endswith("_cut_at_80") for line in shown)  # the rest of line 2
    assert 0 < max(len(line) for line in shown) <= width
    assert not any(line.strip().endswith("_cut_at_80") for line in unwrapped)
    assert "wrap" not in title


async def test_at_120_columns_wrap_is_off_until_w() -> None:
    app = ViewerApp()
    async with app.run_test(size=(120, 36)) as pilot:
        view = app.screen.query_one(TracebackView)
        before = view.wrap
        await pilot.press("w")
        await pilot.pause()
        after = view.wrap
        title = str(app.screen.query_one("#traceback-title", Static).render())

    assert (before, after) == (False, True)
    assert "·  wrap" in title


async def test_repeated_frames_are_folded_and_counted() -> None:
    app = ViewerApp()
    async with app.run_test(size=(120, 36)):
        view = app.screen.query_one(TracebackView)
        lines = view.plain_lines()
        title = str(app.screen.query_one("#traceback-title", Static).render())

    assert [line for line in lines if "repeated" in line] == [
        "     [the frame above repeated 39 more times]"
    ]
    assert len(lines) == 3 + 2 + 1 + 3
    assert lines[-1].startswith("86 libvirt.libvirtError")  # the text's own line numbers
    assert "1 repeat folded" in title


async def test_slash_finds_and_n_and_shift_n_walk_the_matches() -> None:
    app = ViewerApp()
    async with app.run_test(size=(120, 36)) as pilot:
        view = app.screen.query_one(TracebackView)
        await pilot.press("slash")
        find_focused = isinstance(app.focused, Input)
        await pilot.press(*"LIVE_migration", "enter")
        await pilot.pause()
        first = view.current_match
        count = len(view.matches)
        await pilot.press("n")
        second = view.current_match
        await pilot.press("n")
        wrapped_round = view.current_match
        await pilot.press("N")
        back = view.current_match
        line = view.line_content(view.matches[back or 0].row)
        title = str(app.screen.query_one("#traceback-title", Static).render())
        still_open = isinstance(app.screen, TracebackScreen)

    assert find_focused and still_open
    assert count == 2 and (first, second, wrapped_round, back) == (0, 1, 0, 1)
    assert "match 2/2" in title
    styles = {str(span.style) for span in line.spans}
    assert CURRENT_MATCH_STYLE in styles


async def test_escape_in_the_find_box_leaves_it_and_keeps_the_viewer() -> None:
    app = ViewerApp()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash", "x", "escape")
        await pilot.pause()
        still_open = isinstance(app.screen, TracebackScreen)
        focused = app.focused
        await pilot.press("escape")
        await pilot.pause()
        closed = not isinstance(app.screen, TracebackScreen)

    assert still_open and isinstance(focused, TracebackView) and closed


async def test_a_search_with_no_match_says_so() -> None:
    app = ViewerApp()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash", *"nowhere", "enter")
        await pilot.pause()
        view = app.screen.query_one(TracebackView)
        matches = view.matches

    assert matches == []
    assert app.notices == ["No match for 'nowhere'"]


async def test_hostile_summary_text_reaches_the_terminal_inert(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bytes written to the terminal: the server's OSC 52, BEL and bidi override never appear."""
    hostile = "\x1b]52;c;cHduZWQ=\x07\u202e"
    event = replace(EVENT, details=f"lock {hostile}", host=f"h{hostile}")

    class HostileApp(ThemedApp):
        def compose(self) -> ComposeResult:
            yield Static("base")

        def on_mount(self) -> None:
            self.push_screen(TracebackScreen("t", f"ValueError: {hostile}", event=event))

    record_terminal(monkeypatch)
    app = HostileApp()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        summary = summary_text(app)
        output = terminal_output(app)

    assert "␛]52;c;cHduZWQ=␇" in summary and "\\u202e" in summary
    assert "cHduZWQ=" in output  # the summary was drawn…
    assert "\x1b]52" not in output and "cHduZWQ=\x07" not in output  # …inert (Textual's own
    assert "\u202e" not in output  # OSC 22 pointer sequences end in BEL: not ours to judge)
