"""What the simulated Redis Enterprise API says about a planned action at a given instant.

Pure functions from (:class:`~tui.sim.redis_enterprise.plan.ActionPlan`, time) to the
wire objects of ``/v1/actions`` and ``/v2/actions``, including the real wire
quirks: task ``progress`` and ``creation_time`` as strings, ``node_uid`` as a
string, state machines sometimes without ``progress``, ``pending_ops`` keyed
by shard id strings. No clock, no I/O.
"""

from __future__ import annotations

from typing import Any

from tui.sim.redis_enterprise.plan import ActionPlan, OpPlan, StepPlan

STARTING_FOR = 2.0
"""Seconds a task reports ``starting`` before ``running``."""

CANCELLING_FOR = 3.0
"""Seconds a cancelled task reports ``cancelling`` first."""

UNFINISHED_STRETCH = 1.6
"""A failed or cancelled task stops at 1/1.6 of its work (about 62 %)."""

SAMPLE_EVERY = 5
"""Seconds between two snapshots of a shard operation (``last_sample_time``)."""


def status_at(plan: ActionPlan, now: float) -> str:
    """The wire status: tasks queue/start/run, state machines are pending/active."""
    if now >= plan.ended:
        return plan.outcome
    if plan.kind == "state-machine":
        return "pending" if now < plan.started else "active"
    if now < plan.started:
        return "queued"
    if now < plan.started + STARTING_FOR:
        return "starting"
    if plan.outcome == "cancelled" and now >= plan.ended - CANCELLING_FOR:
        return "cancelling"
    return "running"


def progress_at(plan: ActionPlan, now: float) -> float:
    """Percent done at ``now`` (frozen at the failure or cancellation)."""
    if plan.outcome == "completed" and now >= plan.ended:
        return 100.0
    now = min(now, plan.ended)
    if now <= plan.started:
        return 0.0
    if not plan.steps:
        return round(_fraction(now, plan.started, _task_end(plan)) * 100.0, 1)
    done = 0.0
    for step in plan.steps:
        done += _step_fraction(step, now)
    return round(done / len(plan.steps) * 100.0, 1)


def _task_end(plan: ActionPlan) -> float:
    """When a task would have finished: failed and cancelled ones stop short of it."""
    if plan.outcome == "completed":
        return plan.ended
    return plan.started + (plan.ended - plan.started) * UNFINISHED_STRETCH


def _step_fraction(step: StepPlan, now: float) -> float:
    if now >= step.end:
        return 1.0
    if now < step.start:
        return 0.0
    if step.ops:
        return sum(op_progress(op, now) for op in step.ops) / len(step.ops) / 100.0
    return _fraction(now, step.start, step.end)


def _fraction(now: float, start: float, end: float) -> float:
    if end <= start:
        return 1.0
    return max(0.0, min(1.0, (now - start) / (end - start)))


def current_step(plan: ActionPlan, now: float) -> StepPlan | None:
    """The state the machine is in (the last one once it ended), ``None`` while pending."""
    if not plan.steps or now < plan.started:
        return None
    now = min(now, plan.ended)
    for step in plan.steps:
        if now < step.end:
            return step
    return plan.steps[-1]


def op_progress(op: OpPlan, now: float) -> float:
    """Percent of the operation done at ``now``; flat while it is stalled."""
    if now <= op.start:
        return 0.0
    if now >= op.end:
        return 100.0
    return round(_worked(op, now) / op.run * 100.0, 1)


def _worked(op: OpPlan, now: float) -> float:
    elapsed = now - op.start
    if op.stall_at is None or now <= op.stall_at:
        return elapsed
    return elapsed - min(now - op.stall_at, op.stall_for)


def op_heartbeat(op: OpPlan, now: float) -> int:
    """Last time the operation's progress changed (stays put while it is stalled)."""
    if op.stall_at is not None and op.stall_at <= now < op.stall_at + op.stall_for:
        return int(op.stall_at)
    return int(min(now, op.end))


