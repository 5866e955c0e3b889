"""Every way a backend can misbehave: the console keeps running, says which backend
is unhappy and why, keeps the last good data, and recovers by itself."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.app import AppFactory, Settle, Until
from tui.console.widgets.backend_bar import BackendBar
from tui.poller import HealthState
from tui.sim import Simulator

FAULTS = [
    ("seeweb", {"html": True}, "HTML"),
    ("seeweb", {"reset": True}, "connection"),
    ("seeweb", {"status": 429, "retry_after": 1}, "HTTP 429"),
    ("openstack", {"status": 500}, "500"),
    ("openstack", {"malformed": True}, "JSON"),
    ("redis", {"status": 403}, "HTTP 403"),
    ("redis", {"malformed": True}, "JSON"),
    ("redis", {"reset": True}, "connection"),
]


def _server(sim: Simulator, backend: str) -> Any:
    return {"seeweb": sim.seeweb, "openstack": sim.openstack, "redis": sim.redis}[backend]


@pytest.mark.parametrize(("backend", "knobs", "reason"), FAULTS)
async def test_a_misbehaving_backend_is_named_its_data_kept_and_it_recovers(
    fresh_sim: Simulator,
    make_app: AppFactory,
    settle: Settle,
    until: Until,
    backend: str,
    knobs: dict[str, Any],
    reason: str,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        known = {ref for ref in app.store.refs() if ref.startswith(f"{backend}:")}
        assert known
        _server(fresh_sim, backend).faults.update(**knobs)
        await pilot.press("r")
        await until(pilot, lambda: app.health[backend].state is HealthState.ERROR)
        await pilot.pause()
        bar = app.main_screen.query_one(BackendBar)
        shown = bar.segment_text(backend)
        assert shown.startswith(f"✖ {backend} error"), shown
        assert reason.lower() in (app.health[backend].last_error or "").lower()
        assert known <= set(app.store.refs())  # the last good data stays
        others = [name for name in app.health if name != backend]
        assert all(app.health[name].state is HealthState.OK for name in others)

        _server(fresh_sim, backend).faults.clear()
        await pilot.press("r")
        await until(pilot, lambda: app.health[backend].state is HealthState.OK)
        await pilot.pause()
        assert bar.segment_text(backend).startswith(f"✔ {backend}")
