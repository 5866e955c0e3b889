"""Which actions the simulated Redis Enterprise cluster runs: a scripted core plus seeded filler.

The scripted actions make the demo worth watching from its first second: a
database upgrade whose six shards progress at different rates (one of them
stalls with a stale heartbeat), a shard migration, state machines pending,
failed and completed, tasks queued, running, failed and cancelled, and the
import/export/backup jobs only ``/v2/actions`` reports. All times are relative
to the clock reading when the world was built. :class:`RedisWorld` says which
of them (and of the actions that keep arriving) the cluster knows at a clock
reading. Nothing here reads a clock or knows about HTTP.
"""

from __future__ import annotations

import math
import random
import threading

from tui.sim.redis_enterprise.plan import (
    BDB_COUNT,
    HISTORY,
    MAX_RANDOM_LIFE,
    NODE_COUNT,
    RETENTION,
    ActionPlan,
    OpSpec,
    Stage,
    machine,
    task,
)

DEFAULT_ACTIONS = 30
"""How many actions the initial world holds unless told otherwise."""

ARRIVAL_EPOCH = 120.0
"""New actions are planned per window of this many seconds after the start."""

_TASKS = (
    ("retry_bdb", "bdb"),
    ("update_bdb", "bdb"),
    ("optimize_shards_placement", "cluster"),
    ("rebalance", "cluster"),
    ("maintenance_on", "node"),
    ("maintenance_off", "node"),
)
_V2_ONLY_TASKS = ("backup", "export", "import")
_MACHINES = ("SMCreateBDB", "SMUpdateBDB", "SMUpgradeBDB", "SMMigrateShards", "SMDeleteBDB")


class RedisWorld:
    """Every action the simulated cluster knows at a clock reading, oldest first.

    The initial actions are planned once; arrivals are planned per
    :data:`ARRIVAL_EPOCH` window when first asked for, and a window is
    dropped once all its actions are forgotten, so memory stays bounded
    however long the clock runs.
    """

    def __init__(self, *, seed: int, start: float, actions: int | None) -> None:
        """Plan the initial actions.

        Args:
            seed: the simulator's seed.
            start: the clock reading the plan is relative to.
            actions: how many initial actions (``None``: :data:`DEFAULT_ACTIONS`).
        """
        self.seed = seed
        self.start = start
        plans = initial_plans(seed, start, actions)
        self._initial = sorted(plans, key=lambda plan: (plan.created, plan.uid))
        self._by_uid = {plan.uid: plan for plan in self._initial}
        self._arrivals: dict[int, list[ActionPlan]] = {}
        self._lock = threading.Lock()

    def plans_at(self, now: float) -> list[ActionPlan]:
        """Every action the cluster knows at ``now``, oldest first."""
        known = [plan for plan in self._initial if plan.visible(now)]
        epochs = self._epochs(now)
        self._prune(epochs.start)
        for epoch in epochs:
            known.extend(plan for plan in self._arrival(epoch) if plan.visible(now))
        return known

    def find(self, uid: str, now: float) -> ActionPlan | None:
        """The action ``uid`` if the cluster knows it at ``now``."""
        plan = self._by_uid.get(uid)
        if plan is None:
            plan = next(
                (p for e in self._epochs(now) for p in self._arrival(e) if p.uid == uid), None
            )
        return plan if plan is not None and plan.visible(now) else None

    def _epochs(self, now: float) -> range:
        """Arrival windows that may hold an action still known at ``now``."""
        elapsed = now - self.start
        if elapsed < 0:
            return range(0)
        oldest = math.floor((elapsed - MAX_RANDOM_LIFE - RETENTION) / ARRIVAL_EPOCH)
        return range(max(0, oldest), math.floor(elapsed / ARRIVAL_EPOCH) + 1)

    def _prune(self, oldest: int) -> None:
        """Drop cached arrival windows whose actions are all forgotten."""
        with self._lock:
            for epoch in [epoch for epoch in self._arrivals if epoch < oldest]:
                del self._arrivals[epoch]

    def _arrival(self, epoch: int) -> list[ActionPlan]:
        with self._lock:
            plans = self._arrivals.get(epoch)
            if plans is None:
                plans = arrival_plans(self.seed, self.start, epoch)
                self._arrivals[epoch] = plans
            return plans


