"""Simulated Seeweb ECS v2 actions API (``/ecs/v2/actions``).

The world is a pure function of (seed, clock reading). At construction a plan
of past actions is drawn from ``random.Random(f"{seed}:seeweb")`` around the
clock's reading at that moment (``FROZEN_EPOCH`` under the test clock): the
oldest span weeks, the newest few are still running. Beyond that reading an
endless stream of further actions arrives every 20-60 s, each drawn from its
own seeded generator, so the demo stays alive however long it runs. Every
answer derives each action's state from the clock reading of that request.

Wire quirks of the real API are reproduced: newest-first offset paging
(``start``/``length``, resource filter applied first), ``total_actions``,
``started_at`` a few hundred microseconds *before* ``created_at``, ISO 8601
timestamps with microseconds and ``+00:00``, ``completed_at: null`` while
running, and ``progress`` 0 or 100 (a few long actions report steps).

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import hmac
import random
from bisect import bisect_left, bisect_right
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any, NamedTuple

from tui.sim.clock import Clock
from tui.sim.http import Route, SimRequest, SimResponse

DEFAULT_ACTIONS = 754
"""How many actions exist at start-up unless told otherwise (the documented example's total)."""

DEFAULT_LENGTH = 50
"""Page length when ``length`` is absent ("the last 50 actions")."""

ARRIVAL_SLOT_US = 40_000_000
"""Mean spacing of the actions that arrive after start-up (µs)."""

ARRIVAL_JITTER_US = 10_000_000
"""Each arrival lands within ± this of its slot, so arrivals are 20-60 s apart."""

FRESH_ACTIONS = 3
"""How many of the newest start-up actions are guaranteed to be still running."""

_SECOND = 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _Kind(NamedTuple):
    """How actions of one ``type`` look and behave."""

    resource_type: str
    weight: int
    shortest: int
    """Seconds."""
    longest: int
    """Seconds."""
    may_step: bool
    """Whether it may report intermediate progress."""


_KINDS = {
    "console": _Kind("ECS", 36, 20, 45, False),
    "create_server": _Kind("ECS", 12, 60, 180, True),
    "delete_server": _Kind("ECS", 11, 20, 90, False),
    "power_on": _Kind("ECS", 9, 20, 60, False),
    "power_off": _Kind("ECS", 8, 20, 60, False),
    "create_snapshot": _Kind("SNP", 8, 30, 150, True),
    "create_template": _Kind("ECI", 6, 60, 180, True),
    "delete_template": _Kind("ECI", 5, 20, 60, False),
    "rollback": _Kind("ECS", 5, 60, 180, True),
}
_KIND_NAMES = tuple(_KINDS)
_KIND_WEIGHTS = tuple(accumulate(kind.weight for kind in _KINDS.values()))
_USERS = ("foo", "mrossi", "lbianchi", "ops-bot", "gverdi")
_USER_WEIGHTS = tuple(accumulate((5, 3, 2, 4, 1)))
_FAILURE_RATE = 0.05
_STEPPED_RATE = 0.3
_FAILED_REACH = 60
"""How far (percent) a stepped action gets before it fails."""


class _Planned(NamedTuple):
    """One action of the plan; times in Unix microseconds."""

    created: int
    duration: int
    skew: int
    """How much earlier than ``created`` the action reports ``started_at``."""
    kind: str
    resource: str
    resource_type: str
    user: str
    fails: bool
    stepped: bool


class _Pools(NamedTuple):
    """The few resources that see many actions, per resource type."""

    ecs: tuple[str, ...]
    eci: tuple[str, ...]
    snp: tuple[str, ...]


def _between(rng: random.Random, low: int, high: int) -> int:
    """A uniform integer in ``[low, high]`` (cheaper than ``randint`` for big plans)."""
    return low + int(rng.random() * (high - low + 1))


def _pick(rng: random.Random, names: tuple[str, ...], cumulative: tuple[int, ...]) -> str:
    """A weighted choice given cumulative weights (cheaper than ``choices``)."""
    return names[bisect_right(cumulative, rng.random() * cumulative[-1])]


def _draw_pools(rng: random.Random) -> _Pools:
    """Pick the handful of busy resources (``ec200285`` is the documented one)."""
    ecs = ("ec200285", *(f"ec{rng.randint(200000, 209999)}" for _ in range(5)))
    eci = tuple(f"ei{rng.randint(200100, 200199)}" for _ in range(3))
    snp = tuple(str(rng.randint(1, 400)) for _ in range(3))
    return _Pools(ecs, eci, snp)


def _draw_resource(rng: random.Random, resource_type: str, pools: _Pools) -> str:
    """A resource name of the right shape, often one of the busy ones."""
    if resource_type == "ECI":
        busy, low, high, prefix = pools.eci, 200100, 200999, "ei"
    elif resource_type == "SNP":
        busy, low, high, prefix = pools.snp, 1, 4000, ""
    else:
        busy, low, high, prefix = pools.ecs, 200000, 209999, "ec"
    if rng.random() < 0.45:
        return busy[int(rng.random() * len(busy))]
    return f"{prefix}{_between(rng, low, high)}"


def _draw_action(rng: random.Random, created: int, pools: _Pools) -> _Planned:
    """Draw everything about one action except when it was created."""
    name = _pick(rng, _KIND_NAMES, _KIND_WEIGHTS)
    kind = _KINDS[name]
    return _Planned(
        created=created,
        duration=_between(rng, kind.shortest * _SECOND, kind.longest * _SECOND),
        skew=_between(rng, 150, 700),
        kind=name,
        resource=_draw_resource(rng, kind.resource_type, pools),
        resource_type=kind.resource_type,
        user=_pick(rng, _USERS, _USER_WEIGHTS),
        fails=rng.random() < _FAILURE_RATE,
        stepped=kind.may_step and rng.random() < _STEPPED_RATE,
    )


def _past_offsets(rng: random.Random, count: int) -> list[int]:
    """Creation times (µs before start-up, negative), oldest first.

    The newest few are seconds old, the next ones 20-60 s apart, older ones
    about half an hour apart on average.
    """
    offsets: list[int] = []
    when = 0
    for age_rank in range(count):
        if age_rank < FRESH_ACTIONS:
            gap = rng.uniform(3, 25)
        elif age_rank < 40:
            gap = rng.uniform(20, 60)
        else:
            gap = 20 + rng.expovariate(1 / 1800)
        when -= int(gap * _SECOND)
        offsets.append(when)
    offsets.reverse()
    return offsets


def _keep_running(planned: _Planned, anchor: int, rng: random.Random) -> _Planned:
    """Stretch a fresh action so that it is still running at start-up."""
    age = anchor - planned.created
    minimum = age + int(rng.uniform(20, 90) * _SECOND)
    return planned._replace(duration=max(planned.duration, minimum))


def _iso(micros: int) -> str:
    """ISO 8601 with microseconds and ``+00:00``, as the real API writes."""
    return (_EPOCH + timedelta(microseconds=micros)).isoformat(timespec="microseconds")


def _progress(planned: _Planned, now: int) -> int:
    """Percent done at ``now``: 0 or 100 mostly, 5 % steps for stepped actions."""
    reach = _FAILED_REACH if planned.fails else 100
    end = planned.created + planned.duration
    if now >= end:
        return 100 if not planned.fails else (reach if planned.stepped else 0)
    if not planned.stepped:
        return 0
    done = reach * (now - planned.created) // planned.duration
    return int(min(99, 5 * (done // 5)))


def _render(planned: _Planned, action_id: int, now: int) -> dict[str, Any]:
    """The wire form of one action at ``now`` (µs), keys in the real API's order."""
    end = planned.created + planned.duration
    running = now < end
    status = "in-progress" if running else ("failed" if planned.fails else "completed")
    return {
        "id": action_id,
        "status": status,
        "user": planned.user,
        "created_at": _iso(planned.created),
        "started_at": _iso(planned.created - planned.skew),
        "completed_at": None if running else _iso(end),
        "resource": planned.resource,
        "resource_type": planned.resource_type,
        "type": planned.kind,
        "progress": _progress(planned, now),
    }


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
    """The simulated Seeweb world and its routes."""

    token = "sim-seeweb-token"

    def __init__(self, *, seed: int, clock: Clock, actions: int | None) -> None:
        self.seed = seed
        self.clock = clock
        self.actions = DEFAULT_ACTIONS if actions is None else max(0, actions)
        self._anchor = self._now()
        rng = random.Random(f"{seed}:seeweb")
        self._first_id = 1000 + rng.randint(0, 999)
        self._pools = _draw_pools(rng)
        self._past = self._plan_past(rng)
        self._created = [planned.created for planned in self._past]
        self._by_resource: dict[str, list[int]] = {}
        for index, planned in enumerate(self._past):
            self._by_resource.setdefault(planned.resource, []).append(index)
        self._future: dict[int, _Planned] = {}

    def routes(self) -> list[Route]:
        """HTTP routes under ``/ecs/v2``."""
        return [
            Route("GET", r"/ecs/v2/actions", self._list),
            Route("GET", r"/ecs/v2/actions/(?P<action_id>[^/]+)", self._show),
        ]

    # -- the plan --------------------------------------------------------

    def _now(self) -> int:
        """The clock reading in Unix microseconds."""
        return round(self.clock.now() * _SECOND)

    def _plan_past(self, rng: random.Random) -> list[_Planned]:
        """Every action that exists at start-up, oldest first."""
        offsets = _past_offsets(rng, self.actions)
        past = [_draw_action(rng, self._anchor + offset, self._pools) for offset in offsets]
        for index in range(max(0, len(past) - FRESH_ACTIONS), len(past)):
            past[index] = _keep_running(past[index], self._anchor, rng)
        return past

    def _arrival(self, number: int) -> _Planned:
        """The ``number``-th action arriving after start-up (0-based), cached."""
        planned = self._future.get(number)
        if planned is None:
            rng = random.Random(f"{self.seed}:seeweb:{self.actions + number}")
            jitter = rng.randint(-ARRIVAL_JITTER_US, ARRIVAL_JITTER_US)
            created = self._anchor + (number + 1) * ARRIVAL_SLOT_US + jitter
            planned = self._future.setdefault(number, _draw_action(rng, created, self._pools))
        return planned

    def _arrived(self, now: int) -> int:
        """How many post-start-up actions exist at ``now``."""
        if now - self._anchor < ARRIVAL_SLOT_US - ARRIVAL_JITTER_US:
            return 0
        count = (now - self._anchor) // ARRIVAL_SLOT_US
        while count > 0 and self._arrival(count - 1).created > now:
            count -= 1
        while self._arrival(count).created <= now:
            count += 1
        return count

    def _planned(self, index: int) -> _Planned:
        """The action at global creation index ``index``."""
        if index < self.actions:
            return self._past[index]
        return self._arrival(index - self.actions)

    def _existing(self, now: int) -> tuple[int, int]:
        """(past actions created by ``now``, arrivals by ``now``)."""
        return bisect_right(self._created, now), self._arrived(now)

    def _matching(self, resource: str, now: int) -> list[int]:
        """Global indices of the actions on ``resource`` existing at ``now``, newest first."""
        past_count, arrived = self._existing(now)
        indices = self._by_resource.get(resource, [])
        past = indices[: bisect_left(indices, past_count)]
        future = [
            self.actions + number
            for number in range(arrived)
            if self._arrival(number).resource == resource
        ]
        return future[::-1] + past[::-1]

    def _window(
        self, now: int, start: int, length: int, resource: str | None
    ) -> tuple[list[int], int]:
        """Global indices of one newest-first page, and how many actions match."""
        if resource:
            matching = self._matching(resource, now)
            return matching[start : start + length], len(matching)
        past_count, arrived = self._existing(now)
        top = self.actions + arrived - 1 if arrived else past_count - 1
        first = top - start
        return list(range(first, max(first - length, -1), -1)), past_count + arrived

    # -- handlers ----------------------------------------------------------

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
        indices, total = self._window(now, start, length, resource)
        actions = [_render(self._planned(i), self._first_id + i, now) for i in indices]
        return SimResponse({"status": "ok", "actions": actions, "total_actions": total})

    def _show(self, request: SimRequest) -> SimResponse:
        """``GET /ecs/v2/actions/{id}``."""
        if not self._authorized(request):
            return _error(401, "Unauthorized: missing or invalid API token")
        now = self._now()
        index = self._index_of(request.params.get("action_id", ""), now)
        if index is None:
            return _error(404, "Action not found")
        action = _render(self._planned(index), self._first_id + index, now)
        return SimResponse({"status": "ok", "action": action})

    def _index_of(self, text: str, now: int) -> int | None:
        """The global index of an action id that exists at ``now``."""
        if not (text.isascii() and text.isdigit()):
            return None
        index = int(text) - self._first_id
        if index < 0:
            return None
        if index < self.actions:
            return index if self._past[index].created <= now else None
        number = index - self.actions
        earliest = self._anchor + (number + 1) * ARRIVAL_SLOT_US - ARRIVAL_JITTER_US
        if earliest > now or self._arrival(number).created > now:
            return None
        return index
