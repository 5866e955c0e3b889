"""The detail pane follows the list: the list's move reaches the terminal first, in a frame
of its own, and the pane ends on the selected action whatever the keys did before."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Any

import pytest

from tests.helpers.app import AppFactory, Settle, Until
from tests.helpers.terminal import RecordingDriver, record_terminal
from tui.console.app import ActionDeckApp
from tui.console.widgets.action_table import ActionTable
from tui.console.widgets.detail_pane import DetailPane
from tui.model import Action

SIZE = (120, 36)


def _writes(app: ActionDeckApp) -> int:
    """How many times the app has written to its terminal so far."""
    driver = app._driver
    assert isinstance(driver, RecordingDriver)
    return len(driver.__dict__.get("written", []))


@pytest.fixture
def detail_shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, int, bool]]:
    """Each new action given to the detail pane: (its ref, writes so far, list awaiting paint)."""
    seen: list[tuple[str | None, int, bool]] = []
    original = DetailPane.watch_action

    def spy(self: DetailPane, old: Action | None, new: Action | None) -> None:
        app = self.app
        assert isinstance(app, ActionDeckApp)
        if new is not None and (old is None or old.ref != new.ref):
            seen.append((new.ref, _writes(app), app.main_screen.table.awaiting_paint))
        original(self, old, new)

    monkeypatch.setattr(DetailPane, "watch_action", spy)
    return seen


@pytest.mark.parametrize("key", ["pagedown", "j"])
async def test_the_list_draws_a_move_before_the_detail_pane_follows_it(
    key: str,
    make_app: AppFactory,
    settle: Settle,
    until: Until,
    monkeypatch: pytest.MonkeyPatch,
    detail_shown: list[tuple[str | None, int, bool]],
) -> None:
    """A page flip used to give the pane its new action before the list's frame was drawn,
    so the flip waited for the pane's render (and its layout pass) to reach the terminal."""
    record_terminal(monkeypatch)
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        await pilot.pause()
        before = _writes(app)
        detail_shown.clear()
        await pilot.press(key)
        await until(pilot, lambda: bool(detail_shown))
        ref, writes, awaiting = detail_shown[0]
        assert ref == screen.selected_ref == screen.table.cursor_ref
        assert writes > before, "the list's move was written before the detail changed"
        assert not awaiting


async def test_after_a_burst_of_keys_the_detail_shows_the_final_row_and_its_fetched_detail(
    make_app: AppFactory, settle: Settle, until: Until
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        refs = app.store.refs()
        await pilot.press("j", "j", "j", "j", "j", "pagedown", "k", "k")
        final = refs[len(screen.table.refs) + 3]
        assert screen.selected_ref == final == screen.table.cursor_ref
        await settle(app, pilot)  # the detail's fetch has ended
        shown = screen.detail.action
        assert shown is not None and shown.ref == final
        assert shown is app.store.get(final), "the pane shows the stored (fetched) detail"


async def test_the_detail_follows_even_when_the_list_never_draws_the_move(
    make_app: AppFactory, settle: Settle, until: Until, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wait for the list's frame is bounded: a list that never draws still gets a detail."""
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        monkeypatch.setattr(type(screen.table), "awaiting_paint", property(lambda self: True))
        await pilot.press("j")
        selected = screen.selected_ref
        await until(
            pilot, lambda: screen.detail.action is not None and screen.detail.action.ref == selected
        )


async def test_a_merged_detail_works_out_its_own_row_again_not_the_page(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fetched detail's merge used to work every cell of the page out again."""
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        table = screen.table
        whole: list[str] = []
        clocks: list[str] = []
        original = ActionTable._row_cells

        def spy(self: ActionTable, action: Action, keys: Collection[str] | None = None) -> Any:
            (whole if keys is None else clocks).append(action.ref)
            return original(self, action, keys)

        monkeypatch.setattr(ActionTable, "_row_cells", spy)
        shown = app.store.get(table.refs[2])
        assert shown is not None
        fetched = replace(shown, name=f"{shown.name}-detailed")
        merged = app.store.merge([fetched])
        assert merged.changed == {fetched.ref}
        screen.data_changed(merged)
        assert whole == [fetched.ref]
        # Of the others at most their clocks, as a tick does (those that can have moved).
        assert set(clocks) <= set(table.refs) - {fetched.ref}
        assert table.get_cell(fetched.ref, "action").plain.startswith(shown.name[:6])
        await pilot.pause()
        assert table.refs[2] == fetched.ref
