"""Servers and flavors of the simulated Nova: ``/servers[/detail|/{id}]``, ``/flavors[...]``.

Which servers a list selects and in what order, as Nova's ``_get_servers``
(``nova/api/openstack/compute/servers.py``) and ``instance_get_all_by_filters_sort``
(``nova/db/main/api.py``) do:

- ``changes-since`` (and, from 2.66, ``changes-before``): servers whose
  ``updated`` is at or after (at or before) the time, ISO 8601, naive meaning
  UTC (``api-guide/source/polling_changes.rst``). Either one lists deleted
  servers too ("to allow clients to keep track of changes ... displays items
  that have been recently deleted"), for every caller; an admin's ``deleted``
  still decides. A bad time is 400 (the query schema's ``date-time``); since
  after before is 400. Before 2.66 ``changes-before`` is dropped, as Nova's
  schema strips it.
- ``deleted`` (admins only; others have it removed): ``true`` lists only
  deleted servers, anything else only live ones. Without it nor a change
  filter, only live servers.
- ``name`` (a regular expression, searched) and ``status``; other filters are
  ignored.
- Newest first (``created_at`` then ``id``, descending: Nova's default sort),
  paged by ``limit`` (default and cap: ``[api] max_limit`` = 1000) and
  ``marker``, the id of any server of the project, deleted or filtered out
  included (Nova reads the marker row with ``read_deleted='yes'``); the page
  is what sorts after it. An unknown marker is 400 ``marker [x] not found``.
- ``servers_links``: a ``next`` link whenever a page holds ``min(limit,
  max_limit)`` servers (so the last page may link to an empty one), built as
  ``ViewBuilder._get_next_link`` does: the query sorted by name, ``marker``
  replaced in place or appended last, on ``servers`` or ``servers/detail``,
  with the project id only if the request's URL had it.

A server's ``updated`` moves whenever one of its actions starts, steps or
ends (:meth:`~tui.sim.openstack.world.OpenStackWorld.updated`). A shown
server gains ``server_groups`` from 2.71; unknown or deleted servers and
unknown flavors get Nova's 404. The bodies themselves come from
:mod:`tui.sim.openstack.server_views`.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tui.sim.http import SimResponse
from tui.sim.openstack.inventory import FLAVORS, ServerState, server_state
from tui.sim.openstack.render import MAX_LIMIT, Version, fault, parse_time
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
        """``GET /servers`` or ``/servers/detail``: filtered, newest first, paged."""
        query = call.request.query
        limit = _limit(query)
        if isinstance(limit, str):
            return reply(400, limit)
        servers = self._matching(call)
        if isinstance(servers, str):
            return reply(400, servers)
        after = self._after_marker(servers, query.get("marker"), call.now_us)
        if isinstance(after, str):
            return reply(400, after)
        page = after[:limit]
        body: dict[str, Any] = {"servers": [self.views.body(s, call, detail=detail) for s in page]}
        if limit and len(page) == limit:
            body["servers_links"] = [{"rel": "next", "href": self._next(call, page[-1], detail)}]
        return SimResponse(body)

    def _matching(self, call: Call) -> list[ServerPlan] | str:
        """The servers the list's filters select, newest first (or why the query is bad)."""
        query, now = call.request.query, call.now_us
        bounds = _change_bounds(query, call.version)
        if isinstance(bounds, str):
            return bounds
        since, before = bounds
        servers = [s for s in self.world.servers if s.exists(now)]
        if call.token.is_admin and "deleted" in query:
            wanted = query["deleted"].strip().lower() in _TRUE
            servers = [s for s in servers if s.deleted(now) == wanted]
        elif since is None and before is None:
            servers = [s for s in servers if not s.deleted(now)]
        if since is not None or before is not None:
            servers = [s for s in servers if _within(self.world.updated(s, now), since, before)]
        servers = _name_filter(servers, query.get("name"))
        if "status" in query:
            wanted_status = query["status"].upper()
            servers = [s for s in servers if self.state(s, now).status == wanted_status]
        return sorted(servers, key=_sort_key, reverse=True)

    def _after_marker(
        self, servers: list[ServerPlan], marker: str | None, now_us: int
    ) -> list[ServerPlan] | str:
        """The servers sorting after ``marker`` (any server of the project), or Nova's 400."""
        if marker is None:
            return servers
        row = self.world.server(marker)
        if row is None or not row.exists(now_us):
            return f"marker [{marker}] not found"
        key = _sort_key(row)
        return [s for s in servers if _sort_key(s) < key]

    def _next(self, call: Call, last: ServerPlan, detail: bool) -> str:
        """Nova's ``next`` href: sorted query, ``marker`` in place or last."""
        params = dict(sorted(call.request.query.items()))
        params["marker"] = last.id
        project = self.world.identity.project_id
        prefix = f"{self.endpoint}/{project}" if project in call.request.path else self.endpoint
        collection = "servers/detail" if detail else "servers"
        return f"{prefix}/{collection}?{urlencode(params)}"

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


def _limit(query: dict[str, str]) -> int | str:
    """``limit`` capped at ``max_limit`` (default: ``max_limit``), or the schema's 400 text."""
    text = query.get("limit")
    if text is None:
        return MAX_LIMIT
    if not text or not text.isdigit() or not text.isascii():
        return _invalid("limit", text, f"'{text}' does not match '^[0-9]*$'")
    return min(int(text), MAX_LIMIT)


def _change_bounds(query: dict[str, str], version: Version) -> tuple[int | None, int | None] | str:
    """``changes-since`` and ``changes-before`` (2.66+) in microseconds, or why not."""
    keys = ["changes-since"] + (["changes-before"] if version >= (2, 66) else [])
    bounds: dict[str, int | None] = {}
    for key in keys:
        if key not in query:
            continue
        bounds[key] = parse_time(query[key])
        if bounds[key] is None:
            return _invalid(key, query[key], f"'{query[key]}' is not a 'date-time'")
    since, before = bounds.get("changes-since"), bounds.get("changes-before")
    if since is not None and before is not None and before < since:
        return "The value of changes-since must be less than or equal to changes-before."
    return since, before


def _within(updated: int, since: int | None, before: int | None) -> bool:
    return (since is None or updated >= since) and (before is None or updated <= before)


def _sort_key(server: ServerPlan) -> tuple[int, str]:
    """Nova's default sort: ``created_at``, then ``id`` (both descending)."""
    return server.created_us, server.id


def _name_filter(servers: list[ServerPlan], pattern: str | None) -> list[ServerPlan]:
    """Nova treats ``name`` as a regular expression searched in the name."""
    if not pattern:
        return servers
    try:
        compiled = re.compile(pattern)
    except re.error:
        compiled = re.compile(re.escape(pattern))
    return [s for s in servers if compiled.search(s.name)]


def _invalid(key: str, value: str, why: str) -> str:
    """The query schema's 400 text (``nova/api/validation/validators.py``)."""
    return f"Invalid input for query parameters {key}. Value: {value}. {why}"


def reply(status: int, text: str) -> SimResponse:
    """A Nova fault response."""
    return SimResponse(fault(status, text), status=status)