def initial_plans(seed: int, start: float, count: int | None) -> list[ActionPlan]:
    """The actions known at ``start``: the scripted ones first, then seeded filler."""
    rng = random.Random(f"{seed}:redis")
    wanted = DEFAULT_ACTIONS if count is None else max(0, count)
    plans = scripted_plans(rng, start)[:wanted]
    while len(plans) < wanted:
        plans.append(random_plan(rng, start - rng.uniform(0.0, HISTORY)))
    return plans


def arrival_plans(seed: int, start: float, epoch: int) -> list[ActionPlan]:
    """The actions created during window ``epoch`` (0-based) after ``start``."""
    rng = random.Random(f"{seed}:redis:arrivals:{epoch}")
    base = start + epoch * ARRIVAL_EPOCH
    count = 1 + (rng.random() < 0.4)
    return [random_plan(rng, base + rng.uniform(1.0, ARRIVAL_EPOCH)) for _ in range(count)]


def random_plan(rng: random.Random, created: float) -> ActionPlan:
    """One plausible action created at ``created`` (ends within ``MAX_RANDOM_LIFE``)."""
    roll = rng.random()
    if roll < 0.45:
        return _random_machine(rng, created)
    if roll < 0.55:
        name = rng.choice(_V2_ONLY_TASKS)
        return task(
            rng,
            name,
            _bdb(rng),
            created=created,
            queued=rng.uniform(0, 10),
            run=rng.uniform(20, 400),
            outcome=_outcome(rng, cancel=False),
            in_v1=False,
        )
    name, kind = rng.choice(_TASKS)
    return task(
        rng,
        name,
        _object(rng, kind),
        created=created,
        queued=rng.uniform(0, 10),
        run=rng.uniform(3, 180),
        outcome=_outcome(rng, cancel=True),
    )


def _random_machine(rng: random.Random, created: float) -> ActionPlan:
    name = rng.choice(_MACHINES)
    stages = _random_stages(rng, name)
    total = sum(_stage_length(stage) for stage in stages)
    fail_after = rng.uniform(0.2, 0.9) * total if rng.random() < 0.12 else None
    return machine(
        rng,
        name,
        _bdb(rng),
        created=created,
        queued=rng.uniform(0, 20),
        stages=stages,
        fail_after=fail_after,
    )


def _random_stages(rng: random.Random, name: str) -> list[Stage]:
    def pause() -> float:
        return rng.uniform(3, 30)

    ops = _random_ops(rng)
    shapes: dict[str, list[Stage]] = {
        "SMCreateBDB": [
            ("allocate_shards", pause()),
            ("create_shards", ops),
            ("proxy_policy", pause()),
            ("wait_for_persistence", pause()),
        ],
        "SMUpdateBDB": [("validate", pause()), ("proxy_policy", pause()), ("reshard", ops)],
        "SMUpgradeBDB": [("prepare", pause()), ("upgrade_shards", ops), ("proxy_policy", pause())],
        "SMMigrateShards": [("plan", pause()), ("migrate_shards", ops), ("proxy_policy", pause())],
        "SMDeleteBDB": [("stop_proxy", pause()), ("delete_shards", pause()), ("cleanup", pause())],
    }
    return shapes[name]


def _random_ops(rng: random.Random) -> list[OpSpec]:
    shards = rng.sample(range(1, 4 * BDB_COUNT + 1), rng.randint(1, 4))
    return [
        OpSpec(str(shard), run=rng.uniform(20, 400), offset=rng.uniform(0, 60))
        for shard in sorted(shards)
    ]


def _stage_length(stage: Stage) -> float:
    spec = stage[1]
    if isinstance(spec, int | float):
        return float(spec)
    return max(op.offset + op.run + op.stall_for for op in spec)


def _outcome(rng: random.Random, *, cancel: bool) -> str:
    roll = rng.random()
    if roll < 0.12:
        return "failed"
    if cancel and roll < 0.18:
        return "cancelled"
    return "completed"


def _bdb(rng: random.Random) -> str:
    return f"bdb:{rng.randint(1, BDB_COUNT)}"


def _object(rng: random.Random, kind: str) -> str | None:
    if kind == "bdb":
        return _bdb(rng) if rng.random() < 0.7 else None
    if kind == "node":
        return f"node:{rng.randint(1, NODE_COUNT)}"
    return "cluster"


def scripted_plans(rng: random.Random, s: float) -> list[ActionPlan]:
    """The hand-written actions, most telling first (``s`` is the start time)."""
    return [
        _upgrade(rng, s),
        _migration(rng, s),
        *_machines_in_flight(rng, s),
        *_machines_finished(rng, s),
        *_tasks(rng, s),
    ]


