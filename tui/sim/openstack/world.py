"""The simulated OpenStack project: its users, servers and instance actions.

The world is a pure function of (seed, clock reading). At construction a plan
is drawn from ``random.Random(f"{seed}:openstack")`` around the clock's
reading at that moment (the *anchor*): past actions spread over days, a few
actions still running at the anchor (one so young it has no event yet), and
two deleted servers whose actions stay readable. After the anchor a new
action arrives every 30-90 s, each drawn from its own seeded generator.

The project holds the eight named servers of the demo unless told how many
(``servers=N``: the first N of them, then generated names such as
``web-04``, ``api-02``...); with N servers it holds ``max(100, 3 * N)``
actions unless told otherwise, so ``servers=8`` is the default world. Building
costs about 0.1 ms per action (1,000 servers and 3,000 actions: well under
a second). Each server's ``updated`` (:meth:`OpenStackWorld.updated`) moves
whenever one of its actions starts, reports an event or ends, as Nova's
``instances.updated_at`` does when ``task_state``/``vm_state`` change.
Nothing here knows about HTTP: :mod:`tui.sim.openstack.render` renders it and
:mod:`tui.sim.openstack.nova` serves it.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import random
import threading
from bisect import bisect_right, insort
from collections import defaultdict
from dataclasses import dataclass, replace
from hashlib import sha256

from tui.sim.openstack.catalog import WEIGHTS
from tui.sim.openstack.inventory import Equipment, equipment_for
from tui.sim.openstack.plan import US, ActionPlan, Fate, PlanContext, new_uuid, plan_action

DEFAULT_ACTIONS = 100
"""How many actions exist at the anchor unless told otherwise."""
ACTIONS_PER_SERVER = 3
"""With ``servers=N`` and no action count: ``max(DEFAULT_ACTIONS, 3 * N)`` actions."""

LIVE_SERVERS = ("web-01", "web-02", "db-01", "db-02", "cache-01", "api-01", "worker-01", "batch-01")
DELETED_SERVERS = ("web-03", "tmp-build-01")
_EXTRA_ROLES = ("web", "api", "worker", "cache", "db", "batch")
"""Name prefixes of the servers beyond the eight named ones, in turn."""
COMPUTE_HOSTS = ("compute-01", "compute-02", "compute-03", "compute-04")
CONDUCTOR_HOST = "controller-01"

ARRIVAL_START_US = 45 * US
"""The middle of the first arrival slot, this long after the anchor (always after it)."""
ARRIVAL_SLOT_US = 60 * US
"""One action arrives in every slot of this length after the anchor..."""
ARRIVAL_JITTER_US = 30 * US
"""...at a random offset within ± this of the slot's middle (so arrivals are 30-90 s apart)."""

_FATES: tuple[tuple[Fate, float], ...] = (
    ("fail", 0.07),
    ("retry2", 0.03),
    ("retry3", 0.015),
    ("quirk", 0.02),
    ("dup", 0.01),
)
_FORCED: tuple[tuple[str | None, Fate], ...] = (
    (None, "fail"),
    (None, "retry2"),
    (None, "retry3"),
    (None, "quirk"),
    (None, "dup"),
    ("lock", "ok"),
)
"""Features every world of 20+ actions shows at least once (kind ``None``: keep drawn kind)."""


@dataclass(frozen=True)
class Identity:
    """The project and users of the simulated cloud (ids derived from the seed)."""

    project_id: str
    admin_id: str
    viewer_id: str
    operator_id: str
    domain_id: str = "default"


@dataclass(frozen=True)
class ServerPlan:
    """One server of the project."""

    id: str
    name: str
    host: str
    equipment: Equipment
    """Flavor, image, port and volumes (:mod:`tui.sim.openstack.inventory`)."""
    created_us: int
    deleted_us: int | None = None

    def exists(self, now_us: int) -> bool:
        """True once created (deleted servers still exist, as rows with ``deleted``)."""
        return self.created_us <= now_us

    def deleted(self, now_us: int) -> bool:
        """True once the server has been deleted."""
        return self.deleted_us is not None and self.deleted_us <= now_us


