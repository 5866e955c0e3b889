"""The action list repaints as little as it can: over SSH every repainted row is bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region

from tui.console.widgets.action_table import ActionTable
from tui.model import Action, Status

T0 = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _running(n: int) -> Action:
    return Action(
        ref=f"sw:{n}",
        backend="sw",
        backend_type="seeweb",
        id=str(n),
        name="create_server",
        status=Status.RUNNING if n % 2 else Status.COMPLETED,
        resource=f"ec{n}",
        created_at=T0 - timedelta(seconds=n),
        started_at=T0 - timedelta(seconds=n),
        finished_at=None if n % 2 else T0,
    )


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ActionTable(id="actions")


def _cells_worked_out(
    monkeypatch: pytest.MonkeyPatch, noted: Callable[[str, Action], str]
) -> list[str]:
    """What ``noted`` says of each cell the list works out from now on (its column or row)."""
    from tui.console.widgets.cells import list_cell as original

    worked: list[str] = []

    def spy(key: str, action: Action, frame: Any) -> Any:
        worked.append(noted(key, action))
        return original(key, action, frame)

    monkeypatch.setattr("tui.console.widgets.action_table.list_cell", spy)
    return worked


async def test_a_ticking_duration_repaints_only_the_cells_that_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refreshed: list[tuple[Region, ...]] = []
    original = ActionTable.refresh

    def spy(self: ActionTable, *regions: Region, **options: Any) -> Any:
        refreshed.append(regions)
        return original(self, *regions, **options)

    monkeypatch.setattr(ActionTable, "refresh", spy)
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(ActionTable)
        cells = {key: table.column_x(key) for key in ("started", "duration")}
        table.show_page([_running(n) for n in range(1, 11)], T0)
        await pilot.pause()
        refreshed.clear()
        table.tick(T0 + timedelta(seconds=10))
        await pilot.pause()
        ticked = list(refreshed)
        refreshed.clear()
        table.tick(T0 + timedelta(seconds=10))  # nothing changed since: nothing to repaint
        await pilot.pause()
        assert refreshed == []
    assert ticked, "ages and running durations changed: something must repaint"
    assert all(regions for regions in ticked), "a tick must not repaint the whole table"
    assert len(ticked) == 1  # every row's age changed: their cells marked in one refresh
    regions = [region for regions in ticked for region in regions]
    assert all(region.height == 1 for region in regions)
    assert sum(1 for region in regions if region.x < cells["duration"]) == 10  # 10 ages
    assert sum(1 for region in regions if region.x >= cells["duration"]) == 5  # 5 durations
    # Only the characters that changed, never a whole cell (7 and 8 cells + left padding).
    assert all(region.x > cells["started"] for region in regions)
    assert all(region.width < 8 for region in regions)


async def test_a_new_page_lays_out_each_distinct_cell_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backends, actions, statuses repeat down a page: their cells are laid out once."""
    from tui.console.widgets.cell_render import cell_segments as original

    laid_out: list[str] = []

    def spy(console: Any, cell: Any, *args: Any) -> Any:
        laid_out.append(cell.plain)
        return original(console, cell, *args)

    monkeypatch.setattr("tui.console.widgets.action_table.cell_segments", spy)
    app = TableApp()
    async with app.run_test(size=(120, 24)) as pilot:
        table = app.query_one(ActionTable)
        table.show_page([_running(n) for n in range(1, 21)], T0)
        await pilot.pause()
        first = len(laid_out)
        columns = len(table.column_keys)
        assert first < 20 * columns // 2  # 20 rows: far fewer layouts than cells
        assert laid_out.count("sw") == 2  # the backend: once off the cursor, once on it
        rows = [table.get_row(ref) for ref in table.refs]
        assert all(row[1].plain == "sw" for row in rows)
        laid_out.clear()
        table.show_page([_running(n) for n in range(21, 41)], T0)  # the next page
        await pilot.pause()
        assert "sw" not in laid_out and 0 < len(laid_out) < first


