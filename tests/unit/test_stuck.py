"""The stuck rule: slow against the usual duration, a floor without history, stale heartbeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.model import Action, PendingOp, Status, action_from_json
from tui.stuck import DurationHistory, StuckRule, stuck_after, stuck_reason

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _action(ref: str, status: Status, *, ran: float, **fields: object) -> Action:
    """An action that started ``ran`` seconds before ``NOW`` (and ended at NOW if final)."""
    base: dict[str, object] = {
        "ref": f"prod:{ref}",
        "backend": "prod",
        "backend_type": "seeweb",
        "id": ref,
        "name": "resize",
        "status": status,
        "started_at": NOW - timedelta(seconds=ran),
    }
    if status.is_final:
        base["finished_at"] = NOW
    base.update(fields)
    return action_from_json(base)


def _history(durations: list[float]) -> DurationHistory:
    history = DurationHistory()
    for index, seconds in enumerate(durations):
        history.observe(_action(f"done-{index}", Status.COMPLETED, ran=seconds))
    return history


def test_p95_is_the_nearest_rank_of_completed_durations_only() -> None:
    history = _history([float(n) for n in range(1, 101)])
    history.observe(_action("failed", Status.FAILED, ran=10_000))
    history.observe(_action("done-3", Status.COMPLETED, ran=10_000))  # same ref again
    assert history.samples(("prod", "resize")) == 100
    assert history.p95(("prod", "resize")) == 95.0
    assert history.p95(("prod", "rebuild")) is None


def test_slow_after_factor_times_the_usual_duration() -> None:
    history = _history([60.0] * 10)
    assert stuck_reason(_action("x", Status.RUNNING, ran=179), NOW, history) is None
    slow = stuck_reason(_action("x", Status.RUNNING, ran=181), NOW, history)
    assert slow is not None
    assert slow.label == "slow"
    assert "the usual 1m 00s" in slow.reason
    assert "p95 of 10 completed resize on prod" in slow.reason
    assert stuck_after(_action("x", Status.RUNNING, ran=1), history) == timedelta(seconds=180)


def test_the_floor_applies_until_there_is_enough_history() -> None:
    rule = StuckRule(floor=timedelta(minutes=10), min_samples=5)
    few = _history([1.0] * 4)
    assert stuck_reason(_action("x", Status.RUNNING, ran=599), NOW, few, rule) is None
    slow = stuck_reason(_action("x", Status.RUNNING, ran=601), NOW, few, rule)
    assert slow is not None and "too few completed resize" in slow.reason
    assert stuck_after(_action("x", Status.PENDING, ran=1), few, rule) == timedelta(minutes=10)


def test_ended_actions_are_never_stuck() -> None:
    history = _history([1.0] * 10)
    for status in (Status.COMPLETED, Status.FAILED, Status.CANCELLED):
        assert stuck_reason(_action("x", status, ran=1e6), NOW, history) is None
        assert stuck_after(_action("x", status, ran=1e6), history) is None


def test_a_stale_heartbeat_flags_only_backends_that_report_one() -> None:
    history = DurationHistory()
    fields: dict[str, object] = {
        "backend_type": "redis-enterprise",
        "updated_at": NOW - timedelta(seconds=10),
        "pending_ops": (
            PendingOp(shard="3", heartbeat=NOW - timedelta(seconds=5)),
            PendingOp(shard="10", heartbeat=NOW - timedelta(minutes=7)),
        ),
    }
    stuck = stuck_reason(_action("sm", Status.RUNNING, ran=60, **fields), NOW, history)
    assert stuck is not None
    assert stuck.label == "no heartbeat"
    assert stuck.reason.startswith("Shard 10: no heartbeat for 7m")
    # The same stale stamp on a backend without heartbeats means nothing.
    seeweb = _action("sm", Status.RUNNING, ran=60, updated_at=NOW - timedelta(hours=1))
    assert stuck_reason(seeweb, NOW, history) is None


def test_history_stays_bounded() -> None:
    history = DurationHistory(samples_per_key=3, max_keys=2)
    for index in range(10):
        history.observe(_action(f"c{index}", Status.COMPLETED, ran=index, name="c"))
    history.observe(_action("a0", Status.COMPLETED, ran=1, name="a"))
    history.observe(_action("c10", Status.COMPLETED, ran=10, name="c"))  # c is fed again
    history.observe(_action("b0", Status.COMPLETED, ran=1, name="b"))
    assert history.samples(("prod", "a")) == 0, "the least recently fed key was dropped"
    assert history.samples(("prod", "b")) == 1
    assert history.samples(("prod", "c")) == 3, "a key keeps only its newest samples"
    assert history.p95(("prod", "c")) == 10.0
