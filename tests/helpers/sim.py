"""The deterministic simulator every test world is built from.

One seed and a frozen clock, so every answer is the same from run to run. The
fixtures in ``tests/conftest.py`` (``sim``, shared by the session, and
``fresh_sim``, private to one test) are both made here; a test that builds a
simulator of its own uses :func:`deterministic_sim` too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tui.sim import FrozenClock, Simulator

SEED = 7
"""The seed every deterministic test world is built from."""


@contextmanager
def deterministic_sim(seed: int = SEED) -> Iterator[Simulator]:
    """A running simulator with ``seed`` and a frozen clock, stopped on exit."""
    with Simulator(seed=seed, clock=FrozenClock()) as simulator:
        yield simulator


def advance(sim: Simulator, seconds: float) -> float:
    """Move a deterministic simulator's frozen clock on; the new time."""
    clock = sim.clock
    assert isinstance(clock, FrozenClock), "only a frozen clock can be moved"
    return clock.advance(seconds)


def keystone_token(client: httpx.Client, sim: Simulator, user: str = "demo") -> str:
    """A project-scoped token from the simulator's Keystone, by password (raw HTTP)."""
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": user,
                        "domain": {"id": "default"},
                        "password": sim.credentials.os_password,
                    }
                },
            },
            "scope": {"project": {"name": "demo", "domain": {"id": "default"}}},
        }
    }
    response = client.post(f"{sim.auth_url}/auth/tokens", json=body)
    assert response.status_code == 201, response.text
    return response.headers["X-Subject-Token"]
