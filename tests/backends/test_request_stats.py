"""Every backend counts and times its requests the same way (``backend.stats``).

The counts are checked against what the simulator received over real
loopback HTTP, for each of the three families, through the one interface the
backend bar and ``config check --probe`` read (:func:`traffic_of`).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.backends import test_openstack, test_redis_enterprise, test_seeweb
from tui.backends.base import Backend, RequestStats, Traffic, traffic_of
from tui.backends.http import RATE_WINDOW
from tui.sim import Simulator

KEYSTONE = "/identity"
"""Keystone's path families: token requests go through keystoneauth, not the Nova client."""

Builder = Callable[[Simulator], Backend]

BUILDERS: dict[str, tuple[str, Builder]] = {
    "seeweb": ("seeweb", test_seeweb.make_backend),
    "redis-enterprise": (
        "redis-enterprise",
        lambda simulator: test_redis_enterprise.make_backend(simulator.redis_url),
    ),
    "openstack": ("openstack", test_openstack.make_backend),
}
"""Backend type → (the simulator API it talks to, how a test builds one)."""


def received(simulator: Simulator, api: str) -> int:
    """Requests the simulator's ``api`` received (Keystone's left out)."""
    counts = simulator.requests_by_family()[api]
    return sum(n for family, n in counts.items() if not family.startswith(KEYSTONE))


@pytest.mark.parametrize("kind", sorted(BUILDERS))
async def test_stats_count_every_request_the_api_received(fresh_sim: Simulator, kind: str) -> None:
    api, build = BUILDERS[kind]
    backend = build(fresh_sim)
    try:
        assert isinstance(backend, Backend)
        assert traffic_of(backend) == Traffic(0, 0, None)
        fresh_sim.reset_counts()
        await backend.poll()
        await backend.poll()
        sent = received(fresh_sim, api)
        traffic = traffic_of(backend)
        assert sent > 0
        assert traffic is not None
        assert traffic.total == traffic.last_minute == sent
        assert traffic.last_latency is not None and 0 < traffic.last_latency < 15
    finally:
        await backend.aclose()


async def test_a_refused_request_counts_too(fresh_sim: Simulator) -> None:
    """A request that failed still hit the API: it is counted and timed."""
    backend = test_seeweb.make_backend(fresh_sim, token="not-the-token")
    try:
        with pytest.raises(Exception, match="401"):
            await backend.poll()
        assert backend.stats.total == received(fresh_sim, "seeweb") >= 1
        assert backend.stats.last_latency is not None
    finally:
        await backend.aclose()


def test_the_rate_forgets_requests_older_than_a_minute() -> None:
    now = [1000.0]
    stats = RequestStats(monotonic=lambda: now[0])
    stats.record(0.25)
    now[0] += RATE_WINDOW / 2
    stats.record(0.5)
    assert stats.traffic() == Traffic(2, 2, 0.5)
    now[0] += RATE_WINDOW / 2 + 0.1
    assert stats.traffic() == Traffic(2, 1, 0.5)
    now[0] += RATE_WINDOW
    assert stats.traffic() == Traffic(2, 0, 0.5)
