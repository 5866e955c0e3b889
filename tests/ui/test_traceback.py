"""TracebackScreen: literal, highlighted, scrollable; copies via OSC 52, saves to a file."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from pathlib import Path

import platformdirs
import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static

from tests.ui.bigdata import long_traceback
from tests.ui.harness import ThemedApp
from tui.console.clipboard import (
    OSC52_LIMIT,
    copy_filename,
    osc52,
    size_text,
    tmux_passthrough,
)
from tui.console.screens.traceback import TracebackScreen, TracebackView, traceback_filename

EVENT = "compute_prep_resize"
REF = "openstack:srv-1/req-1"
TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "/usr/lib/python3/dist-packages/nova/compute/manager.py", line 5, in prep\n'
    "    raise exception.ResizeError(reason=msg)\n"
    "nova.exception.ResizeError: [bold]x[/bold] \x1b[2J\x07"
)
SHOWN = TRACEBACK.replace("\x1b", "␛").replace("\x07", "␇")


class TracebackApp(ThemedApp):
    """A base screen with the traceback screen pushed over it."""

    def __init__(
        self,
        traceback: str = TRACEBACK,
        *,
        save_dir: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._traceback = traceback
        self._save_dir = save_dir
        self._environ = environ

    def compose(self) -> ComposeResult:
        yield Static("base", id="base")

    def on_mount(self) -> None:
        """Push the screen under test (the base class registers the themes)."""
        screen = TracebackScreen(
            f"{EVENT} · {REF}",
            self._traceback,
            event_name=EVENT,
            action_ref=REF,
            save_dir=self._save_dir,
            environ=self._environ,
        )
        self.push_screen(screen)


def capture_terminal(app: App[None], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Everything written to the terminal from now on (the driver is the seam)."""
    written: list[str] = []
    monkeypatch.setattr(app._driver, "write", written.append)
    return written


def copied_text(app: App[None]) -> str:
    """What the traceback screen copies and saves (summary, blank line, traceback)."""
    screen = app.screen
    assert isinstance(screen, TracebackScreen)
    return screen.copy_text


def body_text(app: App[None]) -> str:
    return "\n".join(app.screen.query_one(TracebackView).plain_lines())


async def test_traceback_shows_literally_with_line_numbers() -> None:
    app = TracebackApp()
    async with app.run_test(size=(120, 36)):
        screen = app.screen
        text = body_text(app)
        title = screen.query_one("#traceback-title", Static).content

    assert isinstance(screen, TracebackScreen)
    assert text.splitlines()[0] == "1 Traceback (most recent call last):"
    assert text.splitlines()[-1] == "4 nova.exception.ResizeError: [bold]x[/bold] ␛[2J␇"
    assert "\x1b" not in text
    assert isinstance(title, Content)
    assert title.plain == f"Traceback  {EVENT} · {REF}  ·  4 lines"


async def test_highlighted_lines_read_exactly_as_sent() -> None:
    """Colour only: no character added, dropped or moved between the tokens."""
    source = (
        '  File "/usr/lib/python3/dist-packages/nova/compute/utils.py", line 1458, in decorated\n'
        "    return function(self, context, *args, **kwargs)\n"
        "libvirt.libvirtError: virDomainCreateWithFlags() failed"
    )
    app = TracebackApp(traceback=source)
    async with app.run_test(size=(120, 36)):
        view = app.screen.query_one(TracebackView)
        strips = [view.render_line(y) for y in range(3)]

    shown = [strip.text.rstrip() for strip in strips]
    assert shown == [f"{number} {line}" for number, line in enumerate(source.splitlines(), 1)]


async def test_highlighting_uses_theme_styles_only() -> None:
    app = TracebackApp()
    async with app.run_test(size=(120, 36)):
        view = app.screen.query_one(TracebackView)
        lines = [view.line_content(index) for index in range(view.line_count)]

    styles = {str(span.style) for line in lines for span in line.spans}
    assert styles and all(style.startswith(("$", "bold", "italic")) for style in styles)


async def test_keys_scroll_a_long_traceback() -> None:
    long = "\n".join(f'  File "x{n}.py", line {n}, in f{n}' for n in range(300))
    app = TracebackApp(traceback=long)
    async with app.run_test(size=(120, 36)) as pilot:
        view = app.screen.query_one(TracebackView)
        await pilot.press("j", "j", "down")
        after_lines = view.scroll_offset.y
        await pilot.press("G")
        at_end = view.scroll_offset.y
        await pilot.press("g")
        at_top = view.scroll_offset.y

    assert after_lines == 3
    assert at_end == view.max_scroll_y > 250
    assert at_top == 0


async def test_c_copies_through_osc52_and_says_what(monkeypatch: pytest.MonkeyPatch) -> None:
    app = TracebackApp(environ={})
    async with app.run_test(size=(120, 36)) as pilot:
        written = capture_terminal(app, monkeypatch)
        await pilot.press("c")
        await pilot.pause()
        copied = copied_text(app)

    assert copied.startswith(f"event     {EVENT}\nexception nova.exception.ResizeError: ")
    assert copied.endswith("\n\n" + SHOWN)
    assert written == [osc52(copied)]
    assert base64.b64decode(written[0][7:-1]).decode() == copied
    assert app.clipboard == copied
    assert app.notices == [f"Copied traceback of {EVENT} ({size_text(copied)})"]


