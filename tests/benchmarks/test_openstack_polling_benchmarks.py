"""What polling an OpenStack project costs, at 10, 100 and 1,000 servers (× 3 actions).

Prints, for a first poll, a poll where nothing moved and a poll after one new
action: the compute requests, the seconds and the TCP connections opened
(client addresses the simulator saw). The request counts are contracts checked
in ``tests/backends/test_openstack_polling_cost.py``; here they sit beside the
times, which only the machine decides. Run with
``pytest -m benchmark -s tests/benchmarks/test_openstack_polling_benchmarks.py``.
"""

from __future__ import annotations

import time

import pytest

from tests.backends.test_openstack import make_backend
from tui.backends.openstack.backend import OpenStackBackend
from tui.sim import FrozenClock, Simulator
from tui.sim.openstack.plan import US


def _compute_requests(simulator: Simulator) -> int:
    counts = simulator.requests_by_family()["openstack"]
    return sum(n for family, n in counts.items() if family.startswith("/compute/"))


async def _poll(
    label: str,
    servers: int,
    simulator: Simulator,
    backend: OpenStackBackend,
    every: set[tuple[str, int]],
) -> None:
    simulator.reset_counts()
    started = time.perf_counter()
    update = await backend.poll()
    seconds = time.perf_counter() - started
    ports = simulator.openstack.clients_seen()
    every |= ports
    print(
        f"\nBENCH openstack {servers:>5} servers, {label:<12}: "
        f"{_compute_requests(simulator):>5} requests, {seconds:6.2f} s, "
        f"{len(ports):>4} connections used, {len(update.actions):>5} actions reported"
    )


@pytest.mark.parametrize("servers", [10, 100, 1_000])
async def test_polling_cost(servers: int) -> None:
    every: set[tuple[str, int]] = set()
    with Simulator(seed=7, clock=FrozenClock(), servers=servers) as simulator:
        backend = make_backend(simulator)
        try:
            await backend._nova.negotiate()
            await _poll("first poll", servers, simulator, backend, every)
            await _poll("nothing new", servers, simulator, backend, every)
            world, now_us = simulator.openstack_api.world, round(simulator.clock.now() * US)
            horizon = now_us + 3600 * US
            coming = min(
                (p for s in world.servers for p in world.actions(s.id, horizon)),
                key=lambda p: p.start_us if p.start_us > now_us else horizon + 1,
            )
            assert isinstance(simulator.clock, FrozenClock)
            simulator.clock.advance((coming.start_us - now_us) / US + 1)
            await _poll("one new", servers, simulator, backend, every)
            print(f"BENCH openstack {servers:>5} servers, connections opened in all: {len(every)}")
        finally:
            await backend.aclose()
