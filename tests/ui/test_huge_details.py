"""Huge details stay usable: what is visible, where the cursor is, what opens, what is copied.

Timing is measured in ``tests/benchmarks/test_detail_benchmarks.py``; these
tests pin behaviour on the same huge data (10,000 shards, 10,000 events,
1 MB strings).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.pilot import Pilot

from tests.ui.bigdata import NOW, many_shards_action
from tests.ui.harness import ThemedApp
from tui.model import Action
from tui.widgets.detail_pane import DetailPane
from tui.widgets.line_view import LineView
from tui.widgets.pending_ops import PendingOpsView

SIZE = (120, 36)
NARROW = (64, 36)


class HugeApp(ThemedApp):
    """One detail pane with a fixed clock."""

    def __init__(self, action: Action) -> None:
        super().__init__()
        self._action = action

    def compose(self) -> ComposeResult:
        yield DetailPane(self._action, now=lambda: NOW, age_refresh=None)


def visible(view: LineView) -> list[str]:
    """The lines the view paints now, as plain text."""
    height = view.scrollable_content_region.height
    return [view.render_line(y).text.rstrip() for y in range(height)]


async def _focus_body(app: HugeApp, pilot: Pilot[None]) -> None:
    app.query_one(DetailPane).focus_body()
    await pilot.pause()


async def test_10000_shards_scroll_to_the_last_and_keep_the_shard_column() -> None:
    app = HugeApp(many_shards_action(10_000))
    async with app.run_test(size=NARROW) as pilot:
        await _focus_body(app, pilot)
        view = app.query_one(PendingOpsView)
        focused = app.focused
        top = visible(view)
        await pilot.press("G")
        await pilot.pause()
        bottom = visible(view)
        await pilot.press(*"llllllllll")
        await pilot.pause()
        sideways = visible(view)
        lines = view.line_count

    assert focused is view
    assert lines == 3 + 1 + 10_000  # state, blank, warning; heading; one row per shard
    assert top[0] == "state upgrade_shards · node 2 · object bdb:1"
    assert view.line_content(2).plain == (
        "⚠ stale heartbeat (over 60s): shards 100, 200, 300, 400, 500, 600, 700, 800, 900,"
        " 1000 and 90 more"
    )
    assert top[3].split()[:4] == ["shard", "operation", "progress", "heartbeat"]
    assert top[4].split()[:2] == ["1", "upgrade_redis"]
    assert bottom[-1].split()[:2] == ["10000", "upgrade_redis"]
    assert "⚠ 2m stale" in bottom[-1]
    assert bottom[-2].split()[0] == "9999"
    [row] = [line for line in sideways if line.startswith("10000 ")]
    assert "upgrade_redis" not in row  # scrolled past the operation column…
    assert row.split()[0] == "10000"  # …but the shard column stayed