def pending_ops_at(plan: ActionPlan, now: float) -> dict[str, dict[str, Any]]:
    """The ``pending_ops`` map: unfinished operations of the current state, by shard id."""
    step = current_step(plan, now)
    if step is None or (plan.outcome != "failed" and now >= plan.ended):
        return {}
    failed = plan.outcome == "failed" and now >= plan.ended
    now = min(now, plan.ended)
    ops: dict[str, dict[str, Any]] = {}
    for op in step.ops:
        if now < op.end:
            ops[op.shard] = _render_op(op, now)
    if failed:
        _mark_failed(ops, plan.error or "failed")
    return ops


def _render_op(op: OpPlan, now: float) -> dict[str, Any]:
    if now < op.start:
        return {"op_name": op.op_name, "status_code": "waiting",
                "status_description": "Waiting for a free slot"}  # fmt: skip
    heartbeat = op_heartbeat(op, now)
    sampled = heartbeat - heartbeat % SAMPLE_EVERY
    snapshot = dict(op.snapshot)
    for total_key, done_key in (("keys_total", "keys_done"), ("bytes_total", "bytes_done")):
        if total_key in snapshot:
            snapshot[done_key] = int(snapshot[total_key] * op_progress(op, sampled) / 100.0)
    return {
        "heartbeat": heartbeat,
        "last_sample_time": sampled,
        "op_name": op.op_name,
        "progress": op_progress(op, now),
        "snapshot": snapshot,
        "status_code": "in_progress",
        "status_description": op.description,
    }


def _mark_failed(ops: dict[str, dict[str, Any]], error: str) -> None:
    for op in ops.values():
        if op.get("status_code") == "in_progress":
            op["status_code"] = "error"
            op["status_description"] = error
            return


def v1_object(plan: ActionPlan, now: float) -> dict[str, Any]:
    """The ``/v1/actions`` object: a task or a state machine."""
    if plan.kind == "task":
        return _v1_task(plan, now)
    return _v1_machine(plan, now)


def _v1_task(plan: ActionPlan, now: float) -> dict[str, Any]:
    body: dict[str, Any] = {
        "action_uid": plan.uid,
        "creation_time": str(int(plan.created)),
        "name": plan.name,
        "node_uid": plan.node_uid,
        "progress": str(int(progress_at(plan, now))),
        "status": status_at(plan, now),
        "task_id": plan.uid,
    }
    if plan.object_name is not None:
        body["object_name"] = plan.object_name
    if plan.error is not None and now >= plan.ended:
        body["error_code"] = plan.error_code or "internal_error"
        body["error_message"] = plan.error
    return body


def _v1_machine(plan: ActionPlan, now: float) -> dict[str, Any]:
    status = status_at(plan, now)
    body: dict[str, Any] = {
        "action_uid": plan.uid,
        "heartbeat": int(min(now, plan.ended)),
        "name": plan.name,
        "object_name": plan.object_name,
        "pending_ops": pending_ops_at(plan, now),
        "status": status,
    }
    if not plan.omit_progress:
        progress = progress_at(plan, now)
        body["progress"] = 100 if progress == 100.0 else progress
    step = current_step(plan, now)
    if step is not None:
        body["state"] = step.state
    if plan.error is not None and status == "failed":
        body["error"] = plan.error
    return body


def v2_object(plan: ActionPlan, now: float) -> dict[str, Any]:
    """The ``/v2/actions`` object (one shape for tasks and state machines)."""
    object_type, _, object_uid = (plan.object_name or "").partition(":")
    failed = plan.error is not None and now >= plan.ended
    return {
        "action_uid": plan.uid,
        "action_type": plan.kind,
        "creation_time": int(plan.created),
        "name": plan.name,
        "progress": progress_at(plan, now),
        "status": status_at(plan, now),
        "additional_info": {
            "description": plan.description,
            "error": plan.error if failed else None,
            "object_type": object_type or None,
            "object_uid": object_uid or None,
            "pending_ops": pending_ops_at(plan, now),
        },
    }
