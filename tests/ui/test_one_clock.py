"""What moves is drawn in one frame a second: the screen's one-second tick drives it all.

The list's durations and ages, the backend bar and the detail pane's ages
move on the same tick (the pane's every fifth), and the changes a later
poll brings to the list are drawn by it too, so a live console draws one
frame a second for them instead of one per timer and per poll.
"""

from __future__ import annotations

import pytest
from textual.message import Message

from tests.helpers.app import AppFactory, Polled, Settle, Until
from tests.helpers.sim import advance
from tui.console.screens.main import DETAIL_AGE_TICKS, MainScreen
from tui.console.widgets.detail_pane import DetailPane
from tui.sim import Simulator

BACKENDS = 3


async def test_the_detail_pane_ages_move_only_with_the_screen_tick(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside: list[bool] = []
    ticking = [False]
    refresh_ages, tick = DetailPane.refresh_ages, MainScreen.tick

    def spy_refresh(self: DetailPane) -> None:
        inside.append(ticking[0])
        refresh_ages(self)

    def spy_tick(self: MainScreen) -> None:
        ticking[0] = True
        try:
            tick(self)
        finally:
            ticking[0] = False

    monkeypatch.setattr(DetailPane, "refresh_ages", spy_refresh)
    monkeypatch.setattr(MainScreen, "tick", spy_tick)
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.detail.action is not None  # the first row's detail is shown
        before = len(inside)
        for _ in range(2 * DETAIL_AGE_TICKS):
            screen.tick()
        assert inside[before:] == [True, True]  # every fifth tick, within it
        await pilot.pause(1.2)  # the screen's own timer ticks too
    assert inside and all(inside), "the ages moved outside the screen's tick"


async def test_a_later_poll_is_drawn_by_the_next_tick(
    make_app: AppFactory,
    settle: Settle,
    until: Until,
    polled: Polled,
    fresh_sim: Simulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each backend's first poll shows at once; a later one's changes wait for the tick."""
    ticking = [True]
    tick = MainScreen.tick

    def gated(self: MainScreen) -> None:
        if ticking[0]:
            tick(self)

    monkeypatch.setattr(MainScreen, "tick", gated)
    messages: list[Message] = []
    app = make_app()
    async with app.run_test(size=(160, 45), message_hook=messages.append) as pilot:
        await settle(app, pilot)  # every backend's first poll, drawn without a tick
        screen = app.main_screen
        size = screen.page_size()
        assert screen.table.refs == list(app.store.refs()[:size])
        shown = list(screen.table.refs)
        ticking[0] = False
        before = len(polled(messages))
        advance(fresh_sim, 50)  # new actions at the top (the backends not yet stale)
        await pilot.press("r")
        await until(pilot, lambda: len(polled(messages)) >= before + BACKENDS)
        await pilot.pause()
        assert list(app.store.refs()[:size]) != shown  # the store has them...
        assert screen.page_due and screen.table.refs == shown  # ...the list waits
        tick(screen)
        assert not screen.page_due
        assert screen.table.refs == list(app.store.refs()[:size])
        ticking[0] = True
