"""The embedded simulator: the three APIs (and Keystone) on loopback ports.

``Simulator`` holds a simulated world for each API family. With a
:class:`~tui.sim.clock.FrozenClock` and a fixed seed every answer is
identical from run to run; with the real clock actions progress, complete and
fail while you watch.
"""

from __future__ import annotations

import ssl
from types import TracebackType
from urllib.parse import unquote

from tui.sim.clock import Clock, RealClock
from tui.sim.credentials import SimCredentials
from tui.sim.fault_spec import BACKENDS as SPEC_BACKENDS
from tui.sim.fault_spec import FaultSpecError, parse_specs
from tui.sim.faults import Faults
from tui.sim.http import ApiServer, SimRequest, SimResponse
from tui.sim.openstack.api import OpenStackApi
from tui.sim.redis_enterprise.api import RedisEnterpriseApi
from tui.sim.seeweb.api import SeewebApi

DEFAULT_SHARES = {"seeweb": 0.6, "openstack": 0.25, "redis": 0.15}
"""How ``actions=N`` is spread over the three APIs."""

REDIS_MAX_ACTIONS = 1_000
"""A Redis cluster reports only running and recently ended actions, never a long
history; above this the rest of its share goes to Seeweb's history."""

OPENSTACK_MAX_ACTIONS = 2_500
"""The OpenStack project is drawn whole at start-up (about 0.1 ms per action);
above this the rest of its share goes to Seeweb, whose big histories are drawn
lazily, so that a demo of a million actions starts as fast as a small one."""


def split_actions(total: int | None) -> dict[str, int | None]:
    """Spread ``total`` actions over the APIs (``None``: each API's own default)."""
    if total is None:
        return dict.fromkeys(DEFAULT_SHARES)
    counts = {name: int(total * share) for name, share in DEFAULT_SHARES.items()}
    counts["redis"] = min(counts["redis"], REDIS_MAX_ACTIONS)
    counts["openstack"] = min(counts["openstack"], OPENSTACK_MAX_ACTIONS)
    counts["seeweb"] += total - sum(counts.values())
    return dict(counts)


class Simulator:
    """All simulated APIs, started and stopped together."""

    def __init__(
        self,
        *,
        seed: int = 0,
        actions: int | None = None,
        clock: Clock | None = None,
        redis_ssl_context: ssl.SSLContext | None = None,
        host: str = "127.0.0.1",
        servers: int | None = None,
        port: int = 0,
    ) -> None:
        """Build every simulated API (call :meth:`start` to serve them).

        Args:
            seed: the seed every world is drawn from.
            actions: actions in all, spread by :func:`split_actions` (default:
                each API's own).
            clock: the clock (default: the real one).
            redis_ssl_context: serve Redis Enterprise over TLS with this.
            host: the address to listen on.
            servers: live servers of the OpenStack project (default: eight);
                with no ``actions`` it then holds about three actions per server.
            port: Seeweb listens on ``port``, OpenStack (Keystone and Nova) on
                ``port + 1``, Redis Enterprise on ``port + 2`` (``0``: free ports).

        Raises:
            ValueError: ``servers`` below 1.
        """
        self.seed = seed
        self.clock: Clock = clock or RealClock()
        counts = split_actions(actions)
        self.seeweb_api = SeewebApi(seed=seed, clock=self.clock, actions=counts["seeweb"])
        self.redis_api = RedisEnterpriseApi(seed=seed, clock=self.clock, actions=counts["redis"])
        ports = (port, port + 1, port + 2) if port else (0, 0, 0)
        self.seeweb = ApiServer("seeweb", self.seeweb_api.routes(), host=host, port=ports[0])
        self.openstack = ApiServer("openstack", host=host, port=ports[1])
        self.openstack_api = OpenStackApi(
            seed=seed,
            clock=self.clock,
            actions=counts["openstack"],
            base_url=self.openstack.url,
            faults=self.openstack.faults,
            servers=servers,
        )
        for route in self.openstack_api.routes():
            self.openstack.add_route(route)
        self.openstack.error_body = self.openstack_api.error_body
        self.redis = ApiServer(
            "redis-enterprise",
            self.redis_api.routes(),
            ssl_context=redis_ssl_context,
            host=host,
            port=ports[2],
            error_body=self.redis_api.error_body,
        )
        self._started = False

    @property
    def servers(self) -> tuple[ApiServer, ...]:
        """Every HTTP server of the simulator."""
        return (self.seeweb, self.openstack, self.redis)

    @property
    def seeweb_url(self) -> str:
        """Base URL of the Seeweb ECS v2 API."""
        return f"{self.seeweb.url}/ecs/v2"

    @property
    def auth_url(self) -> str:
        """Keystone v3 auth URL."""
        return self.openstack_api.auth_url

    @property
    def redis_url(self) -> str:
        """Base URL of the Redis Enterprise REST API."""
        return self.redis.url

    @property
    def credentials(self) -> SimCredentials:
        """The demo credentials the simulated APIs accept."""
        os_api = self.openstack_api
        return SimCredentials(
            seeweb_token=self.seeweb_api.token,
            os_username=os_api.username,
            os_password=os_api.password,
            os_project=os_api.project_name,
            os_domain=os_api.domain_name,
            os_app_credential_id=os_api.app_credential_id,
            os_app_credential_secret=os_api.app_credential_secret,
            redis_username=self.redis_api.username,
            redis_password=self.redis_api.password,
        )

    def start(self) -> Simulator:
        """Start every server (idempotent)."""
        if not self._started:
            for server in self.servers:
                server.start()
            self._started = True
        return self

    def stop(self) -> None:
        """Stop every server."""
        if self._started:
            for server in self.servers:
                server.stop()
            self._started = False

    def requests_by_family(self) -> dict[str, dict[str, int]]:
        """Requests received so far, per API and path family (see :class:`ApiServer`)."""
        return {server.name: server.requests_by_family() for server in self.servers}

    def reset_counts(self) -> None:
        """Count requests from zero again, on every API."""
        for server in self.servers:
            server.reset_counts()

    def faults_of(self, name: str) -> Faults:
        """The fault knobs of the API called ``name`` in a fault spec (``seeweb`` …)."""
        servers = dict(zip(SPEC_BACKENDS, self.servers, strict=True))
        return servers[name].faults

    def apply_faults(self, text: str) -> None:
        """Switch faults by spec: ``seeweb=503 openstack=latency:5`` (:mod:`tui.sim.fault_spec`).

        Every spec is read before any is applied, so a bad one changes nothing.

        Raises:
            FaultSpecError: a spec that cannot be read.
        """
        for names, clear, knobs in parse_specs(text):
            for name in names:
                faults = self.faults_of(name)
                if clear:
                    faults.clear()
                faults.update(**knobs)

    def enable_control(self) -> None:
        """Answer ``GET``/``POST /__sim/faults`` on every port (loopback clients only)."""
        for server in self.servers:
            server.control = self._control

    def _control(self, request: SimRequest) -> SimResponse:
        if request.method == "POST":
            try:
                self.apply_faults(unquote(request.body.decode("utf-8", "replace")))
            except FaultSpecError as error:
                return SimResponse({"message": str(error)}, status=400)
        elif request.method != "GET":
            return SimResponse({"message": "GET or POST"}, status=405)
        return SimResponse({name: self.faults_of(name).describe() for name in SPEC_BACKENDS})

    def clear_faults(self) -> None:
        """Make every API healthy again."""
        for server in self.servers:
            server.faults.clear()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