def _machines_in_flight(rng: random.Random, s: float) -> list[ActionPlan]:
    """A resharding update in ``proxy_policy``, a database being created, a pending delete."""
    reshard = [OpSpec("5", 120), OpSpec("6", 150, offset=5)]
    syncs = [OpSpec("15", 60), OpSpec("16", 75)]
    return [
        machine(
            rng, "SMUpdateBDB", "bdb:2", created=s - 40, queued=2,
            stages=[("validate", 13), ("proxy_policy", 60), ("reshard", reshard)],
        ),
        machine(
            rng, "SMCreateBDB", "bdb:8", created=s - 25, queued=3,
            stages=[("allocate_shards", 10), ("create_shards", syncs), ("proxy_policy", 10),
                    ("wait_for_persistence", 20)],
        ),
        machine(
            rng, "SMDeleteBDB", "bdb:11", created=s - 10, queued=55,
            stages=[("stop_proxy", 10), ("delete_shards", 30), ("cleanup", 5)],
        ),
    ]  # fmt: skip


def _machines_finished(rng: random.Random, s: float) -> list[ActionPlan]:
    """A failed resharding and a completed creation that reports no ``progress`` (as seen live)."""
    reshard = [OpSpec("17", 200), OpSpec("18", 240, offset=10)]
    syncs = [OpSpec("13", 40), OpSpec("14", 50)]
    return [
        machine(
            rng, "SMUpdateBDB", "bdb:4", created=s - 700, queued=4, fail_after=130,
            stages=[("validate", 10), ("proxy_policy", 20), ("reshard", reshard)],
        ),
        machine(
            rng, "SMCreateBDB", "bdb:7", created=s - 1800, queued=1, omit_progress=True,
            stages=[("allocate_shards", 8), ("create_shards", syncs), ("proxy_policy", 10),
                    ("wait_for_persistence", 12)],
        ),
    ]  # fmt: skip


def _tasks(rng: random.Random, s: float) -> list[ActionPlan]:
    """Tasks done, failed, running, queued and cancelled, and three v2-only jobs."""
    return [
        task(rng, "retry_bdb", None, created=s - 900, queued=0.5, run=4),
        task(rng, "retry_bdb", None, created=s - 880, queued=0.5, run=3),
        task(rng, "update_bdb", "bdb:6", created=s - 420, queued=1, run=30, outcome="failed"),
        task(rng, "optimize_shards_placement", "cluster", created=s - 20, queued=1, run=150),
        task(rng, "rebalance", "cluster", created=s - 5, queued=30, run=90),
        task(rng, "maintenance_on", "node:2", created=s - 300, queued=2, run=40,
             outcome="cancelled"),
        task(rng, "backup", "bdb:3", created=s - 60, queued=2, run=300, in_v1=False),
        task(rng, "export", "bdb:6", created=s - 1200, queued=3, run=90, in_v1=False),
        task(rng, "import", "bdb:9", created=s - 2000, queued=5, run=200, outcome="failed",
             in_v1=False),
    ]  # fmt: skip


def _upgrade(rng: random.Random, s: float) -> ActionPlan:
    """Six shards upgrading at different rates; shard 9 stalls 70 s before the start."""
    ops = [
        OpSpec("7", 170),
        OpSpec("8", 260, offset=2),
        OpSpec("9", 400, offset=1, stall_after=49, stall_for=960),
        OpSpec("10", 330, offset=3),
        OpSpec("11", 520),
        OpSpec("12", 210, offset=4),
    ]
    return machine(
        rng,
        "SMUpgradeBDB",
        "bdb:3",
        created=s - 150,
        queued=2,
        stages=[
            ("prepare", 28),
            ("upgrade_shards", ops),
            ("proxy_policy", 30),
            ("wait_for_persistence", 20),
        ],
    )


def _migration(rng: random.Random, s: float) -> ActionPlan:
    """Four shards moving one after another; shard 15 stalls a minute after the start."""
    ops = [
        OpSpec("3", 80),
        OpSpec("14", 120, offset=20),
        OpSpec("15", 100, offset=40, stall_after=50, stall_for=300),
        OpSpec("21", 90, offset=70),
    ]
    return machine(
        rng,
        "SMMigrateShards",
        "bdb:5",
        created=s - 40,
        queued=1,
        stages=[("plan", 9), ("migrate_shards", ops), ("proxy_policy", 20)],
    )
