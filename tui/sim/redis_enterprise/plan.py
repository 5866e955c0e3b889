"""The plan of the simulated Redis Enterprise cluster: which actions exist, and when.

A plan is data only: each action's uid, name, object, timeline (queued,
running, every state-machine state and every per-shard operation) and
outcome, fixed when the world is built. What the API shows at a given instant
is derived from it by :mod:`tui.sim.redis_enterprise.render`. Nothing here reads a clock
or does I/O: the same seed and start time always give the same plan.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

RETENTION = 3600.0
"""Seconds a finished action stays known before the cluster forgets it."""

MAX_RANDOM_LIFE = 900.0
"""Every generated (non-scripted) action ends within this many seconds of its creation."""

HISTORY = 3000.0
"""Generated actions of the initial world were created within this many seconds."""

BDB_COUNT = 12
"""Databases ``bdb:1`` … ``bdb:12`` exist on the cluster."""

NODE_COUNT = 3
"""Nodes ``1`` … ``3`` form the cluster."""


@dataclass(frozen=True)
class OpPlan:
    """One per-shard operation of a state machine."""

    shard: str
    op_name: str
    description: str
    start: float
    run: float
    """Seconds of actual work (stalls come on top)."""
    stall_at: float | None = None
    """When the operation stops making progress (its heartbeat goes stale)."""
    stall_for: float = 0.0
    snapshot: dict[str, Any] = field(default_factory=dict)

    @property
    def end(self) -> float:
        """When the operation finishes."""
        return self.start + self.run + self.stall_for


@dataclass(frozen=True)
class StepPlan:
    """One state of a state machine, with the shard operations it runs."""

    state: str
    start: float
    end: float
    ops: tuple[OpPlan, ...] = ()


@dataclass(frozen=True)
class ActionPlan:
    """One action's whole life."""

    uid: str
    kind: str
    """``task`` or ``state-machine``."""
    name: str
    created: float
    started: float
    """End of the pending/queued wait."""
    ended: float
    outcome: str
    """``completed``, ``failed`` or ``cancelled``."""
    node_uid: str
    object_name: str | None = None
    steps: tuple[StepPlan, ...] = ()
    error_code: str | None = None
    error: str | None = None
    in_v1: bool = True
    """False for import/export/backup, which only ``/v2/actions`` reports."""
    omit_progress: bool = False
    """Leave ``progress`` out of the v1 object, as real state machines sometimes do."""
    description: str = ""

    @property
    def forget_at(self) -> float:
        """When the cluster stops knowing this action."""
        return self.ended + RETENTION

    def visible(self, now: float) -> bool:
        """True when the API reports this action at ``now``."""
        return self.created <= now < self.forget_at


@dataclass(frozen=True)
class OpSpec:
    """A shard operation relative to the start of its step."""

    shard: str
    run: float
    offset: float = 0.0
    stall_after: float | None = None
    stall_for: float = 0.0


Stage = tuple[str, "float | Sequence[OpSpec]"]
"""A state name and either its duration or the shard operations it waits for."""

_OPS: dict[str, tuple[str, str]] = {
    "SMUpgradeBDB": ("upgrade_redis", "Upgrading Redis 7.2.4 to 7.4.2"),
    "SMMigrateShards": ("migrate_shard", "Migrating shard data to the target node"),
    "SMUpdateBDB": ("rehash", "Rehashing keys into the new shard layout"),
    "SMCreateBDB": ("sync", "Syncing replica with its master"),
}

_ERRORS: dict[str, str] = {
    "SMUpgradeBDB": "Failed to upgrade shard: redis-server did not restart in time",
    "SMMigrateShards": "Failed to migrate shard: target node out of memory",
    "SMUpdateBDB": "Failed to rehash shard: timeout waiting for replica sync",
    "SMCreateBDB": "Failed to create shards: not enough memory on any node",
    "SMDeleteBDB": "Failed to delete shards: node 2 is not responding",
}

_DESCRIPTIONS: dict[str, str] = {
    "SMCreateBDB": "Creating database {obj}",
    "SMUpdateBDB": "Updating the configuration of {obj}",
    "SMUpgradeBDB": "Upgrading {obj} to Redis 7.4.2",
    "SMMigrateShards": "Migrating the shards of {obj}",
    "SMDeleteBDB": "Deleting database {obj}",
    "retry_bdb": "Retrying the last failed operation on {obj}",
    "update_bdb": "Applying a new configuration to {obj}",
    "optimize_shards_placement": "Computing an optimal shard placement",
    "rebalance": "Rebalancing shards across the nodes",
    "maintenance_on": "Moving shards off {obj} for maintenance",
    "maintenance_off": "Bringing {obj} back from maintenance",
    "backup": "Backing up {obj}",
    "export": "Exporting {obj}",
    "import": "Importing data into {obj}",
}

