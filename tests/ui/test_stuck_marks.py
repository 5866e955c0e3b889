"""Stuck actions in the console: the list's mark, the detail's reason, ``is:stuck``, a notice."""

from __future__ import annotations

from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Static

from tests.helpers.app import DEMO_BANNER, QUIET_REFRESH, Settle, sim_now
from tests.helpers.sim import advance
from tui.console.app import ActionDeckApp
from tui.embedded import DEMO_STUCK, simulator_config
from tui.sim import Simulator

SIZE = (120, 36)


def demo_app(sim: Simulator) -> ActionDeckApp:
    """The console as the demo runs it (its stuck rule), on a private simulator."""
    config = simulator_config(sim, refresh=QUIET_REFRESH, stuck=DEMO_STUCK)
    return ActionDeckApp(config, simulator=sim, banner=DEMO_BANNER, now=sim_now(sim))


async def test_the_demo_shows_a_stalled_redis_upgrade_as_stuck(
    fresh_sim: Simulator, settle: Settle
) -> None:
    messages: list[Message] = []
    app = demo_app(fresh_sim)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        stuck = dict(screen.marks.tracker.stuck)
        upgrade = next(ref for ref in stuck if app.store.get(ref).name == "SMUpgradeBDB")  # type: ignore[union-attr]
        assert stuck[upgrade].label == "no heartbeat"
        assert "Shard 9" in stuck[upgrade].reason
        assert screen.table.get_cell(upgrade, "status").plain == "⚠ no heartbeat"
        toast_texts = [m.notification.message for m in messages if isinstance(m, Notify)]
        assert any("stuck" in text for text in toast_texts)
        assert [e.ref for e in screen.herald.log if e.kind == "stuck"] == list(stuck)

        await pilot.press("slash", *"is:stuck", "enter")
        await pilot.pause()
        assert set(screen.table.refs) == set(stuck)
        while screen.selected_ref != upgrade:
            await pilot.press("j")
        await pilot.pause()
        reason = screen.detail.query_one("#detail-stuck", Static)
        assert screen.detail.has_class("-stuck") and reason.display
        assert "Shard 9: no heartbeat" in str(reason.render())


async def test_a_stall_that_ends_clears_the_mark(fresh_sim: Simulator, settle: Settle) -> None:
    app = demo_app(fresh_sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        migrate = next(a.ref for a in app.store.actions() if a.name == "SMMigrateShards")
        assert migrate not in screen.marks.tracker.stuck
        advance(fresh_sim, 150)  # shard 15 has been silent for 90 s
        await pilot.press("r")
        await settle(app, pilot)
        screen.tick()
        assert screen.marks.tracker.stuck[migrate].label == "no heartbeat"
        advance(fresh_sim, 400)  # the stall is over and the migration has ended
        await pilot.press("r")
        await settle(app, pilot)
        assert migrate not in screen.marks.tracker.stuck
        assert app.store.get(migrate).status.is_final  # type: ignore[union-attr]


async def test_with_the_default_rule_the_demo_world_has_nothing_stuck_at_start(
    fresh_sim: Simulator, settle: Settle
) -> None:
    config = simulator_config(fresh_sim, refresh=QUIET_REFRESH)
    app = ActionDeckApp(config, simulator=fresh_sim, banner=DEMO_BANNER, now=sim_now(fresh_sim))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not app.main_screen.marks.tracker.stuck
        assert app.main_screen.marks.tracker.is_due(app.now()) is False
