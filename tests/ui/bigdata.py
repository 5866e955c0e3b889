"""Huge actions for the responsiveness tests and benchmarks, built directly as model objects.

Each builder is deterministic (no clock, no randomness) so a test can say
exactly which row, attempt or line it expects where.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.model import Action, Event, PendingOp, Status

NOW = datetime(2026, 3, 14, 12, 0, 0, tzinfo=UTC)
MEGABYTE = 1_000_000


def at(seconds: float) -> datetime:
    """``NOW`` shifted by ``seconds``."""
    return NOW + timedelta(seconds=seconds)


def event_traceback(number: int) -> str:
    """A short traceback that names the attempt it belongs to."""
    return (
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3/dist-packages/nova/compute/manager.py", line 5, in prep\n'
        f"nova.exception.ResizeError: event {number} failed"
    )


def many_events_action(count: int, *, names: int = 50) -> Action:
    """A failed Nova action with ``count`` events spread over ``names`` event names.

    Event ``i`` (0-based, oldest first) is named ``step_{i % names:03d}``,
    fails with a traceback naming ``i`` when ``i % 3`` is not 0, and succeeds
    otherwise. Events are given newest first, as Nova sends them.
    """
    events = [
        Event(
            name=f"step_{number % names:03d}",
            result="Success" if number % 3 == 0 else "Error",
            started_at=at(-count * 10 + number * 10),
            finished_at=at(-count * 10 + number * 10 + 5),
            host=f"compute-{number % 7}",
            details=None if number % 3 == 0 else f"attempt {number} failed",
            traceback=None if number % 3 == 0 else event_traceback(number),
        )
        for number in range(count)
    ]
    return Action(
        ref="openstack:srv-big/req-big", backend="openstack",
        backend_type="openstack", id="srv-big/req-big", name="resize",
        status=Status.FAILED, raw_status="Error", resource="web-big", user="alice",
        created_at=at(-count * 10 - 5), events=tuple(reversed(events)),
        raw={"action": "resize", "events": len(events)},
    )  # fmt: skip


def many_shards_action(count: int) -> Action:
    """A running Redis upgrade with shards ``1`` … ``count``; every 100th heartbeat is stale."""
    ops = tuple(
        PendingOp(
            shard=str(shard), op_name="upgrade_redis", status_code="in_progress",
            status_description="Upgrading", progress=shard % 100,
            heartbeat=at(-120 if shard % 100 == 0 else -5), last_sample_time=at(-3),
            snapshot={"a": 1, "b": 2},
        )
        for shard in range(1, count + 1)
    )  # fmt: skip
    return Action(
        ref="redis:uid-big", backend="redis", backend_type="redis-enterprise",
        id="uid-big", name="SMUpgradeBDB", status=Status.RUNNING, raw_status="active",
        state="upgrade_shards", node="2", object_name="bdb:1", created_at=at(-600),
        pending_ops=ops, raw={"action_uid": "uid-big", "pending_ops": len(ops)},
    )  # fmt: skip


def long_traceback(lines: int) -> str:
    """A traceback of exactly ``lines`` lines; frame ``n`` names ``frame_n``."""
    frames = (lines - 2) // 2
    body = [
        f'  File "/usr/lib/python3/dist-packages/nova/f{n}.py", line {n}, in frame_{n}\n'
        f"    return function(self, context, *args, **kwargs)  # frame {n}"
        for n in range(frames)
    ]
    padding = ["    pass"] * (lines - 2 - 2 * frames)
    return "\n".join(
        ["Traceback (most recent call last):", *body, *padding, "nova.exception.Boom: at the end"]
    )


def huge_strings_action(size: int = MEGABYTE) -> Action:
    """A Seeweb action whose resource, user and message are each ``size`` characters long."""
    return Action(
        ref="seeweb:4242", backend="seeweb", backend_type="seeweb", id="4242",
        name="power_on", status=Status.RUNNING, raw_status="running", progress=40,
        resource="r" * size, resource_type="ECS", user="u" * size, message="m" * size,
        created_at=at(-90), started_at=at(-80),
        raw={"id": 4242, "resource": "r" * size, "message": "m" * size},
    )  # fmt: skip
