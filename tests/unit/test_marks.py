"""Stuck tracking scheduled by when actions are due, the marks ``is:`` matches, and the log."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tui.console.screens.herald import Herald, NotificationLog
from tui.console.screens.marks import Marks, StuckTracker
from tui.model import Action, PendingOp, Status, action_from_json
from tui.search import parse_filter
from tui.store import ActionStore
from tui.stuck import StuckRule

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _action(ref: str, status: Status, *, ran: float, **fields: object) -> Action:
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


def test_an_action_is_flagged_when_due_and_not_before() -> None:
    tracker = StuckTracker(StuckRule(min_samples=3, factor=3.0))
    done = [_action(f"d{i}", Status.COMPLETED, ran=60) for i in range(3)]
    running = _action("r", Status.RUNNING, ran=10)
    assert tracker.observe([*done, running], NOW) == set()
    assert running.started_at is not None
    due = running.started_at + timedelta(seconds=180)
    assert not tracker.is_due(due - timedelta(seconds=1))
    assert tracker.check(due - timedelta(seconds=1), {running.ref: running}.get) == []
    assert tracker.is_due(due + timedelta(seconds=1))
    assert tracker.check(due + timedelta(seconds=1), {running.ref: running}.get) == [running]
    assert tracker.stuck[running.ref].label == "slow"
    assert not tracker.is_due(due + timedelta(hours=1))  # told once, nothing left to look at
    ended = replace(running, status=Status.COMPLETED, finished_at=NOW)
    assert tracker.observe([ended], NOW) == {running.ref}
    assert running.ref not in tracker.stuck


def test_a_fresh_heartbeat_unflags_and_reschedules() -> None:
    rule = StuckRule(heartbeat_stale=timedelta(minutes=5))
    tracker = StuckTracker(rule)
    beat = NOW - timedelta(minutes=1)
    op = PendingOp(shard="7", op_name="migrate", heartbeat=beat)
    action = _action(
        "sm", Status.RUNNING, ran=120, backend_type="redis-enterprise", updated_at=beat,
        pending_ops=(op,),
    )  # fmt: skip
    tracker.observe([action], NOW)
    later = NOW + timedelta(minutes=5)
    assert tracker.check(later, {action.ref: action}.get)[0].ref == action.ref
    assert tracker.stuck[action.ref].label == "no heartbeat"
    fresh_op = replace(op, heartbeat=later)
    fresh = replace(action, updated_at=later, pending_ops=(fresh_op,))
    assert tracker.observe([fresh], later) == {action.ref}
    assert tracker.is_due(later + timedelta(minutes=6))


def test_the_store_filters_on_marks_and_redoes_those_views_when_they_change() -> None:
    marks = Marks()
    store = ActionStore(flags_of=marks.flags_of)
    actions = [_action(str(i), Status.RUNNING, ran=i) for i in range(5)]
    store.merge(actions)
    watched = parse_filter("is:watched")
    assert list(store.refs(watched)) == []
    marks.watch_list.toggle(actions[2])
    store.flags_changed()
    assert list(store.refs(watched)) == [actions[2].ref]
    store.merge([replace(actions[2], progress=50.0)])  # a merge keeps it
    assert list(store.refs(watched)) == [actions[2].ref]
    assert list(ActionStore().refs(watched)) == []  # no marks known: is: keeps nothing


def test_the_log_is_newest_first_bounded_and_old_failures_are_not_news() -> None:
    toasts: list[tuple[str, str, float | None]] = []
    desktop: list[tuple[str, str]] = []
    herald = Herald(NOW, lambda *toast: toasts.append(toast), lambda *d: desktop.append(d))
    old = _action("old", Status.FAILED, ran=60, finished_at=NOW - timedelta(seconds=1))
    new = _action("new", Status.FAILED, ran=60, finished_at=NOW + timedelta(seconds=1))
    herald.failures([old, new, new], NOW)
    assert [entry.ref for entry in herald.log] == [new.ref]
    assert toasts == [] and desktop == []
    watched = _action("w", Status.COMPLETED, ran=5, name="evil\x1b[2J")
    herald.watch_ended(watched, NOW + timedelta(seconds=1))  # told later: listed first
    assert [entry.kind for entry in herald.log] == ["ended", "failed"]
    assert toasts[0][2] is None and "\x1b" not in toasts[0][0] and "\x1b" not in desktop[0][1]
    log = NotificationLog(size=2)
    for entry in [*herald.log, *herald.log]:
        log.add(entry)
    assert len(log) == 2


def test_a_preload_batch_flags_and_unflags_as_one_action_at_a_time_does() -> None:
    """Thousands of ended actions and a few in flight, fed once, as a preload window is."""
    rule = StuckRule(min_samples=3, factor=3.0)
    done = [_action(f"d{i}", Status.COMPLETED, ran=60) for i in range(3_000)]
    failed = [_action(f"f{i}", Status.FAILED, ran=5) for i in range(200)]
    running = _action("r", Status.RUNNING, ran=10)
    was_stuck = _action("s", Status.RUNNING, ran=10_000)
    batched, single = StuckTracker(rule), StuckTracker(rule)
    lookup = {running.ref: running, was_stuck.ref: was_stuck}.get
    for tracker in (batched, single):
        tracker.observe([was_stuck], NOW)
        assert tracker.check(NOW, lookup) == [was_stuck]
    ended = replace(was_stuck, status=Status.COMPLETED, finished_at=NOW)
    window = [*done[:1_500], running, *failed, ended, *done[1_500:]]
    assert batched.observe(window, NOW) == {was_stuck.ref}
    assert set().union(*(single.observe([action], NOW) for action in window)) == {was_stuck.ref}
    lookup = {running.ref: running}.get
    assert running.started_at is not None
    due = running.started_at + timedelta(seconds=180)
    for tracker in (batched, single):
        assert was_stuck.ref not in tracker.stuck
        assert tracker.check(due - timedelta(seconds=1), lookup) == []
        assert tracker.check(due + timedelta(seconds=1), lookup) == [running]
        assert tracker.stuck[running.ref].label == "slow"
        assert tracker.history.samples(("prod", "resize")) == 200