async def test_c_inside_tmux_also_uses_the_passthrough(monkeypatch: pytest.MonkeyPatch) -> None:
    app = TracebackApp(environ={"TMUX": "/tmp/tmux-1000/default,42,0"})
    async with app.run_test(size=(120, 36)) as pilot:
        written = capture_terminal(app, monkeypatch)
        await pilot.press("c")
        await pilot.pause()
        copied = copied_text(app)

    assert written == [osc52(copied), tmux_passthrough(osc52(copied))]


async def test_s_saves_into_the_user_data_dir() -> None:
    app = TracebackApp()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        copied = copied_text(app)

    expected = platformdirs.user_data_path("actiondeck") / (
        "actiondeck-traceback-compute_prep_resize-openstack_srv-1_req-1.txt"
    )
    assert expected.is_relative_to(Path.home())  # the isolated test home, never the real one
    assert expected.read_text(encoding="utf-8") == copied + "\n"
    assert copied.endswith(SHOWN)
    assert app.notices == [f"Saved traceback to {expected}"]


async def test_save_failure_is_reported_not_raised(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    app = TracebackApp(save_dir=blocker)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        still_open = isinstance(app.screen, TracebackScreen)

    assert still_open
    [notice] = app.notices
    assert notice.startswith("Could not save traceback: ")


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_escape_and_q_close(key: str) -> None:
    app = TracebackApp()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        closed = not isinstance(app.screen, TracebackScreen)

    assert closed


def test_file_names_cannot_escape_the_directory() -> None:
    name = traceback_filename("../../etc/passwd", "a:b/\x1b[2J")

    assert "/" not in name and ".." not in name and "\x1b" not in name
    assert name == "actiondeck-traceback-etc_passwd-a_b_2J.txt"


async def test_a_5000_line_traceback_scrolls_to_its_end_and_is_saved_whole_when_copied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = long_traceback(5_000)
    app = TracebackApp(traceback=text, environ={})
    async with app.run_test(size=(120, 36)) as pilot:
        view = app.screen.query_one(TracebackView)
        height = view.scrollable_content_region.height
        top = view.render_line(0).text.rstrip()
        await pilot.press("G")
        await pilot.pause()
        bottom = view.render_line(height - 1).text.rstrip()
        await pilot.press("k", "pageup")
        await pilot.pause()
        moved_up = view.max_scroll_y - view.scroll_offset.y
        written = capture_terminal(app, monkeypatch)
        await pilot.press("c")
        await pilot.pause()
        title = app.screen.query_one("#traceback-title", Static).content
        copied = copied_text(app)

    assert top == "   1 Traceback (most recent call last):"
    assert bottom == "5000 nova.exception.Boom: at the end"
    assert moved_up == 1 + height
    assert len(copied.encode()) > OSC52_LIMIT and copied.endswith("\n\n" + text)
    assert written == [] and app.clipboard == ""  # too big for OSC 52: saved instead
    [notice] = app.notices
    saved = platformdirs.user_data_path("actiondeck") / copy_filename(f"traceback of {EVENT}")
    assert notice.startswith(f"Saved traceback of {EVENT} to {saved} (")
    assert "too much for the terminal's clipboard" in notice
    assert saved.read_text(encoding="utf-8") == copied + "\n"
    assert isinstance(title, Content) and title.plain.endswith("5,000 lines")


async def test_a_megabyte_line_shows_its_start_and_scrolls_sideways() -> None:
    text = "Traceback (most recent call last):\n" + "x" * 1_000_000 + "\nValueError: end"
    app = TracebackApp(traceback=text)
    async with app.run_test(size=(120, 36)) as pilot:
        view = app.screen.query_one(TracebackView)
        width = view.scrollable_content_region.width
        start = view.render_line(1).text
        await pilot.press("l", "l")
        await pilot.pause()
        sideways = view.render_line(1).text
        widest = view.virtual_size.width

    assert start.startswith("2 xxxx") and len(start) == width
    assert sideways.startswith("xxxx") and len(sideways) == len(start)
    assert widest == 1_000_000 + 2


async def test_a_theme_switch_recolours_the_lines_already_rendered() -> None:
    app = TracebackApp()
    async with app.run_test(size=(120, 36)) as pilot:
        view = app.screen.query_one(TracebackView)
        text = view.line_content(1).cell_length  # the line itself, not the padding after it
        before = [segment.style for segment in view.render_line(1).crop(0, text)]
        app.theme = "actiondeck-light"
        await pilot.pause()
        after = [segment.style for segment in view.render_line(1).crop(0, text)]

    assert view.line_content(1).plain.startswith("2   File ")
    assert before != after
