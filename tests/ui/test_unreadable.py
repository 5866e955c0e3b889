"""Unreadable entries cost only themselves: the bar counts them, the other rows are listed."""

from __future__ import annotations

import json

from tests.helpers.app import AppFactory, Settle, Until
from tui.console.widgets.backend_bar import BackendBar, SegmentView
from tui.poller import HealthState
from tui.sim import Simulator

GOOD = [
    {"id": 9002, "status": "completed", "type": "power_on", "created_at": "2030-01-02T00:00:00Z"},
    {"id": 9001, "status": "failed", "type": "delete", "created_at": "2030-01-01T00:00:00Z"},
]


async def test_the_bar_counts_unreadable_entries_and_the_rest_is_listed(
    fresh_sim: Simulator, make_app: AppFactory, settle: Settle, until: Until
) -> None:
    body = {"total_actions": 4, "actions": [GOOD[0], {"status": "no id"}, "x", GOOD[1]]}
    fresh_sim.seeweb.faults.update(body=json.dumps(body).encode(), path="/ecs/v2/actions")
    app = make_app()
    async with app.run_test(size=(160, 36)) as pilot:
        await settle(app, pilot)
        bar = app.main_screen.query_one(BackendBar)
        assert app.health["seeweb"].state is HealthState.OK
        assert "2 entries unreadable" in bar.segment_text("seeweb")
        assert {"seeweb:9001", "seeweb:9002"} <= set(app.store.refs())
        assert app.main_screen.table.refs[:2] == ["seeweb:9002", "seeweb:9001"]  # newest
        assert "unreadable" not in bar.segment_text("redis")

        fresh_sim.seeweb.faults.clear()
        await pilot.press("r")
        await until(pilot, lambda: app.health["seeweb"].unreadable == 0)
        await pilot.pause()
        assert "unreadable" not in bar.segment_text("seeweb")


def test_segment_text_says_how_many_entries_were_unreadable() -> None:
    one = SegmentView("seeweb", "ok", "4s ago", unreadable=1)
    two = SegmentView("redis", "stale", "2m ago", 1, "HTTP 503", unreadable=2)
    assert one.text().plain == "✔ seeweb 4s ago · 1 entry unreadable"
    assert two.text().plain.endswith("· 1 active · 2 entries unreadable")
    assert "unreadable" not in SegmentView("seeweb", "ok", "4s ago").text().plain