_STORAGE_ERROR = ("internal_error", "{title} failed: the storage location is not reachable")
_TASK_ERRORS = (
    ("insufficient_resources", "Not enough memory on node {node} for the requested placement"),
    ("internal_error", "Internal error while running {name}; see the cluster log"),
)


def new_uid(rng: random.Random) -> str:
    """A random-looking but seeded UUID4 string."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def machine(
    rng: random.Random,
    name: str,
    obj: str,
    *,
    created: float,
    queued: float,
    stages: Sequence[Stage],
    fail_after: float | None = None,
    omit_progress: bool = False,
) -> ActionPlan:
    """Build a state machine from its stages; ``fail_after`` seconds of running fail it."""
    started = created + queued
    steps = _steps(name, obj, started, stages, rng)
    ended = steps[-1].end if fail_after is None else started + fail_after
    return ActionPlan(
        uid=new_uid(rng),
        kind="state-machine",
        name=name,
        created=created,
        started=started,
        ended=ended,
        outcome="completed" if fail_after is None else "failed",
        node_uid=str(rng.randint(1, NODE_COUNT)),
        object_name=obj,
        steps=steps,
        error=None if fail_after is None else _ERRORS[name],
        omit_progress=omit_progress,
        description=describe(name, obj),
    )


def _steps(
    name: str, obj: str, start: float, stages: Sequence[Stage], rng: random.Random
) -> tuple[StepPlan, ...]:
    steps: list[StepPlan] = []
    for state, spec in stages:
        if isinstance(spec, int | float):
            steps.append(StepPlan(state, start, start + float(spec)))
        else:
            ops = tuple(_op(name, obj, start, op, rng) for op in spec)
            steps.append(StepPlan(state, start, max(op.end for op in ops) + 1.0, ops))
        start = steps[-1].end
    return tuple(steps)


def _op(name: str, obj: str, step_start: float, spec: OpSpec, rng: random.Random) -> OpPlan:
    op_name, description = _OPS.get(name, ("operation", "Running shard operation"))
    start = step_start + spec.offset
    stall_at = None if spec.stall_after is None else start + spec.stall_after
    return OpPlan(
        shard=spec.shard,
        op_name=op_name,
        description=description,
        start=start,
        run=spec.run,
        stall_at=stall_at,
        stall_for=spec.stall_for,
        snapshot=_snapshot(op_name, obj, rng),
    )


def _snapshot(op_name: str, obj: str, rng: random.Random) -> dict[str, Any]:
    if op_name == "upgrade_redis":
        return {"from_version": "7.2.4", "to_version": "7.4.2", "role": rng.choice(_ROLES)}
    if op_name == "migrate_shard":
        source, target = rng.sample(range(1, NODE_COUNT + 1), 2)
        keys = rng.randint(10_000, 2_000_000)
        return {"source_node": str(source), "target_node": str(target), "keys_total": keys}
    if op_name == "rehash":
        return {"bdb": obj, "keys_total": rng.randint(10_000, 500_000)}
    return {"role": "replica", "bytes_total": rng.randint(1, 64) * 1024 * 1024}


_ROLES = ("master", "replica")


def task(
    rng: random.Random,
    name: str,
    obj: str | None,
    *,
    created: float,
    queued: float,
    run: float,
    outcome: str = "completed",
    in_v1: bool = True,
) -> ActionPlan:
    """Build a task (``retry_bdb``, ``backup``…) that runs ``run`` seconds after its queue."""
    node = str(rng.randint(1, NODE_COUNT))
    error_code, error = None, None
    if outcome == "failed":
        storage = name in ("backup", "export", "import")
        error_code, template = _STORAGE_ERROR if storage else rng.choice(_TASK_ERRORS)
        error = template.format(node=node, name=name, title=name.capitalize())
    return ActionPlan(
        uid=new_uid(rng),
        kind="task",
        name=name,
        created=created,
        started=created + queued,
        ended=created + queued + run,
        outcome=outcome,
        node_uid=node,
        object_name=obj,
        error_code=error_code,
        error=error,
        in_v1=in_v1,
        description=describe(name, obj),
    )


def describe(name: str, obj: str | None) -> str:
    """What an action does, in words (the v2 ``additional_info.description``)."""
    template = _DESCRIPTIONS.get(name, "Running {name}")
    return template.format(name=name, obj=obj or "the database")
