"""Simulated Nova compute API (under ``/compute``): servers and ``os-instance-actions``.

Every request but the version documents needs a valid ``X-Auth-Token``
(checked against :class:`~tui.sim.keystone.Keystone`; keystonemiddleware's
401 otherwise). The microversion comes from ``OpenStack-API-Version: compute
X`` or ``X-OpenStack-Nova-API-Version: X`` (the former wins); none means 2.1,
``latest`` the maximum, anything out of range 406. Answers echo both headers.

The list honours ``limit``, ``marker`` (a ``request_id``), ``changes-since``
(2.58) and ``changes-before`` (2.66), adds a ``next`` link whenever a page is
full, and rejects unknown query parameters from 2.58 on. Deleted servers'
actions are readable from 2.21. The catalog URL carries no project id, but
paths with one are accepted too.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from tui.sim.clock import Clock
from tui.sim.http import Route, SimRequest, SimResponse
from tui.sim.keystone import Keystone, TokenInfo
from tui.sim.nova_plan import US, ActionPlan, updated_at_us
from tui.sim.nova_render import (
    Version,
    action_body,
    action_detail,
    fault,
    server_body,
)
from tui.sim.openstack_world import OpenStackWorld, ServerPlan

MIN_VERSION: Version = (2, 1)
MAX_VERSION: Version = (2, 90)
"""The newest microversion the simulated Nova speaks (changeable per instance)."""
MAX_LIMIT = 1000
"""Nova's ``[api] max_limit``: the default and the cap of ``limit``."""

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

    # -- servers ------------------------------------------------------------

    def _servers(self, call: Call) -> SimResponse:
        return self._server_list(call, detail=False)

    def _servers_detail(self, call: Call) -> SimResponse:
        return self._server_list(call, detail=True)

    def _server_list(self, call: Call, *, detail: bool) -> SimResponse:
        query = call.request.query
        since = _parse_time(query.get("changes-since"))
        if "changes-since" in query and since is None:
            return _bad(_invalid("changes-since", query["changes-since"]))
        servers = [s for s in self.world.servers if s.exists(call.now_us)]
        if since is None:
            servers = [s for s in servers if not s.deleted(call.now_us)]
        else:
            servers = [s for s in servers if _server_updated(s, call.now_us) >= since]
        servers = _name_filter(servers, query.get("name"))
        servers.sort(key=lambda s: (s.created_us, s.id), reverse=True)
        body = [self._server_body(s, call, detail) for s in servers]
        return SimResponse({"servers": body})

    def _server(self, call: Call) -> SimResponse:
        server = self._find_server(call, deleted_ok=False)
        if isinstance(server, SimResponse):
            return server
        return SimResponse({"server": self._server_body(server, call, True)})

    def _server_body(self, server: ServerPlan, call: Call, detail: bool) -> dict[str, Any]:
        ident = self.world.identity
        return server_body(
            server,
            call.now_us,
            base=self.endpoint,
            detail=detail,
            admin=call.token.is_admin,
            project_id=ident.project_id,
            user_id=ident.admin_id,
        )

    def _find_server(self, call: Call, *, deleted_ok: bool) -> ServerPlan | SimResponse:
        server_id = call.request.params["server_id"]
        server = self.world.server(server_id)
        if server is None or not server.exists(call.now_us):
            return _not_found(f"Instance {server_id} could not be found.")
        if server.deleted(call.now_us) and not deleted_ok:
            return _not_found(f"Instance {server_id} could not be found.")
        return server

    # -- instance actions ---------------------------------------------------

    def _actions(self, call: Call) -> SimResponse:
        server = self._find_server(call, deleted_ok=call.version >= (2, 21))
        if isinstance(server, SimResponse):
            return server
        plans = self.world.actions(server.id, call.now_us)
        if call.version < (2, 58):
            return SimResponse({"instanceActions": [self._listed(p, call) for p in plans]})
        return self._paged(call, server, plans)

    def _paged(self, call: Call, server: ServerPlan, plans: list[ActionPlan]) -> SimResponse:
        query = call.request.query
        problem = _check_query(query, call.version)
        if problem:
            return _bad(problem)
        window = _window(query, plans, call.now_us)
        if isinstance(window, str):
            return _bad(window)
        page, limit = window
        body: dict[str, Any] = {"instanceActions": [self._listed(p, call) for p in page]}
        if page and len(page) == limit:
            params = dict(sorted({**query, "marker": page[-1].request_id}.items()))
            href = f"{self.endpoint}/servers/{server.id}/os-instance-actions?{urlencode(params)}"
            body["links"] = [{"rel": "next", "href": href}]
        return SimResponse(body)

    def _listed(self, plan: ActionPlan, call: Call) -> dict[str, Any]:
        return action_body(plan, call.now_us, call.version)

    def _action(self, call: Call) -> SimResponse:
        server = self._find_server(call, deleted_ok=call.version >= (2, 21))
        if isinstance(server, SimResponse):
            return server
        if call.version >= (2, 102) and call.request.query:
            return _bad("Additional properties are not allowed.")
        request_id = call.request.params["request_id"]
        plan = self.world.action(server.id, request_id, call.now_us)
        if plan is None:
            return _not_found(
                f"Action for request_id {request_id} on instance {server.id} not found"
            )
        detail = action_detail(
            plan,
            call.now_us,
            call.version,
            admin=call.token.is_admin,
            project_id=self.world.identity.project_id,
        )
        return SimResponse({"instanceAction": detail})


