"""The simulated OpenStack cloud: Keystone v3, Nova and Glance on one HTTP server.

Paths follow devstack: identity under ``/identity`` (auth URL
``{base}/identity/v3``), compute under ``/compute`` (catalog URL
``{base}/compute/v2.1``), images under ``/image``. The project, its users,
servers (eight unless told how many) and instance actions come from
:class:`~tui.sim.openstack.world.OpenStackWorld`, a pure function of the
seed and the clock; :mod:`tui.sim.openstack.keystone`, :mod:`tui.sim.openstack.nova` and
:mod:`tui.sim.openstack.glance` serve it, so the OpenStack CLI can be pointed at it.

Users: ``demo`` (admin: sees events, tracebacks, hosts and details) and
``viewer`` (reader: the non-admin shape), both with :attr:`OpenStackApi.password`;
plus one application credential of ``demo``.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

from typing import Any

from tui.sim.clock import Clock
from tui.sim.faults import Faults
from tui.sim.http import Route
from tui.sim.openstack.glance import Glance
from tui.sim.openstack.keystone import Keystone, KeystoneCredentials
from tui.sim.openstack.nova import Nova
from tui.sim.openstack.render import fault
from tui.sim.openstack.world import OpenStackWorld


class OpenStackApi:
    """The simulated OpenStack cloud (identity under /identity, compute under /compute)."""

    username = "demo"
    viewer_username = "viewer"
    password = "sim-os-password"
    project_name = "demo"
    domain_name = "Default"
    app_credential_id = "sim-app-cred"
    app_credential_name = "actiondeck-sim"
    app_credential_secret = "sim-app-cred-secret"
    region = "RegionOne"

    def __init__(
        self,
        *,
        seed: int,
        clock: Clock,
        actions: int | None,
        base_url: str,
        faults: Faults,
        servers: int | None = None,
    ) -> None:
        self.seed = seed
        self.clock = clock
        self.actions = actions
        self.base_url = base_url
        self.faults = faults
        self.world = OpenStackWorld(seed=seed, anchor=clock.now(), actions=actions, servers=servers)
        credentials = KeystoneCredentials(
            password=self.password,
            project_name=self.project_name,
            app_credential_id=self.app_credential_id,
            app_credential_name=self.app_credential_name,
            app_credential_secret=self.app_credential_secret,
        )
        self.keystone = Keystone(
            seed=seed,
            clock=clock,
            base_url=base_url,
            faults=faults,
            identity=self.world.identity,
            credentials=credentials,
        )
        self.nova = Nova(world=self.world, clock=clock, base_url=base_url, keystone=self.keystone)
        self.glance = Glance(
            seed=seed, anchor_us=self.world.anchor_us, base_url=base_url, keystone=self.keystone
        )

    @property
    def auth_url(self) -> str:
        """Keystone v3 URL."""
        return f"{self.base_url}/identity/v3"

    @property
    def compute_url(self) -> str:
        """The compute endpoint the catalog advertises."""
        return self.nova.endpoint

    @property
    def tokens_issued(self) -> int:
        """How many tokens Keystone has issued so far."""
        return self.keystone.tokens_issued

    @property
    def max_microversion(self) -> str:
        """The newest compute microversion served (``"2.90"``)."""
        major, minor = self.nova.max_version
        return f"{major}.{minor}"

    @max_microversion.setter
    def max_microversion(self, value: str) -> None:
        """Pretend to be an older cloud, e.g. ``"2.1"``."""
        major, _, minor = value.partition(".")
        self.nova.max_version = (int(major), int(minor))

    def routes(self) -> list[Route]:
        """HTTP routes."""
        return self.keystone.routes() + self.nova.routes() + self.glance.routes()

    def error_body(self, status: int) -> Any:
        """Nova-style fault body (used for injected faults and unknown paths)."""
        return fault(status, f"simulated failure (HTTP {status})")
