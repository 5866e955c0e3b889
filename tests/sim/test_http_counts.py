"""The simulator's request counting: per family, and the client connections they came on."""

from __future__ import annotations

import httpx

from tui.sim import Simulator


def test_requests_on_one_connection_count_one_client(fresh_sim: Simulator) -> None:
    url = f"{fresh_sim.seeweb.url}/nowhere"
    fresh_sim.reset_counts()
    with httpx.Client() as kept_alive:
        for _ in range(3):
            kept_alive.get(url)
    assert fresh_sim.seeweb.requests == 3
    assert len(fresh_sim.seeweb.clients_seen()) == 1
    for _ in range(2):
        with httpx.Client() as fresh:
            fresh.get(url)
    assert len(fresh_sim.seeweb.clients_seen()) == 3
    fresh_sim.reset_counts()
    assert fresh_sim.seeweb.clients_seen() == frozenset()
