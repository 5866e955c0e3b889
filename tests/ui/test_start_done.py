"""The console says when its start is over: once its first rows are drawn, or after a bound.

The command line pauses the garbage collector while the console starts and
resumes it on this signal (``tui.cli.startup``); here the app is run
in-process with a callback that records what the screen held when it came.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pytest
from textual.strip import Strip

from tests.helpers.app import AppFactory, Settle, Until
from tui.console import app as app_module
from tui.console.app import ActionDeckApp
from tui.console.widgets.action_table import ActionTable
from tui.sim import Simulator

SIZE = (120, 36)


async def test_start_is_done_once_after_the_first_rows(
    make_app: AppFactory, settle: Settle, until: Until
) -> None:
    rows_then: list[int] = []
    app: ActionDeckApp = make_app(started=lambda: rows_then.append(len(app.main_screen.table.refs)))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(rows_then))
        await settle(app, pilot)
        await pilot.press("r")  # more polls: still said only once
        await settle(app, pilot)
    assert len(rows_then) == 1 and rows_then[0] > 0


async def test_start_is_done_after_a_bound_when_no_backend_answers(
    make_app: AppFactory, fresh_sim: Simulator, until: Until, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "STARTED_AT_LATEST", 0.3)
    for name in ("seeweb", "openstack", "redis"):
        fresh_sim.faults_of(name).update(status=503)
    calls: list[int] = []
    app: ActionDeckApp = make_app(started=lambda: calls.append(len(app.main_screen.table.refs)))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(calls))
        await pilot.pause(0.5)
    assert calls == [0]


async def test_the_other_first_polls_are_merged_after_the_first_rows_are_drawn(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows_drawn: list[bool] = []  # per line drawn: whether the table held rows then
    render_line = ActionTable.render_line

    def recording(table: ActionTable, y: int) -> Strip:
        rows_drawn.append(bool(table.refs))
        return render_line(table, y)

    monkeypatch.setattr(ActionTable, "render_line", recording)
    app: ActionDeckApp = make_app()
    drawn_before: list[bool] = []  # per poll merged: whether rows were drawn before it
    listed = app.history.listed  # called once per poll merged

    def recorded(refs: Iterable[str], at: datetime) -> None:
        drawn_before.append(any(rows_drawn))
        listed(refs, at)

    monkeypatch.setattr(app.history, "listed", recorded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
    assert len(drawn_before) == 3  # one first poll per backend
    assert drawn_before[0] is False and drawn_before[1:] == [True, True]


async def test_the_main_screens_styles_are_read_with_the_apps(
    make_app: AppFactory, settle: Settle
) -> None:
    """Pushing the main screen reads no style file: each was read with the app's, so its
    push does not make Textual reparse every style and restyle the app before the first frame."""
    app: ActionDeckApp = make_app()
    screen_files = [str(path) for path in app.main_screen.css_path]
    assert screen_files and set(screen_files) <= {str(path) for path in app.css_path}
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sources = {read_from for read_from, _ in app.stylesheet.source}
        assert set(screen_files) <= sources
        assert app.screen is app.main_screen