async def test_a_poll_of_the_same_actions_works_out_only_their_clock_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store hands back an unchanged action as the same object: only its clock can move.

    A changed action (a new object), and every row when the watch list, the
    stale backends or the stuck marks change, still work out all their cells.
    """
    worked = _cells_worked_out(monkeypatch, lambda key, _action: key)
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(ActionTable)
        actions = [_running(n) for n in range(1, 11)]
        table.show_page(actions, T0)
        await pilot.pause()
        worked.clear()
        later = T0 + timedelta(seconds=10)
        table.show_page(actions, later)  # a poll that changed nothing on this page
        assert set(worked) == {"started", "duration"}
        assert table.get_cell("sw:1", "duration").plain == "11s"  # the clock still moves
        worked.clear()
        failed = replace(actions[0], status=Status.FAILED, finished_at=later)
        table.show_page([failed, *actions[1:]], later)
        # The new one whole; the 9 others' clocks were worked out for this very time.
        assert len(worked) == len(table.column_keys)
        assert "failed" in table.get_cell("sw:1", "status").plain
        worked.clear()
        table.show_page([failed, *actions[1:]], later, watched={"sw:2"})
        assert len(worked) == 10 * len(table.column_keys)  # the watch list: every cell
        assert table.get_cell("sw:2", "mark").plain == "★"


async def test_a_tick_works_out_only_the_rows_whose_clock_can_have_moved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Finished rows minutes old read the same for a minute: a tick leaves them alone."""
    worked = _cells_worked_out(monkeypatch, lambda _key, action: action.ref)

    def old(n: int, **changes: Any) -> Action:  # finished, started n minutes ago
        started = T0 - timedelta(minutes=n, seconds=1)
        base = replace(_running(2), ref=f"sw:old{n}", started_at=started, created_at=started)
        return replace(base, **changes)

    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(ActionTable)
        young = _running(5)  # running for 5 s: its duration moves every tick
        olds = [old(n) for n in range(2, 8)]
        table.show_page([young, *olds], T0)
        await pilot.pause()
        table.tick(T0 + timedelta(seconds=1))  # each row's steady time is worked out once
        worked.clear()
        for second in range(2, 10):
            table.tick(T0 + timedelta(seconds=second))
        assert set(worked) == {"sw:5"}, "only the running row is worked out again"
        assert table.get_cell("sw:5", "duration").plain == "14s"
        assert table.get_cell("sw:old3", "started").plain == "3m ago"
        worked.clear()
        table.tick(T0 + timedelta(seconds=60))  # a minute on: every age moves
        assert set(worked) == {"sw:5", *(action.ref for action in olds)}
        assert table.get_cell("sw:old3", "started").plain == "4m ago"
        renamed = old(4, name="resize_server")  # a poll brings a new object for one row
        table.show_page([young, *olds[:2], renamed, *olds[3:]], T0 + timedelta(seconds=61))
        worked.clear()
        table.tick(T0 + timedelta(seconds=62))
        assert set(worked) == {"sw:old4"}, "a new object is asked again (sw:5 is in 10 s steps)"


async def test_a_poll_works_out_only_the_clocks_that_can_have_moved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A poll between ticks leaves rows whose clock reads the same, as a tick does."""
    worked = _cells_worked_out(monkeypatch, lambda _key, action: action.ref)
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(ActionTable)
        started = T0 - timedelta(minutes=5, seconds=1)
        finished = replace(_running(2), started_at=started, created_at=started)  # 5m ago
        running = _running(15)  # running for 15 s: its duration moves every second
        table.show_page([running, finished], T0)
        await pilot.pause()
        table.tick(T0 + timedelta(seconds=1))
        worked.clear()
        table.show_page([running, finished], T0 + timedelta(seconds=1, milliseconds=500))
        assert worked == [], "nothing can read otherwise half a second after the tick"
        table.show_page([running, finished], T0 + timedelta(seconds=2, milliseconds=500))
        assert set(worked) == {"sw:15"}, "the finished row reads '5m ago' for a minute"
        assert table.get_cell("sw:15", "duration").plain == "17s"
        assert table.get_cell("sw:2", "started").plain == "5m ago"
        worked.clear()
        table.show_page([running, finished], T0 + timedelta(seconds=60))
        assert set(worked) == {"sw:15", "sw:2"}
        assert table.get_cell("sw:2", "started").plain == "6m ago"


async def test_a_row_that_comes_back_reuses_its_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """A filter undone shows rows of a recent page again: only their clock cells are redone.

    A changed action (a new object) and every row after the marks changed
    (here the watch list) are worked out whole; the cells read as new ones do.
    """
    worked = _cells_worked_out(monkeypatch, lambda key, _action: key)
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(ActionTable)
        first = [_running(n) for n in range(1, 6)]
        other = [_running(n) for n in range(6, 11)]
        table.show_page(first, T0)
        table.show_page(other, T0)
        worked.clear()
        table.show_page(first, T0)  # back to the first page, same time: nothing to redo
        assert worked == []
        assert table.get_cell("sw:1", "duration").plain == "1.0s"
        later = T0 + timedelta(seconds=10)
        table.show_page(other, later)
        assert set(worked) == {"started", "duration"}  # the clock moved: only its cells
        assert table.get_cell("sw:7", "duration").plain == "17s"
        worked.clear()
        changed = replace(first[0], status=Status.FAILED, finished_at=later)
        table.show_page([changed, *first[1:]], later)
        assert worked.count("status") == 1  # the changed action whole, the others' clocks
        assert len(worked) == len(table.column_keys) + 2 * 4
        assert "failed" in table.get_cell("sw:1", "status").plain
        table.show_page(other, later, watched={"sw:7"})
        worked.clear()
        table.show_page([changed, *first[1:]], later, watched={"sw:7"})
        assert len(worked) == 5 * len(table.column_keys)  # new marks: every row whole
        await pilot.pause()


async def test_a_row_is_drawn_as_one_simplified_line_of_the_list_width() -> None:
    """Rows are joined from laid-out cells without simplifying the line again: no two
    neighbouring segments may share a style, and the line is exactly the list's width."""
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(ActionTable)
        table.show_page([_running(n) for n in range(1, 6)], T0, watched={"sw:2"})
        await pilot.pause()
        width = table.scrollable_content_region.width
        for y in range(1, 7):  # five rows (the cursor's among them) and a blank line
            strip = table.render_line(y)
            segments = list(strip)
            assert segments == list(strip.simplify())
            assert strip.cell_length == width == sum(s.cell_length for s in segments)