def _window(
    query: dict[str, str], plans: list[ActionPlan], now_us: int
) -> tuple[list[ActionPlan], int] | str:
    """Filter by ``changes-since``/``changes-before``, then page with ``marker``/``limit``."""
    limit_text = query.get("limit", str(MAX_LIMIT))
    if not limit_text.isdigit():
        return _invalid("limit", limit_text)
    limit = min(int(limit_text), MAX_LIMIT)
    bounds = [_parse_time(query.get(key)) for key in ("changes-since", "changes-before")]
    for key, bound in zip(("changes-since", "changes-before"), bounds, strict=True):
        if key in query and bound is None:
            return _invalid(key, query[key])
    since, before = bounds
    if since is not None and before is not None and since > before:
        return "The value of changes-since must be less than or equal to changes-before."
    start = 0
    if "marker" in query:
        positions = [i for i, p in enumerate(plans) if p.request_id == query["marker"]]
        if not positions:
            return f"Marker {query['marker']} could not be found."
        start = positions[0] + 1
    chosen = [p for p in plans[start:] if _in_bounds(updated_at_us(p, now_us), since, before)]
    return chosen[:limit], limit


def _in_bounds(updated: int | None, since: int | None, before: int | None) -> bool:
    if since is None and before is None:
        return True
    if updated is None:
        return False
    return (since is None or updated >= since) and (before is None or updated <= before)


def _check_query(query: dict[str, str], version: Version) -> str | None:
    allowed = {"limit", "marker", "changes-since"}
    if version >= (2, 66):
        allowed.add("changes-before")
    unknown = sorted(set(query) - allowed)
    if not unknown:
        return None
    names = ", ".join(f"'{name}'" for name in unknown)
    verb = "was" if len(unknown) == 1 else "were"
    return f"Additional properties are not allowed ({names} {verb} unexpected)"


def _requested(headers: dict[str, str]) -> str | None:
    """The version asked for; ``OpenStack-API-Version: compute X`` wins over the legacy header."""
    for part in headers.get("openstack-api-version", "").split(","):
        service, _, value = part.strip().partition(" ")
        if service.lower() == "compute" and value.strip():
            return value.strip()
    legacy = headers.get("x-openstack-nova-api-version", "").strip()
    return legacy or None


def _parse_time(value: str | None) -> int | None:
    """An ISO 8601 query value as microseconds (naive means UTC)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * US + delta.microseconds


def _server_updated(server: ServerPlan, now_us: int) -> int:
    if server.deleted_us is not None and server.deleted_us <= now_us:
        return server.deleted_us
    return server.created_us


def _name_filter(servers: list[ServerPlan], pattern: str | None) -> list[ServerPlan]:
    """Nova treats ``name`` as a regular expression searched in the name."""
    if not pattern:
        return servers
    try:
        compiled = re.compile(pattern)
    except re.error:
        compiled = re.compile(re.escape(pattern))
    return [s for s in servers if compiled.search(s.name)]


def _invalid(key: str, value: str) -> str:
    return f"Invalid input for query parameters {key}. Value: {value}."


def _text(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


def _bad(text: str) -> SimResponse:
    return SimResponse(fault(400, text), status=400)


def _not_found(text: str) -> SimResponse:
    return SimResponse(fault(404, text), status=404)
