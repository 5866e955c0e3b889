"""Simulated Redis Enterprise Software REST API: ``/v1/actions``, ``/v2/actions`` and friends.

The world is a pure function of the seed, the clock reading when the API was
built and the clock reading now: scripted and seeded actions
(:class:`~tui.sim.redis_enterprise.world.RedisWorld`) progress, fail, and are
forgotten an hour after they end, exactly as a real cluster stops knowing
finished actions; new ones keep arriving as the clock moves. Answers go out
with the real wire quirks (:mod:`tui.sim.redis_enterprise.render`). HTTP Basic
auth guards every route.

This module only serves the API; it imports nothing from the UI or the backends.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import threading
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from tui.sim.clock import Clock
from tui.sim.http import Handler, Route, SimRequest, SimResponse
from tui.sim.redis_enterprise.plan import BDB_COUNT
from tui.sim.redis_enterprise.render import v1_object, v2_object
from tui.sim.redis_enterprise.world import RedisWorld

ACTION_NOT_FOUND = {"error_code": "action_not_found", "message": "Action does not exist"}
BDB_NOT_FOUND = {"error_code": "bdb_not_found", "message": "bdb not found"}

_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "insufficient_permissions",
    404: "not_found",
    405: "method_not_allowed",
    429: "too_many_requests",
    500: "internal_error",
    503: "node_not_responding",
}


class RedisEnterpriseApi:
    """The simulated Redis Enterprise cluster and its routes."""

    username = "admin@example.com"
    password = "sim-redis-password"

    def __init__(self, *, seed: int, clock: Clock, actions: int | None) -> None:
        self.seed = seed
        self.clock = clock
        self.start = clock.now()
        """The clock reading the plan is relative to."""
        self.world = RedisWorld(seed=seed, start=self.start, actions=actions)
        self._answers: dict[str, tuple[float, bytes]] = {}
        self._lock = threading.Lock()

    def v1_actions(self, now: float) -> dict[str, list[dict[str, Any]]]:
        """The ``GET /v1/actions`` body at ``now``."""
        body: dict[str, list[dict[str, Any]]] = {"actions": [], "state-machines": []}
        for plan in self.world.plans_at(now):
            if plan.in_v1:
                key = "actions" if plan.kind == "task" else "state-machines"
                body[key].append(v1_object(plan, now))
        return body

    def v2_actions(self, now: float) -> list[dict[str, Any]]:
        """The ``GET /v2/actions`` body at ``now`` (includes import, export and backup)."""
        return [v2_object(plan, now) for plan in self.world.plans_at(now)]

    def bdb_actions(self, bdb_uid: str, now: float) -> list[dict[str, Any]]:
        """The ``GET /v1/actions/bdb/{uid}`` body: the state machines of one database."""
        name = f"bdb:{bdb_uid}"
        return [
            v1_object(plan, now)
            for plan in self.world.plans_at(now)
            if plan.kind == "state-machine" and plan.object_name == name
        ]

    def routes(self) -> list[Route]:
        """HTTP routes under ``/v1`` and ``/v2``."""
        return [
            Route("GET", r"/v1/actions", self._guard(self._list_v1)),
            Route("GET", r"/v1/actions/bdb/(?P<bdb>[^/]+)", self._guard(self._list_bdb)),
            Route("GET", r"/v1/actions/(?P<uid>[^/]+)", self._guard(self._show_v1)),
            Route("GET", r"/v2/actions", self._guard(self._list_v2)),
            Route("GET", r"/v2/actions/(?P<uid>[^/]+)", self._guard(self._show_v2)),
        ]

    def error_body(self, status: int) -> Any:
        """Redis-style error body (``error_code`` and ``message``) for faults and unknown paths."""
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        return {"error_code": _ERROR_CODES.get(status, "error"), "message": phrase}

    def _guard(self, handler: Handler) -> Handler:
        """Wrap a handler with HTTP Basic authentication."""

        def guarded(request: SimRequest) -> SimResponse:
            if not self._authenticated(request.headers.get("authorization", "")):
                body = {"error_code": "unauthorized", "message": "Authentication failed"}
                headers = {"WWW-Authenticate": 'Basic realm="Redis Enterprise"'}
                return SimResponse(body, status=401, headers=headers)
            return handler(request)

        return guarded

    def _authenticated(self, header: str) -> bool:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        username, _, password = decoded.partition(":")
        expected = f"{self.username}:{self.password}".encode()
        return hmac.compare_digest(f"{username}:{password}".encode(), expected)

    def _cached(self, view: str, render: Callable[[float], Any]) -> SimResponse:
        """Encode a whole-list answer once per clock reading (large clusters, busy pollers)."""
        now = self.clock.now()
        with self._lock:
            hit = self._answers.get(view)
        if hit is not None and hit[0] == now:
            return SimResponse(raw=hit[1])
        payload = json.dumps(render(now), separators=(",", ":")).encode()
        with self._lock:
            self._answers[view] = (now, payload)
        return SimResponse(raw=payload)

    def _list_v1(self, request: SimRequest) -> SimResponse:
        return self._cached("v1", self.v1_actions)

    def _list_v2(self, request: SimRequest) -> SimResponse:
        return self._cached("v2", self.v2_actions)

    def _list_bdb(self, request: SimRequest) -> SimResponse:
        bdb = request.params["bdb"]
        if not bdb.isdigit() or not 1 <= int(bdb) <= BDB_COUNT:
            return SimResponse(BDB_NOT_FOUND, status=404)
        return SimResponse(self.bdb_actions(str(int(bdb)), self.clock.now()))

    def _show_v1(self, request: SimRequest) -> SimResponse:
        now = self.clock.now()
        plan = self.world.find(request.params["uid"], now)
        if plan is None or not plan.in_v1:
            return SimResponse(ACTION_NOT_FOUND, status=404)
        return SimResponse(v1_object(plan, now))

    def _show_v2(self, request: SimRequest) -> SimResponse:
        now = self.clock.now()
        plan = self.world.find(request.params["uid"], now)
        if plan is None:
            return SimResponse(ACTION_NOT_FOUND, status=404)
        return SimResponse(v2_object(plan, now))
