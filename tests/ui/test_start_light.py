"""The console's first rows do not wait for heavy first polls (OpenStack, Redis Enterprise).

OpenStack's first poll imports keystoneauth1 (with requests and urllib3), fetches
a token and sweeps every server; Redis Enterprise's reads and parses every action
of the cluster: all on the thread the first frame needs. The console starts them
once a light backend's first rows are drawn (Seeweb's), or once every other
backend has answered without rows. keystoneauth1 is imported only then.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from tests.helpers.app import AppFactory, Settle, Until
from tui.backends.base import PollUpdate
from tui.console import app as app_module
from tui.console.app import ActionDeckApp, heavy_first_polls
from tui.sim import Simulator

ROOT = Path(__file__).resolve().parents[2]
SIZE = (120, 36)


async def test_the_heavy_first_polls_start_after_the_first_rows(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seeweb polls at once; OpenStack and Redis once its rows are in (and a refresh passed)."""
    monkeypatch.setattr(app_module, "STARTED_AT_LATEST", 600.0)  # not released by the bound
    app: ActionDeckApp = make_app()
    rows_when_polled: dict[str, list[bool]] = {}
    for backend in app.backends:
        poll = backend.poll

        async def recorded(
            name: str = backend.name, poll: Callable[[], Awaitable[PollUpdate]] = poll
        ) -> PollUpdate:
            rows_when_polled.setdefault(name, []).append(len(app.store) > 0)
            return await poll()

        monkeypatch.setattr(backend, "poll", recorded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert {ref.partition(":")[0] for ref in app.store.refs()} == set(rows_when_polled)
    assert rows_when_polled == {"seeweb": [False], "openstack": [True], "redis": [True]}


async def test_a_held_first_poll_goes_once_the_others_answered_without_rows(
    make_app: AppFactory,
    fresh_sim: Simulator,
    until: Until,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seeweb fails, Redis too: OpenStack is not kept waiting for rows that will not come."""
    monkeypatch.setattr(app_module, "STARTED_AT_LATEST", 600.0)  # not released by the bound
    for name in ("seeweb", "redis"):
        fresh_sim.faults_of(name).update(status=503)
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any(r.startswith("openstack:") for r in app.store.refs()))
    assert not app.poller.holding


def test_only_heavy_backends_beside_a_light_one_are_held(make_app: AppFactory) -> None:
    app: ActionDeckApp = make_app()
    assert heavy_first_polls(app.backends) == ["openstack", "redis"]
    heavy = [b for b in app.backends if b.type != "seeweb"]
    assert heavy_first_polls(heavy) == []  # no light one: they are what brings the first rows


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
