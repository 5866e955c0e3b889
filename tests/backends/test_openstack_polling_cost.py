"""What the OpenStack backend costs the cloud: requests per poll and per ``list``.

Request counts are contracts, counted by the simulated Nova over real loopback
HTTP: at 1,000 servers × 3 actions the first listing stays within 1,100
requests, a poll where nothing moved within 5, and a new action is in the very
next poll. ``list`` reads no events. Timing figures are in
``tests/benchmarks/test_openstack_polling_benchmarks.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.backends.test_openstack import action_id, make_backend, move, plans
from tests.helpers.config import write_sim_config
from tui.backends.base import ListQuery
from tui.backends.http import RATE_WINDOW, RequestStats
from tui.backends.openstack.backend import OpenStackBackend
from tui.cli.main import main
from tui.model import Status
from tui.sim import FrozenClock, Simulator
from tui.sim.openstack.plan import US

SERVERS = 1_000
COMPUTE = "/compute/v2.1"
SERVER_LIST = f"{COMPUTE}/servers"
SERVER_DETAIL = f"{COMPUTE}/servers/detail"
ACTION_LIST = f"{COMPUTE}/servers/{{server_id}}/os-instance-actions"
ACTION_DETAIL = f"{ACTION_LIST}/{{request_id}}"


def compute_requests(simulator: Simulator) -> dict[str, int]:
    """Requests the compute API received, per path family."""
    counts = simulator.requests_by_family()["openstack"]
    return {family: n for family, n in counts.items() if family.startswith(COMPUTE)}


@pytest.fixture(scope="module")
def cloud() -> Iterator[Simulator]:
    """A frozen project of 1,000 servers (about 3,000 actions), for this module only."""
    with Simulator(seed=7, clock=FrozenClock(), servers=SERVERS) as simulator:
        yield simulator


@pytest.fixture
async def watcher(cloud: Simulator) -> AsyncIterator[OpenStackBackend]:
    """A new backend on the big project."""
    created = make_backend(cloud)
    yield created
    await created.aclose()


async def test_polls_at_1000_servers_cost_what_changed(
    cloud: Simulator, watcher: OpenStackBackend
) -> None:
    """First poll ≤ 1,100 requests; a quiet one ≤ 5; a new action is in the next poll.

    The first poll follows the ``next`` link of Nova's full first page of servers
    (to an empty page), for live and deleted servers, and reads every server's
    actions; ``backend.stats`` counted and timed every request. (The clock moves
    at the end only: the module's other tests see the same world.)
    """
    assert watcher.stats.total == 0 and watcher.stats.last_latency is None
    cloud.reset_counts()
    first = await watcher.poll()
    counts = compute_requests(cloud)
    first_cost = sum(counts.values())
    assert counts[SERVER_LIST] == 4  # two pages of each listing
    assert counts[ACTION_LIST] == len(cloud.openstack_api.world.servers)
    assert watcher.stats.total == watcher.stats.recent() == first_cost
    assert watcher.stats.last_latency is not None and 0 < watcher.stats.last_latency < 15
    cloud.reset_counts()
    quiet = await watcher.poll()
    quiet_cost = compute_requests(cloud)
    assert first.total == len(first.actions) >= 3 * SERVERS
    assert first_cost <= 1_100
    assert quiet.actions == []
    assert sum(quiet_cost.values()) <= 5
    assert quiet_cost.get(SERVER_DETAIL) == 1  # one page of what changed
    assert SERVER_LIST not in quiet_cost

    now_us = round(cloud.clock.now() * US)
    coming = min((p for p in plans(cloud, 600) if p.start_us > now_us), key=lambda p: p.start_us)
    move(cloud, (coming.start_us - now_us) / US + 1)
    cloud.reset_counts()
    later = await watcher.poll()
    assert action_id(coming) in {a.id for a in later.actions}
    assert sum(compute_requests(cloud).values()) <= 10


async def test_list_reads_no_events(cloud: Simulator, watcher: OpenStackBackend) -> None:
    """``list_actions``: the server lists' pages and one action list per server, no event.

    The actions it could not settle without events get them at the next poll.
    """
    cloud.reset_counts()
    page = await watcher.list_actions(ListQuery(limit=50))
    listed = compute_requests(cloud)
    servers = len(cloud.openstack_api.world.servers)
    assert ACTION_DETAIL not in listed
    assert listed[ACTION_LIST] == servers
    assert sum(listed.values()) == 4 + servers + 1  # server pages, action lists, versions
    assert page.total is not None and page.total >= 3 * SERVERS
    cloud.reset_counts()
    update = await watcher.poll()
    assert compute_requests(cloud).get(ACTION_DETAIL, 0) > 0
    assert Status.UNKNOWN not in {a.status for a in update.actions}
    assert update.in_flight > 0


def test_cli_list_costs_one_request_per_server_and_page(
    cloud: Simulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``actiondeck list --backend openstack`` reads no events."""
    config = write_sim_config(tmp_path / "big.toml", cloud, monkeypatch)
    # Counts are the point here, not speed: 1,000 servers served and read in one
    # process may take longer than the default deadline on a loaded machine.
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('type = "openstack"\n', 'type = "openstack"\ntimeout = 120\n'))
    assert "timeout = 120" in config.read_text(encoding="utf-8")
    cloud.reset_counts()
    code = main(["list", "--config", str(config), "--backend", "openstack", "--json"])
    counts = compute_requests(cloud)
    servers = len(cloud.openstack_api.world.servers)
    assert code == 0, capsys.readouterr().err
    assert ACTION_DETAIL not in counts
    assert counts[ACTION_LIST] == servers
    assert counts[SERVER_LIST] == 4


def test_request_stats_forget_requests_older_than_a_minute() -> None:
    """The last-minute count slides; the total and last latency stay."""
    now = [100.0]
    stats = RequestStats(monotonic=lambda: now[0])
    for _ in range(3):
        stats.record(0.25)
    now[0] += RATE_WINDOW - 1
    stats.record(0.5)
    assert (stats.total, stats.recent(), stats.last_latency) == (4, 4, 0.5)
    now[0] += 2
    assert (stats.total, stats.recent()) == (4, 1)
    now[0] += RATE_WINDOW
    assert stats.recent() == 0


async def test_concurrent_requests_reuse_their_connections(cloud: Simulator) -> None:
    """A first poll's ~1,000 requests reuse a handful of connections (``concurrency``, 8,
    plus room for one the server drops under load), not one per request (about 900).

    Counted where they arrive: the simulator notes each request's client address."""
    sweep = make_backend(cloud)
    try:
        assert await sweep._nova.negotiate()
        cloud.reset_counts()
        await asyncio.wait_for(sweep.poll(), 60)
    finally:
        await sweep.aclose()
    assert sum(compute_requests(cloud).values()) > 900
    assert 0 < len(cloud.openstack.clients_seen()) <= 16
