"""Instance actions of the simulated Nova: ``/servers/{id}/os-instance-actions[/{request_id}]``.

The list honours ``limit``, ``marker`` (a ``request_id``), ``changes-since``
(2.58) and ``changes-before`` (2.66), adds a ``next`` link whenever a page is
full, and rejects unknown query parameters from 2.58 on. Deleted servers'
actions are readable from 2.21. Bodies come from
:mod:`tui.sim.openstack.render`; tokens and microversions are checked by
:mod:`tui.sim.openstack.nova` before a call gets here.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tui.sim.http import SimResponse
from tui.sim.openstack.plan import ActionPlan, updated_at_us
from tui.sim.openstack.render import MAX_LIMIT, Version, action_body, action_detail, parse_time
from tui.sim.openstack.servers import Servers, reply
from tui.sim.openstack.world import OpenStackWorld, ServerPlan

if TYPE_CHECKING:
    from tui.sim.openstack.nova import Call


class InstanceActions:
    """The instance actions of the simulated cloud's servers."""

    def __init__(self, *, world: OpenStackWorld, servers: Servers, endpoint: str) -> None:
        self.world = world
        self.servers = servers
        self.endpoint = endpoint

    def listing(self, call: Call) -> SimResponse:
        """``GET /servers/{id}/os-instance-actions``: paged and filtered from 2.58."""
        server = self.servers.find(call, deleted_ok=call.version >= (2, 21))
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

    def show(self, call: Call) -> SimResponse:
        """``GET /servers/{id}/os-instance-actions/{request_id}``, with its events."""
        server = self.servers.find(call, deleted_ok=call.version >= (2, 21))
        if isinstance(server, SimResponse):
            return server
        if call.version >= (2, 102) and call.request.query:
            return _bad("Additional properties are not allowed.")
        request_id = call.request.params["request_id"]
        plan = self.world.action(server.id, request_id, call.now_us)
        if plan is None:
            return reply(
                404, f"Action for request_id {request_id} on instance {server.id} not found"
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
    bounds = [parse_time(query.get(key)) for key in ("changes-since", "changes-before")]
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


def _invalid(key: str, value: str) -> str:
    return f"Invalid input for query parameters {key}. Value: {value}."


def _bad(text: str) -> SimResponse:
    return reply(400, text)
