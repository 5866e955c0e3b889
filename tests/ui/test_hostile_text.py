"""Hostile server text never reaches the terminal as control sequences: checked on the bytes.

Every API of the simulator answers with ``hostile_text`` on (screen clears,
window titles, OSC 52 clipboard writes, one-byte CSI, NUL, DEL, bidi and
zero-width characters and markup in every string, and a 1 MB string). The
real console selects rows of each backend type, opens the detail, the raw
JSON and a traceback, shows toasts and a backend error; every byte the app
writes to its terminal is recorded through the driver (Textual's headless
driver normally discards them) and searched for what the server sent.
Textual writes escape sequences of its own for styling, so the assertions
look for the server's payloads, not for ESC in general.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from textual.content import Content
from textual.fuzzy import Matcher
from textual.pilot import Pilot

from tests.helpers.app import AppFactory, Settle, Until
from tests.helpers.terminal import record_terminal, terminal_output
from tui.backends import REGISTRY
from tui.console.app import ActionDeckApp
from tui.console.palette import highlight
from tui.console.screens.traceback import TracebackScreen, traceback_filename
from tui.console.widgets.backend_bar import BackendSegment
from tui.console.widgets.cells import server_text
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.fields import identity_fields
from tui.model import Action, Status
from tui.poller import HealthState
from tui.sim import Simulator
from tui.sim.hostile import HOSTILE, HOSTILE_PARTS
from tui.text import CELL_LIMIT, DISPLAY_LIMIT

FORBIDDEN = {
    "screen clear": "\x1b[2J",
    "OSC 0 window title": "\x1b]0;pwned",
    "OSC 52 clipboard write": "\x1b]52;c;cHduZWQ=",
    "a BEL ending the server's OSC": "pwned\x07",
    "a BEL ending the server's OSC 52": "cHduZWQ=\x07",
    "one-byte CSI": "\x9b",
    "NUL": "\x00",
    "DEL": "\x7f",
    "right-to-left override": "\u202e",
    "left-to-right isolate": "\u2066",
    "zero-width space": "\u200b",
}
"""What the server sent, as it would reach the terminal if it passed through."""

LITERAL = ("[bold]x[/bold]", "[@click=app.quit]y[/]")
"""Markup the server sent, which must be shown as text."""


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``run_test()`` apps write into a :class:`RecordingDriver`."""
    record_terminal(monkeypatch)
    yield


def assert_inert(output: str) -> None:
    """None of the server's sequences or invisible characters reached the terminal."""
    found = [name for name, payload in FORBIDDEN.items() if payload in output]
    assert found == [], f"server text reached the terminal: {found}"


def hostile(sim: Simulator) -> None:
    for server in sim.servers:
        server.faults.update(hostile_text=True)


async def select_backend(app: ActionDeckApp, pilot: Pilot[Any], settle: Settle, name: str) -> None:
    """Show only ``name``'s actions and wait for the first one's detail."""
    app.set_filter(f"backend:{name}")
    await pilot.pause()
    await settle(app, pilot)
    assert app.main_screen.selected_ref is not None
    assert app.main_screen.selected_ref.startswith(f"{name}:")


def test_the_simulator_sends_every_kind_of_hostile_text() -> None:
    """The attack is real: each forbidden payload is in what the simulator sends."""
    sent = "".join(HOSTILE_PARTS)
    assert all(payload in sent for payload in FORBIDDEN.values())
    assert all(markup in sent for markup in LITERAL)


async def test_console_writes_no_server_sequence_to_its_terminal(
    fresh_sim: Simulator, make_app: AppFactory, settle: Settle, until: Until, recording: None
) -> None:
    hostile(fresh_sim)
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        assert all(entry.state is HealthState.OK for entry in app.health.values())
        screen = app.main_screen
        detail = screen.query_one(DetailPane)
        kinds = set()
        for name in ("seeweb", "openstack", "redis"):
            await select_backend(app, pilot, settle, name)
            assert detail.action is not None
            kinds.add(detail.action.backend_type)
            await pilot.press("w")  # a toast naming the action
            await pilot.press("v")  # raw JSON
            await pilot.pause()
            await pilot.press("v")
            await pilot.pause()
        assert kinds == set(REGISTRY)

        # A Nova event's traceback, full screen.
        app.set_filter("backend:openstack")
        await pilot.pause()
        for _ in screen.table.refs:
            await settle(app, pilot)
            if detail.action is not None and any(e.traceback for e in detail.action.events):
                break
            await pilot.press("j")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TracebackScreen))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()

        # A backend error whose reason is the server's hostile message: bar and toast.
        fresh_sim.seeweb.faults.update(status=503)
        await pilot.press("r")
        await until(pilot, lambda: app.health["seeweb"].state is HealthState.ERROR)
        await pilot.pause()
        assert "pwned" in (app.health["seeweb"].last_error or "")
        segment = next(s for s in screen.query(BackendSegment) if s.backend_name == "seeweb")
        await pilot.hover(segment)  # its tooltip is the whole reason
        await pilot.pause(1.0)
        await pilot.press("question_mark")  # help, then the palette
        await pilot.pause()
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.pause(0.1)
        output = terminal_output(app)

    assert_inert(output)
    for markup in LITERAL:
        assert markup in output, f"{markup!r} is not shown literally"
    assert "␛]52;c;cHduZWQ=␇" in output  # shown, as a visible placeholder


def test_saved_traceback_names_keep_only_safe_characters() -> None:
    name = traceback_filename(HOSTILE + "../../etc/passwd", "openstack:" + HOSTILE)
    assert re.fullmatch(r"actiondeck-traceback-[A-Za-z0-9._-]+\.txt", name), name


def test_palette_titles_are_never_read_as_markup() -> None:
    title = "Theme: [bold]x[/bold] [@click=app.quit]y[/]"
    shown = highlight(Matcher("theme"), title)
    assert shown.plain == title
    assert [span.style for span in shown.spans if "bold" in str(span.style)] == []


def test_fields_and_cells_show_a_bounded_prefix_of_a_megabyte_string() -> None:
    huge = HOSTILE + "L" * 1_000_000
    action = Action(
        ref="seeweb:1", backend="seeweb", backend_type="seeweb", id="1",
        name=huge, status=Status.RUNNING, resource="ec1", resource_type=huge, message=huge,
    )  # fmt: skip
    fields = {field.label: field.value for field in identity_fields(action)}
    for label in ("action", "resource", "message"):
        value = fields[label]
        assert isinstance(value, Content)
        assert len(value.plain) < DISPLAY_LIMIT * 2, label
        assert "more characters)" in value.plain and "\x1b" not in value.plain
    cell = server_text(huge)
    assert len(cell.plain) < CELL_LIMIT * 2 and "\x1b" not in cell.plain
