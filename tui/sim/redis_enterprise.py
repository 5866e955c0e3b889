"""Simulated Redis Enterprise REST API (placeholder: being written)."""

from __future__ import annotations

from typing import Any

from tui.sim.clock import Clock
from tui.sim.http import Route


class RedisEnterpriseApi:
    """The simulated Redis Enterprise cluster and its routes."""

    username = "admin@example.com"
    password = "sim-redis-password"

    def __init__(self, *, seed: int, clock: Clock, actions: int | None) -> None:
        self.seed = seed
        self.clock = clock
        self.actions = actions

    def routes(self) -> list[Route]:
        """HTTP routes under ``/v1`` and ``/v2``."""
        return []

    def error_body(self, status: int) -> Any:
        """Redis-style error body."""
        return {"error_code": "simulated", "message": f"simulated failure (HTTP {status})"}
