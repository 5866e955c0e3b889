"""Simulated Seeweb ECS v2 actions API (``/ecs/v2/actions``): the HTTP handlers.

Serves :class:`~tui.sim.seeweb.world.SeewebWorld` as the real API does:
newest-first offset paging (``start``/``length``, resource filter applied
first), ``total_actions``, the ``X-APITOKEN`` header (or a Bearer token),
and Seeweb's error envelope. Every answer derives each action's state from
the clock reading of that request (:mod:`tui.sim.seeweb.render`).

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import hmac

from tui.sim.clock import Clock
from tui.sim.http import Route, SimRequest, SimResponse
from tui.sim.seeweb.plan import SECOND
from tui.sim.seeweb.render import render_action, render_action_json
from tui.sim.seeweb.world import SeewebWorld

DEFAULT_ACTIONS = 754
"""How many actions exist at start-up unless told otherwise (the documented example's total)."""

DEFAULT_LENGTH = 50
"""Page length when ``length`` is absent ("the last 50 actions")."""


def _error(status: int, message: str) -> SimResponse:
    """Seeweb's error envelope."""
    return SimResponse({"error_code": status, "status": "error", "message": message}, status=status)


def _int_param(query: dict[str, str], name: str, default: int) -> int:
    """A non-negative integer query parameter.

    Raises:
        ValueError: when present but not a non-negative integer.
    """
    text = query.get(name, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"parameter '{name}' must be a non-negative integer")
    return int(text)


class SeewebApi:
    """The simulated Seeweb API: its world, its token and its routes."""

    token = "sim-seeweb-token"

    def __init__(self, *, seed: int, clock: Clock, actions: int | None) -> None:
        self.seed = seed
        self.clock = clock
        self.actions = DEFAULT_ACTIONS if actions is None else max(0, actions)
        self.world = SeewebWorld(seed=seed, anchor=self._now(), actions=self.actions)

    def routes(self) -> list[Route]:
        """HTTP routes under ``/ecs/v2``."""
        return [
            Route("GET", r"/ecs/v2/actions", self._list),
            Route("GET", r"/ecs/v2/actions/(?P<action_id>[^/]+)", self._show),
        ]

    def _now(self) -> int:
        """The clock reading in Unix microseconds."""
        return round(self.clock.now() * SECOND)

    def _authorized(self, request: SimRequest) -> bool:
        """True when the request carries the API token (``X-APITOKEN`` or a Bearer)."""
        given = request.headers.get("x-apitoken", "")
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            given = given or bearer[7:].strip()
        return hmac.compare_digest(given.encode(), self.token.encode())

    def _list(self, request: SimRequest) -> SimResponse:
        """``GET /ecs/v2/actions?start=&length=&resource=``."""
        if not self._authorized(request):
            return _error(401, "Unauthorized: missing or invalid API token")
        try:
            start = _int_param(request.query, "start", 0)
            length = _int_param(request.query, "length", DEFAULT_LENGTH)
        except ValueError as exc:
            return _error(400, str(exc))
        now = self._now()
        resource = request.query.get("resource") or None
        world = self.world
        indices, total = world.window(now, start, length, resource)
        first_id, planned = world.first_id, world.planned
        actions = ",".join(render_action_json(planned(i), first_id + i, now) for i in indices)
        body = f'{{"status":"ok","actions":[{actions}],"total_actions":{total}}}'
        return SimResponse(raw=body.encode())

    def _show(self, request: SimRequest) -> SimResponse:
        """``GET /ecs/v2/actions/{id}``."""
        if not self._authorized(request):
            return _error(401, "Unauthorized: missing or invalid API token")
        now = self._now()
        index = self.world.index_of(request.params.get("action_id", ""), now)
        if index is None:
            return _error(404, "Action not found")
        action = render_action(self.world.planned(index), self.world.first_id + index, now)
        return SimResponse({"status": "ok", "action": action})
