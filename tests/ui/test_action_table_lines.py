"""A new page is laid out when it is shown, so the frame that draws it has less to do."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.ui.test_action_table_repaint import T0, TableApp, _running
from tui.console.widgets.action_table import ActionTable
from tui.console.widgets.cell_render import cell_segments
from tui.model import Status


def _count_cell_layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of each cell the list lays out from now on."""
    laid_out: list[str] = []
    original = cell_segments

    def spy(console: Any, cell: Any, *args: Any) -> Any:
        laid_out.append(cell.plain)
        return original(console, cell, *args)

    monkeypatch.setattr("tui.console.widgets.action_table.cell_segments", spy)
    return laid_out


async def test_a_new_page_is_laid_out_before_its_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(ActionTable)
        table.show_page([_running(n) for n in range(1, 11)], T0)
        await pilot.pause()
        laid_out = _count_cell_layouts(monkeypatch)
        table.show_page([_running(n) for n in range(101, 111)], T0)
        assert "ec101" in laid_out  # while showing the page, not later
        before_frame = len(laid_out)
        await pilot.pause()
        assert len(laid_out) == before_frame  # the frame drew the lines laid out already
        assert "ec101" in app.export_screenshot()


async def test_a_changed_cell_is_drawn_anew_not_from_the_kept_line() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(ActionTable)
        actions = [_running(n) for n in range(1, 11)]
        table.show_page(actions, T0)
        await pilot.pause()
        assert "completed" in table.render_line(2).text  # sw:2, the second row, off the cursor
        failed = replace(actions[1], status=Status.FAILED, finished_at=T0)
        table.show_page([actions[0], failed, *actions[2:]], T0)
        await pilot.pause()
        assert "failed" in table.render_line(2).text
        assert "completed" not in table.render_line(2).text
        table.move_cursor(row=1)  # the same row on the cursor is another line
        await pilot.pause()
        assert table.render_line(2).text.count("failed") == 1
