"""The Redis shard table: a whole status message, the shard id kept when scrolling sideways."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.pilot import Pilot

from tests.ui.bigdata import NOW, at
from tests.ui.harness import ThemedApp
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.pending_ops import PendingOpsView
from tui.model import Action, PendingOp, Status

MESSAGE = "Upgrading Redis 7.2.4 to 7.4.2 on node 3, waiting for the replica to catch up"


def upgrade(shards: range) -> Action:
    ops = tuple(
        PendingOp(
            shard=str(shard), op_name="upgrade_redis", status_code="in_progress",
            status_description=MESSAGE, progress=10.0, heartbeat=at(-120 if shard == 9 else -5),
            last_sample_time=at(-3), snapshot={"from_version": "7.2.4", "to_version": "7.4.2"},
        )
        for shard in shards
    )  # fmt: skip
    return Action(
        ref="redis:uid-1", backend="redis", backend_type="redis-enterprise", id="uid-1",
        name="SMUpgradeBDB", status=Status.RUNNING, state="upgrade_shards", node="2",
        object_name="bdb:3", created_at=at(-600), pending_ops=ops,
    )  # fmt: skip


class ShardApp(ThemedApp):
    def compose(self) -> ComposeResult:
        yield DetailPane(upgrade(range(7, 13)), now=lambda: NOW, age_refresh=None)


def visible(view: PendingOpsView) -> list[str]:
    height = view.scrollable_content_region.height
    return [view.render_line(y).text.rstrip() for y in range(height)]


async def scroll_to_the_right_end(app: ShardApp, pilot: Pilot[None]) -> PendingOpsView:
    app.query_one(DetailPane).focus_body()
    await pilot.pause()
    view = app.query_one(PendingOpsView)
    view.scroll_to(x=view.max_scroll_x, animate=False)
    await pilot.pause()
    return view


async def test_scrolled_sideways_every_row_keeps_its_whole_shard_id() -> None:
    app = ShardApp()
    async with app.run_test(size=(80, 36)) as pilot:
        view = await scroll_to_the_right_end(app, pilot)
        scrolled = view.scroll_offset.x
        lines = visible(view)

    rows = [line for line in lines if line[:2].strip().isdigit()]
    assert scrolled > 20
    assert [row.split()[0] for row in rows] == [str(shard) for shard in range(7, 13)]
    assert all(row.rstrip().endswith(MESSAGE[-30:]) for row in rows)
    assert "upgrade_redis" not in "\n".join(rows)  # it did scroll past the operation


async def test_the_message_is_never_cut_and_the_lines_above_stay_put() -> None:
    app = ShardApp()
    async with app.run_test(size=(160, 45)) as pilot:
        view = app.query_one(PendingOpsView)
        row = view.line_content(view.line_count - 1).plain
        await scroll_to_the_right_end(app, pilot)
        lines = visible(view)

    assert row.split()[0] == "12" and row.endswith(MESSAGE) and "…" not in row
    assert lines[0] == "state upgrade_shards · node 2 · object bdb:3"
    assert lines[2] == "⚠ stale heartbeat (over 60s): shard 9"
    assert lines[3].split()[0] == "shard"
