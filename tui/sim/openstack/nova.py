"""Simulated Nova compute API (under ``/compute``): versions, tokens, microversions, routes.

Every request but the version documents needs a valid ``X-Auth-Token``
(checked against :class:`~tui.sim.openstack.keystone.Keystone`; keystonemiddleware's
401 otherwise). The microversion comes from ``OpenStack-API-Version: compute
X`` or ``X-OpenStack-Nova-API-Version: X`` (the former wins); none means 2.1,
``latest`` the maximum, anything out of range 406. Answers echo both headers.

The catalog URL carries no project id, but paths with one are accepted too.
Servers and flavors (:mod:`tui.sim.openstack.servers`) and instance actions
(:mod:`tui.sim.openstack.instance_actions`) are served behind these token
and version checks.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui.sim.clock import Clock
from tui.sim.http import Route, SimRequest, SimResponse
from tui.sim.openstack.instance_actions import InstanceActions
from tui.sim.openstack.keystone import Keystone, TokenInfo
from tui.sim.openstack.plan import US
from tui.sim.openstack.render import Version, fault
from tui.sim.openstack.servers import Servers
from tui.sim.openstack.world import OpenStackWorld

MIN_VERSION: Version = (2, 1)
MAX_VERSION: Version = (2, 90)
"""The newest microversion the simulated Nova speaks (changeable per instance)."""

_PREFIX = r"/compute/v2\.1(?:/[0-9a-f]{32})?"
_VERSION_RE = re.compile(r"^([1-9]\d*)\.(0|[1-9]\d*)$")


@dataclass(frozen=True)
class Call:
    """One authenticated, version-negotiated compute request."""

    request: SimRequest
    version: Version
    token: TokenInfo
    now_us: int


class Nova:
    """The compute service of the simulated cloud."""

    def __init__(
        self, *, world: OpenStackWorld, clock: Clock, base_url: str, keystone: Keystone
    ) -> None:
        self.world = world
        self.clock = clock
        self.base_url = base_url
        self.keystone = keystone
        self.max_version: Version = MAX_VERSION
        self.seen: deque[tuple[str, dict[str, str]]] = deque(maxlen=2000)
        """Path and query of recent compute requests, newest last (tests read it)."""
        self.servers_api = Servers(world=world, endpoint=self.endpoint)
        """Servers and flavors (:mod:`tui.sim.openstack.servers`)."""
        self.actions_api = InstanceActions(
            world=world, servers=self.servers_api, endpoint=self.endpoint
        )
        """Instance actions (:mod:`tui.sim.openstack.instance_actions`)."""
        self._request_ids = 0
        self._lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        """The catalog's compute URL."""
        return f"{self.base_url}/compute/v2.1"

    def routes(self) -> list[Route]:
        """The compute routes (``/servers/detail`` before ``/servers/{id}``)."""
        server = rf"{_PREFIX}/servers/(?P<server_id>[^/]+)"
        return [
            Route("GET", r"/compute", self._versions),
            Route("GET", r"/compute/v2\.1", self._version),
            Route("GET", rf"{_PREFIX}/servers", self._guard(self._servers)),
            Route("GET", rf"{_PREFIX}/servers/detail", self._guard(self._servers_detail)),
            Route("GET", server, self._guard(self._server)),
            Route("GET", rf"{_PREFIX}/flavors", self._guard(self._flavors)),
            Route("GET", rf"{_PREFIX}/flavors/detail", self._guard(self._flavors_detail)),
            Route("GET", rf"{_PREFIX}/flavors/(?P<flavor_id>[^/]+)", self._guard(self._flavor)),
            Route("GET", rf"{server}/os-instance-actions", self._guard(self._actions)),
            Route(
                "GET",
                rf"{server}/os-instance-actions/(?P<request_id>[^/]+)",
                self._guard(self._action),
            ),
        ]

    # -- version documents (no token needed) --------------------------------

    def _versions(self, request: SimRequest) -> SimResponse:
        legacy = {
            "id": "v2.0",
            "status": "SUPPORTED",
            "version": "",
            "min_version": "",
            "updated": "2011-01-21T11:33:21Z",
            "links": [{"rel": "self", "href": f"{self.base_url}/compute/v2/"}],
        }
        return SimResponse({"versions": [legacy, self._version_doc()]})

    def _version(self, request: SimRequest) -> SimResponse:
        return SimResponse({"version": self._version_doc()})

    def _version_doc(self) -> dict[str, Any]:
        return {
            "id": "v2.1",
            "status": "CURRENT",
            "version": _text(self.max_version),
            "min_version": _text(MIN_VERSION),
            "updated": "2013-07-23T11:33:21Z",
            "links": [{"rel": "self", "href": f"{self.endpoint}/"}],
            "media-types": [
                {
                    "base": "application/json",
                    "type": "application/vnd.openstack.compute+json;version=2.1",
                }
            ],
        }

    # -- authentication and microversions -----------------------------------

    def _guard(self, handler: Callable[[Call], SimResponse]) -> Callable[[SimRequest], SimResponse]:
        """Wrap a handler with token validation, version negotiation and echo headers."""

        def guarded(request: SimRequest) -> SimResponse:
            self.seen.append((request.path, dict(request.query)))
            token = self.keystone.validate(request.headers.get("x-auth-token"))
            if token is None:
                return self.keystone.unauthorized()
            version = self.negotiate(request.headers)
            if isinstance(version, SimResponse):
                return version
            response = handler(Call(request, version, token, round(self.clock.now() * US)))
            response.headers.update(self._echo(version))
            return response

        return guarded

    def negotiate(self, headers: dict[str, str]) -> Version | SimResponse:
        """The requested microversion, or the 400/406 Nova answers."""
        raw = _requested(headers)
        if raw is None:
            return MIN_VERSION
        if raw.lower() == "latest":
            return self.max_version
        match = _VERSION_RE.match(raw)
        if match is None:
            text = (
                f"API Version String {raw} is of invalid format. "
                "Must be of format MajorNum.MinorNum."
            )
            return SimResponse(fault(400, text), status=400)
        version = (int(match[1]), int(match[2]))
        if not MIN_VERSION <= version <= self.max_version:
            text = (
                f"Version {raw} is not supported by the API. Minimum is "
                f"{_text(MIN_VERSION)} and maximum is {_text(self.max_version)}."
            )
            return SimResponse(fault(406, text), status=406)
        return version

    def _echo(self, version: Version) -> dict[str, str]:
        with self._lock:
            self._request_ids += 1
            number = self._request_ids
        request_id = f"req-{self.world.seed:08x}-0000-4000-8000-{number:012x}"
        headers = {
            "OpenStack-API-Version": f"compute {_text(version)}",
            "X-OpenStack-Nova-API-Version": _text(version),
            "Vary": "OpenStack-API-Version, X-OpenStack-Nova-API-Version",
            "X-Compute-Request-Id": request_id,
        }
        if version >= (2, 46):
            headers["X-OpenStack-Request-Id"] = request_id
        return headers

    # -- servers and flavors ---------------------------------------------------

    def _servers(self, call: Call) -> SimResponse:
        return self.servers_api.listing(call, detail=False)

    def _servers_detail(self, call: Call) -> SimResponse:
        return self.servers_api.listing(call, detail=True)

    def _server(self, call: Call) -> SimResponse:
        return self.servers_api.show(call)

    def _flavors(self, call: Call) -> SimResponse:
        return self.servers_api.flavors(call, detail=False)

    def _flavors_detail(self, call: Call) -> SimResponse:
        return self.servers_api.flavors(call, detail=True)

    def _flavor(self, call: Call) -> SimResponse:
        return self.servers_api.flavor(call)

    # -- instance actions ---------------------------------------------------

    def _actions(self, call: Call) -> SimResponse:
        return self.actions_api.listing(call)

    def _action(self, call: Call) -> SimResponse:
        return self.actions_api.show(call)


def _requested(headers: dict[str, str]) -> str | None:
    """The version asked for; ``OpenStack-API-Version: compute X`` wins over the legacy header."""
    for part in headers.get("openstack-api-version", "").split(","):
        service, _, value = part.strip().partition(" ")
        if service.lower() == "compute" and value.strip():
            return value.strip()
    legacy = headers.get("x-openstack-nova-api-version", "").strip()
    return legacy or None


def _text(version: Version) -> str:
    return f"{version[0]}.{version[1]}"