def identity_for(seed: int) -> Identity:
    """The Keystone ids of the world drawn from ``seed``."""

    def hex_id(label: str) -> str:
        return sha256(f"{seed}:openstack:{label}".encode()).hexdigest()[:32]

    return Identity(hex_id("project"), hex_id("admin"), hex_id("viewer"), hex_id("operator"))


class OpenStackWorld:
    """Servers and actions at any clock reading; thread-safe."""

    def __init__(
        self, *, seed: int, anchor: float, actions: int | None = None, servers: int | None = None
    ) -> None:
        """Draw the world.

        Args:
            seed: the seed everything is drawn from.
            anchor: the clock reading the history is drawn around (seconds).
            actions: actions at the anchor (default: see the module docstring).
            servers: live servers (default: the eight named ones); at least 1.

        Raises:
            ValueError: ``servers`` below 1.
        """
        if servers is not None and servers < 1:
            raise ValueError(f"a project needs at least one server, not {servers}")
        self.seed = seed
        self.anchor_us = round(anchor * US)
        self.identity = identity_for(seed)
        live_count = len(LIVE_SERVERS) if servers is None else servers
        default = max(DEFAULT_ACTIONS, ACTIONS_PER_SERVER * live_count)
        count = default if actions is None else max(0, actions)
        rng = random.Random(f"{seed}:openstack")
        self._rng = rng
        self.servers: list[ServerPlan] = []
        self._by_id: dict[str, ServerPlan] = {}
        self._live: list[ServerPlan] = []
        self._plans: dict[str, list[ActionPlan]] = {}
        self._starts: dict[str, list[int]] = {}
        self._moments: defaultdict[str, list[int]] = defaultdict(list)
        self._by_request: dict[tuple[str, str], ActionPlan] = {}
        self._arrivals = 0
        self._next_arrival: ActionPlan | None = None
        self._lock = threading.Lock()
        self._build(count, server_names(live_count))

    # -- reading -----------------------------------------------------------

    def server(self, server_id: str) -> ServerPlan | None:
        """The server with this id, if it ever existed."""
        return self._by_id.get(server_id)

    def updated(self, server: ServerPlan, now_us: int) -> int:
        """Nova's ``updated`` of ``server`` at ``now_us`` (microseconds).

        Nova writes ``instances.updated_at`` on every ``instance.save()``, and an
        action saves the instance when it sets ``task_state`` (as it starts),
        at each step (an event) and when it clears it or sets the final
        ``vm_state`` (as it ends, deletion included). So: the newest start,
        event start, event finish or rewrite of the server's actions by
        ``now_us``, else its creation.
        """
        self._arrive_until(now_us)
        with self._lock:
            moments = self._moments.get(server.id, [])
            index = bisect_right(moments, now_us)
            latest = moments[index - 1] if index else None
        return server.created_us if latest is None else max(latest, server.created_us)

    def actions(self, server_id: str, now_us: int) -> list[ActionPlan]:
        """The server's actions started by ``now_us``, newest first (Nova's order)."""
        self._arrive_until(now_us)
        with self._lock:
            plans = self._plans.get(server_id, [])
            visible = plans[: bisect_right(self._starts.get(server_id, []), now_us)]
        return visible[::-1]

    def action(self, server_id: str, request_id: str, now_us: int) -> ActionPlan | None:
        """One action, if it has started by ``now_us``."""
        self._arrive_until(now_us)
        with self._lock:
            plan = self._by_request.get((server_id, request_id))
        return plan if plan is not None and plan.start_us <= now_us else None

    # -- building ----------------------------------------------------------

    def _build(self, count: int, names: list[str]) -> None:
        rng = self._rng
        span_us = max(3 * 86_400, count * 45 * 60) * US
        live = [self._new_server(name, i, i) for i, name in enumerate(names)]
        deleted = [
            self._new_server(name, i, len(names) + i) for i, name in enumerate(DELETED_SERVERS)
        ]
        doomed = deleted if count >= 12 else []
        young = min(4, max(0, count - 3 * len(doomed)))
        history = count - 3 * len(doomed) - young
        starts = sorted(
            self.anchor_us - rng.randrange(15 * 60 * US, span_us) for _ in range(history)
        )
        owners = [rng.choice(live) for _ in starts]
        plans = self._history(live, owners, starts)
        plans += self._young(live, young)
        for server in doomed:
            plans += self._doomed(server, span_us)
        self.servers = live + deleted
        self._settle_servers(plans, span_us)
        self._by_id = {server.id: server for server in self.servers}
        self._live = [server for server in self.servers if server.deleted_us is None]
        for plan in sorted(plans, key=lambda p: p.start_us):
            self._add(plan)

    def _new_server(self, name: str, index: int, slot: int) -> ServerPlan:
        """A server on the ``index``-th host; ``slot`` numbers its port and instance name."""
        host = COMPUTE_HOSTS[index % len(COMPUTE_HOSTS)]
        equipment = equipment_for(self.seed, name, slot)
        return ServerPlan(new_uuid(self._rng), name, host, equipment, 0)

    def _history(
        self, live: list[ServerPlan], owners: list[ServerPlan], starts: list[int]
    ) -> list[ActionPlan]:
        """Past actions: each server's first is its ``create``; a few forced features."""
        rng = self._rng
        first: dict[str, int] = {}
        for owner, start in zip(owners, starts, strict=True):
            first.setdefault(owner.id, start)
        forced = self._forced_slots(owners, starts, first)
        plans = []
        for index, (owner, start) in enumerate(zip(owners, starts, strict=True)):
            kind = "create" if first.get(owner.id) == start else _draw_kind(rng)
            fate = _draw_fate(rng)
            if index in forced:
                forced_kind, fate = forced[index]
                kind = forced_kind or ("reboot" if kind in ("lock", "unlock") else kind)
            plans.append(
                plan_action(rng, self._context(owner, rng), kind=kind, start_us=start, fate=fate)
            )
        return plans

    def _forced_slots(
        self, owners: list[ServerPlan], starts: list[int], first: dict[str, int]
    ) -> dict[int, tuple[str | None, Fate]]:
        """Which history slots get the features every world must show."""
        if len(starts) < 20:
            return {}
        eligible = [
            i for i, (o, s) in enumerate(zip(owners, starts, strict=True)) if first[o.id] != s
        ]
        chosen = self._rng.sample(eligible[len(eligible) // 2 :], len(_FORCED))
        return dict(zip(chosen, _FORCED, strict=True))

    def _young(self, live: list[ServerPlan], count: int) -> list[ActionPlan]:
        """Actions running at the anchor; the first has no event yet."""
        rng = self._rng
        plans = []
        for index, kind in enumerate(("reboot", "live-migration", "resize", "rebuild")[:count]):
            owner = live[(index * 3 + 1) % len(live)]
            ctx = self._context(owner, rng)
            if index == 0:
                plans.append(
                    plan_action(rng, ctx, kind=kind, start_us=self.anchor_us - 2 * US, lead_s=5.0)
                )
                continue
            plan = plan_action(rng, ctx, kind=kind, start_us=0)
            elapsed = round((plan.settled_us - plan.start_us) * rng.uniform(0.3, 0.7))
            plans.append(plan.shifted(self.anchor_us - elapsed))
        return plans

    def _doomed(self, server: ServerPlan, span_us: int) -> list[ActionPlan]:
        """A deleted server's life: created, used once, deleted (all before the anchor)."""
        rng = self._rng
        start = self.anchor_us - rng.randrange(span_us // 2, span_us)
        plans = []
        for kind in ("create", _draw_kind(rng), "delete"):
            plan = plan_action(rng, self._context(server, rng), kind=kind, start_us=start)
            plans.append(plan)
            start = plan.settled_us + rng.randrange(10 * 60 * US, 6 * 3600 * US)
        return plans

    def _settle_servers(self, plans: list[ActionPlan], span_us: int) -> None:
        """Creation time = first action (or before the span); deletion = end of ``delete``."""
        settled = []
        by_server: defaultdict[str, list[ActionPlan]] = defaultdict(list)
        for plan in plans:
            by_server[plan.server_id].append(plan)
        for server in self.servers:
            own = by_server[server.id]
            created = min((p.start_us for p in own), default=self.anchor_us - span_us - 86_400 * US)
            gone = [p.settled_us for p in own if p.action == "delete"]
            settled.append(replace(server, created_us=created, deleted_us=max(gone, default=None)))
        self.servers = settled

    def _context(self, server: ServerPlan, rng: random.Random) -> PlanContext:
        ident = self.identity
        others = [h for h in COMPUTE_HOSTS if h != server.host]
        roll = rng.random()
        user: str | None = ident.admin_id
        project: str | None = ident.project_id
        if roll < 0.03:
            user, project = None, None
        elif roll < 0.25:
            user = ident.operator_id
        return PlanContext(
            server.id, server.host, rng.choice(others), CONDUCTOR_HOST, user, project
        )

    def _add(self, plan: ActionPlan) -> None:
        self._plans.setdefault(plan.server_id, []).append(plan)
        self._starts.setdefault(plan.server_id, []).append(plan.start_us)
        self._by_request[(plan.server_id, plan.request_id)] = plan
        moments = self._moments[plan.server_id]
        insort(moments, plan.start_us)
        for row in plan.events:
            for moment in (row.start_us, row.finish_us, row.rewrite_us):
                if moment is not None:
                    insort(moments, moment)

    # -- arrivals after the anchor -------------------------------------------

    def _arrive_until(self, now_us: int) -> None:
        """Add every action that has arrived by ``now_us`` (each from its own generator)."""
        with self._lock:
            while True:
                plan = self._next_arrival or self._arrival(self._arrivals)
                if plan.start_us > now_us:
                    self._next_arrival = plan
                    return
                self._add(plan)
                self._arrivals += 1
                self._next_arrival = None

    def _arrival(self, index: int) -> ActionPlan:
        rng = random.Random(f"{self.seed}:openstack:arrival:{index}")
        live = self._live
        slot_middle = self.anchor_us + ARRIVAL_START_US + index * ARRIVAL_SLOT_US
        start = slot_middle + rng.randrange(-ARRIVAL_JITTER_US, ARRIVAL_JITTER_US)
        owner = rng.choice(live)
        ctx = self._context(owner, rng)
        return plan_action(rng, ctx, kind=_draw_kind(rng), start_us=start, fate=_draw_fate(rng))


def server_names(count: int) -> list[str]:
    """The names of ``count`` live servers: the eight named ones, then ``web-04``, ``api-02``..."""
    names = list(LIVE_SERVERS[:count])
    taken = set(LIVE_SERVERS) | set(DELETED_SERVERS)
    numbers = dict.fromkeys(_EXTRA_ROLES, 0)
    turn = 0
    while len(names) < count:
        role = _EXTRA_ROLES[turn % len(_EXTRA_ROLES)]
        turn += 1
        numbers[role] += 1
        name = f"{role}-{numbers[role]:02d}"
        while name in taken:
            numbers[role] += 1
            name = f"{role}-{numbers[role]:02d}"
        taken.add(name)
        names.append(name)
    return names


def _draw_kind(rng: random.Random) -> str:
    kinds = list(WEIGHTS)
    return rng.choices(kinds, weights=[WEIGHTS[k] for k in kinds])[0]


def _draw_fate(rng: random.Random) -> Fate:
    roll = rng.random()
    for fate, chance in _FATES:
        if roll < chance:
            return fate
        roll -= chance
    return "ok"
