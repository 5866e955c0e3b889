"""What moves with time is drawn in one frame: the screen's one-second tick drives it all.

The list's durations and ages, the backend bar and the detail pane's ages
move on the same tick (the pane's every fifth), so a live console draws one
frame for them instead of one per timer a few milliseconds apart.
"""

from __future__ import annotations

import pytest

from tests.helpers.app import AppFactory, Settle
from tui.console.screens.main import DETAIL_AGE_TICKS, MainScreen
from tui.console.widgets.detail_pane import DetailPane


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
