"""Simulated Seeweb ECS v2 actions API (placeholder: being written)."""

from __future__ import annotations

from tui.sim.clock import Clock
from tui.sim.http import Route


class SeewebApi:
    """The simulated Seeweb world and its routes."""

    token = "sim-seeweb-token"

    def __init__(self, *, seed: int, clock: Clock, actions: int | None) -> None:
        self.seed = seed
        self.clock = clock
        self.actions = actions

    def routes(self) -> list[Route]:
        """HTTP routes under ``/ecs/v2``."""
        return []
