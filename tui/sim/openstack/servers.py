"""Servers and flavors of the simulated Nova: ``/servers[/detail|/{id}]``, ``/flavors[...]``.

Which servers a request selects and in what order: lists filter on ``name``
(a regular expression, as in Nova), ``status``, ``deleted`` (admins) and
``changes-since``, other filters are ignored; ``limit``/``marker`` page them
newest first with a ``servers_links`` ``next`` link whenever a page is full.
A shown server gains ``server_groups`` from 2.71; unknown or deleted servers
and unknown flavors get Nova's 404. The bodies themselves come from
:mod:`tui.sim.openstack.server_views`.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tui.sim.http import SimResponse
from tui.sim.openstack.inventory import FLAVORS, ServerState, server_state
from tui.sim.openstack.render import MAX_LIMIT, fault, parse_time
from tui.sim.openstack.server_views import ServerViews
from tui.sim.openstack.world import OpenStackWorld, ServerPlan

if TYPE_CHECKING:
    from tui.sim.openstack.nova import Call

_TRUE = frozenset({"1", "t", "true", "on", "y", "yes"})


class Servers:
    """The server and flavor handlers of the compute service."""

    def __init__(self, *, world: OpenStackWorld, endpoint: str) -> None:
        self.world = world
        self.endpoint = endpoint
        self.views = ServerViews(world=world, endpoint=endpoint)
        """The bodies (:mod:`tui.sim.openstack.server_views`)."""

    # -- servers ------------------------------------------------------------

    def listing(self, call: Call, *, detail: bool) -> SimResponse:
        """``GET /servers`` or ``/servers/detail``: newest first, paged by ``limit``/``marker``."""
        servers = self._matching(call)
        if isinstance(servers, str):
            return reply(400, servers)
        window = _page(servers, call.request.query)
        if isinstance(window, str):
            return reply(400, window)
        page, limit = window
        body: dict[str, Any] = {"servers": [self.views.body(s, call, detail=detail) for s in page]}
        if page and len(page) == limit:
            query = {**call.request.query, "marker": page[-1].id}
            path = "servers/detail" if detail else "servers"
            href = f"{self.endpoint}/{path}?{urlencode(sorted(query.items()))}"
            body["servers_links"] = [{"rel": "next", "href": href}]
        return SimResponse(body)

    def _matching(self, call: Call) -> list[ServerPlan] | str:
        """The servers the list's filters select, newest first (or why the query is bad)."""
        query, now = call.request.query, call.now_us
        since = parse_time(query.get("changes-since"))
        if "changes-since" in query and since is None:
            return _invalid("changes-since", query["changes-since"])
        servers = [s for s in self.world.servers if s.exists(now)]
        if since is not None:
            servers = [s for s in servers if _server_updated(s, now) >= since]
        elif call.token.is_admin and query.get("deleted", "").lower() in _TRUE:
            servers = [s for s in servers if s.deleted(now)]
        else:
            servers = [s for s in servers if not s.deleted(now)]
        servers = _name_filter(servers, query.get("name"))
        if "status" in query:
            wanted = query["status"].upper()
            servers = [s for s in servers if self.state(s, now).status == wanted]
        return sorted(servers, key=lambda s: (s.created_us, s.id), reverse=True)

    def state(self, server: ServerPlan, now_us: int) -> ServerState:
        """The server's state at ``now_us``."""
        plans = self.world.actions(server.id, now_us)
        return server_state(plans, now_us, deleted=server.deleted(now_us))

    def show(self, call: Call) -> SimResponse:
        """``GET /servers/{id}`` (deleted servers are not found)."""
        server = self.find(call, deleted_ok=False)
        if isinstance(server, SimResponse):
            return server
        body = self.views.body(server, call, detail=True)
        if call.version >= (2, 71):
            body["server_groups"] = []
        return SimResponse({"server": body})

    def find(self, call: Call, *, deleted_ok: bool) -> ServerPlan | SimResponse:
        """The server named by the path's ``server_id``, or Nova's 404."""
        server_id = call.request.params["server_id"]
        server = self.world.server(server_id)
        if server is None or not server.exists(call.now_us):
            return reply(404, f"Instance {server_id} could not be found.")
        if server.deleted(call.now_us) and not deleted_ok:
            return reply(404, f"Instance {server_id} could not be found.")
        return server

    # -- flavors ------------------------------------------------------------

    def flavors(self, call: Call, *, detail: bool) -> SimResponse:
        """``GET /flavors`` or ``/flavors/detail`` (every flavor is public)."""
        if call.request.query.get("is_public", "").lower() in ("0", "f", "false", "no", "off"):
            return SimResponse({"flavors": []})
        return SimResponse(
            {"flavors": [self.views.flavor(f, call.version, detail) for f in FLAVORS]}
        )

    def flavor(self, call: Call) -> SimResponse:
        """``GET /flavors/{flavor_id}``."""
        flavor_id = call.request.params["flavor_id"]
        flavor = next((f for f in FLAVORS if f.id == flavor_id), None)
        if flavor is None:
            return reply(404, f"Flavor {flavor_id} could not be found.")
        return SimResponse({"flavor": self.views.flavor(flavor, call.version, True)})


def _page(servers: list[ServerPlan], query: dict[str, str]) -> tuple[list[ServerPlan], int] | str:
    """The page after ``marker`` (a server id), at most ``limit`` long."""
    text = query.get("limit", str(MAX_LIMIT))
    if not text.isdigit():
        return _invalid("limit", text)
    limit = min(int(text), MAX_LIMIT)
    start = 0
    if "marker" in query:
        ids = [s.id for s in servers]
        if query["marker"] not in ids:
            return f"marker [{query['marker']}] not found"
        start = ids.index(query["marker"]) + 1
    return servers[start : start + limit], limit


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


def reply(status: int, text: str) -> SimResponse:
    """A Nova fault response."""
    return SimResponse(fault(status, text), status=status)
