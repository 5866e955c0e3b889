"""The console's first rows do not wait for OpenStack: its heavy first poll comes after them.

OpenStack's first poll imports keystoneauth1 (with requests and urllib3), fetches
a token and sweeps every server, all on the thread the first frame needs; the
console starts it once another backend's first rows are drawn, or once every
other backend has answered without rows. keystoneauth1 is imported only then.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.strip import Strip

from tests.helpers.app import AppFactory, Settle, Until
from tui.backends.base import PollUpdate
from tui.console import app as app_module
from tui.console.app import ActionDeckApp, heavy_first_polls
from tui.console.widgets.action_table import ActionTable
from tui.sim import Simulator

ROOT = Path(__file__).resolve().parents[2]
SIZE = (120, 36)


async def test_openstacks_first_poll_starts_after_the_first_rows_are_drawn(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows_drawn: list[bool] = []
    render_line = ActionTable.render_line

    def recording(table: ActionTable, y: int) -> Strip:
        rows_drawn.append(bool(table.refs))
        return render_line(table, y)

    monkeypatch.setattr(ActionTable, "render_line", recording)
    app: ActionDeckApp = make_app()
    (nova,) = [b for b in app.backends if b.type == "openstack"]
    drawn_when_polled: list[bool] = []
    poll = nova.poll

    async def recorded() -> PollUpdate:
        drawn_when_polled.append(any(rows_drawn))
        return await poll()

    monkeypatch.setattr(nova, "poll", recorded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert any(ref.startswith("openstack:") for ref in app.store.refs())
    assert drawn_when_polled == [True]


async def test_a_held_first_poll_goes_once_the_others_answered_without_rows(
    make_app: AppFactory,
    fresh_sim: Simulator,
    until: Until,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seeweb and Redis fail: OpenStack is not kept waiting for rows that will not come."""
    monkeypatch.setattr(app_module, "STARTED_AT_LATEST", 600.0)  # not released by the bound
    for name in ("seeweb", "redis"):
        fresh_sim.faults_of(name).update(status=503)
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any(r.startswith("openstack:") for r in app.store.refs()))
    assert not app.poller.holding


def test_only_a_heavy_backend_among_lighter_ones_is_held(make_app: AppFactory) -> None:
    app: ActionDeckApp = make_app()
    assert heavy_first_polls(app.backends) == ["openstack"]
    nova = [b for b in app.backends if b.type == "openstack"]
    assert heavy_first_polls(nova) == []  # alone, it is what brings the first rows


_CONSOLE = """\
import json, sys
from tui.console.app import ActionDeckApp
from tui.embedded import simulator_config, start_simulator

sim = start_simulator(actions=300, seed=3)
heavy = ("keystoneauth1", "requests", "urllib3")
seen = {}

def started():
    seen["at_first_rows"] = sorted(m for m in heavy if m in sys.modules)

app = ActionDeckApp(simulator_config(sim), simulator=sim, started=started)

async def run():
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(500):
            await pilot.pause(0.02)
            if "at_first_rows" in seen and any(
                r.startswith("openstack:") for r in app.store.refs()
            ):
                break
    seen["in_the_end"] = sorted(m for m in heavy if m in sys.modules)

import asyncio
asyncio.run(run())
sim.stop()
print(json.dumps(seen))
"""


def test_keystoneauth_is_not_imported_before_the_first_rows(tmp_path: Path) -> None:
    home = {"HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state")}
    done = subprocess.run(
        [sys.executable, "-c", _CONSOLE],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, **home, "XDG_DATA_HOME": str(tmp_path / "data")},
        timeout=60,
    )
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen == {"at_first_rows": [], "in_the_end": ["keystoneauth1", "requests", "urllib3"]}
