"""Simulated Keystone v3 + Nova os-instance-actions (placeholder: being written)."""

from __future__ import annotations

from typing import Any

from tui.sim.clock import Clock
from tui.sim.faults import Faults
from tui.sim.http import Route


class OpenStackApi:
    """The simulated OpenStack cloud (identity under /identity, compute under /compute)."""

    username = "demo"
    password = "sim-os-password"
    project_name = "demo"
    domain_name = "Default"
    app_credential_id = "sim-app-cred"
    app_credential_secret = "sim-app-cred-secret"

    def __init__(
        self, *, seed: int, clock: Clock, actions: int | None, base_url: str, faults: Faults
    ) -> None:
        self.seed = seed
        self.clock = clock
        self.actions = actions
        self.base_url = base_url
        self.faults = faults

    @property
    def auth_url(self) -> str:
        """Keystone v3 URL."""
        return f"{self.base_url}/identity/v3"

    def routes(self) -> list[Route]:
        """HTTP routes."""
        return []

    def error_body(self, status: int) -> Any:
        """Nova-style fault body."""
        return {"computeFault": {"code": status, "message": f"simulated failure (HTTP {status})"}}
