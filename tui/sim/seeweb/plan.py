"""The plan of the simulated Seeweb ECS account: what each action is and when it runs.

An action of the plan (:class:`ActionPlan`) fixes, when it is drawn, its
kind, resource, user, creation time, duration and fate; what it shows at a
given instant is derived from it by :mod:`tui.sim.seeweb.render`. The draws
come from the ``random.Random`` the caller passes, so the same seed always
gives the same plan: the start-up history (:func:`past_offsets`, the newest
few kept running by :func:`keep_running`) and every later arrival
(:func:`draw_action`). Nothing here reads a clock, keeps state or does I/O.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import accumulate
from typing import NamedTuple

ARRIVAL_SLOT_US = 40_000_000
"""Mean spacing of the actions that arrive after start-up (µs)."""

ARRIVAL_JITTER_US = 10_000_000
"""Each arrival lands within ± this of its slot, so arrivals are 20-60 s apart."""

FRESH_ACTIONS = 3
"""How many of the newest start-up actions are guaranteed to be still running."""

SECOND = 1_000_000
"""One second in microseconds, the unit of every time in the plan."""


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
FAILED_REACH = 60
"""How far (percent) a stepped action gets before it fails."""


class ActionPlan(NamedTuple):
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


class Pools(NamedTuple):
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


def draw_pools(rng: random.Random) -> Pools:
    """Pick the handful of busy resources (``ec200285`` is the documented one)."""
    ecs = ("ec200285", *(f"ec{rng.randint(200000, 209999)}" for _ in range(5)))
    eci = tuple(f"ei{rng.randint(200100, 200199)}" for _ in range(3))
    snp = tuple(str(rng.randint(1, 400)) for _ in range(3))
    return Pools(ecs, eci, snp)


def _draw_resource(rng: random.Random, resource_type: str, pools: Pools) -> str:
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


def draw_action(rng: random.Random, created: int, pools: Pools) -> ActionPlan:
    """Draw everything about one action except when it was created."""
    name = _pick(rng, _KIND_NAMES, _KIND_WEIGHTS)
    kind = _KINDS[name]
    return ActionPlan(
        created=created,
        duration=_between(rng, kind.shortest * SECOND, kind.longest * SECOND),
        skew=_between(rng, 150, 700),
        kind=name,
        resource=_draw_resource(rng, kind.resource_type, pools),
        resource_type=kind.resource_type,
        user=_pick(rng, _USERS, _USER_WEIGHTS),
        fails=rng.random() < _FAILURE_RATE,
        stepped=kind.may_step and rng.random() < _STEPPED_RATE,
    )


def past_offsets(rng: random.Random, count: int) -> list[int]:
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
        when -= int(gap * SECOND)
        offsets.append(when)
    offsets.reverse()
    return offsets


def keep_running(planned: ActionPlan, anchor: int, rng: random.Random) -> ActionPlan:
    """Stretch a fresh action so that it is still running at start-up."""
    age = anchor - planned.created
    minimum = age + int(rng.uniform(20, 90) * SECOND)
    return planned._replace(duration=max(planned.duration, minimum))
