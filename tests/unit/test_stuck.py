"""The stuck rule: slow against the usual duration, a floor without history, stale heartbeats."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.model import Action, PendingOp, Status, action_from_json
from tui.stuck import DurationHistory, RecentRefs, StuckRule, stuck_after, stuck_reason

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


class _OneAtATime:
    """The history's rule written out plainly: the oracle :meth:`observe_all` is held to."""

    def __init__(self, samples_per_key: int, max_keys: int) -> None:
        self.per_key, self.max_keys, self.max_refs = samples_per_key, max_keys, samples_per_key * 50
        self.seen: list[str] = []
        self.keys: list[tuple[str, str]] = []
        self.samples: dict[tuple[str, str], list[float]] = {}

    def observe(self, action: Action) -> None:
        if action.status is not Status.COMPLETED or action.ref in self.seen:
            return
        start, end = action.started_at or action.created_at, action.finished_at
        if start is None or end is None:
            return
        self.seen = [*self.seen, action.ref][-self.max_refs :]
        key = (action.backend, action.name)
        if key in self.keys:
            self.keys.remove(key)
        else:
            self.samples[key] = []
        self.keys.append(key)
        if len(self.keys) > self.max_keys:
            del self.samples[self.keys.pop(0)]
        self.samples[key] = [*self.samples[key], max(0.0, (end - start).total_seconds())]
        self.samples[key] = self.samples[key][-self.per_key :]


_STATUSES = st.sampled_from([Status.COMPLETED, Status.COMPLETED, Status.FAILED, Status.RUNNING])
_FED = st.lists(
    st.tuples(
        st.integers(0, 70),
        st.sampled_from("abc"),
        st.sampled_from("xy"),
        _STATUSES,
        st.integers(-5, 500),
        st.sampled_from([True, True, True, False]),
    ),
    min_size=20,
    max_size=160,
)


@settings(max_examples=200, deadline=None)
@given(fed=_FED, cuts=st.lists(st.integers(0, 160), max_size=6))
def test_observing_in_batches_keeps_what_one_at_a_time_keeps(
    fed: list[tuple[int, str, str, Status, int, bool]], cuts: list[int]
) -> None:
    """Refs seen twice, keys and refs past their bounds, missing times, batches of any size."""
    actions = [
        _action(f"r{ref}", status, ran=ran, name=name, backend=backend)
        if timed
        else _action(f"r{ref}", status, ran=ran, name=name, backend=backend, started_at=None)
        for ref, name, backend, status, ran, timed in fed
    ]
    oracle = _OneAtATime(samples_per_key=1, max_keys=3)
    history = DurationHistory(samples_per_key=1, max_keys=3)
    for action in actions:
        oracle.observe(action)
    bounds = [0, *sorted(cuts), len(actions)]
    for low, high in pairwise(bounds):
        history.observe_all(actions[low:high])
    for key in oracle.keys:
        assert history.samples(key) == len(oracle.samples[key])
        assert history.p95(key) == (max(oracle.samples[key]) if oracle.samples[key] else None)
    known = [(b, n) for b in "xy" for n in "abc" if history.samples((b, n))]
    assert sorted(known) == sorted(oracle.keys)
    one_by_one = DurationHistory(samples_per_key=1, max_keys=3)
    for action in actions:
        one_by_one.observe(action)
    assert [one_by_one.p95(key) for key in oracle.keys] == [history.p95(key) for key in oracle.keys]


def test_a_ref_forgotten_past_the_bound_counts_again_in_one_batch() -> None:
    history = DurationHistory(samples_per_key=1)  # remembers 50 refs
    batch = [_action(f"r{index}", Status.COMPLETED, ran=1) for index in range(51)]
    history.observe_all([*batch, _action("r50", Status.COMPLETED, ran=77)])
    assert history.p95(("prod", "resize")) == 1.0, "r50 is still remembered"
    history.observe_all([_action("r0", Status.COMPLETED, ran=99)])
    assert history.p95(("prod", "resize")) == 99.0, "r0 was forgotten: it counts again"


def _probe_order(history: DurationHistory, oracle: _OneAtATime) -> list[list[int]]:
    """Feed one new key at a time until every old key is gone: the samples left after each.

    The keys are dropped least recently fed first, so this shows their order too.
    """
    left: list[list[int]] = []
    for index in range(oracle.max_keys):
        probe = _action(f"probe-{index}", Status.COMPLETED, ran=index, name=f"p{index}")
        oracle.observe(probe)
        history.observe(probe)
        left.append([history.samples(key) for key in [("x", n) for n in "abcdef"]])
        assert left[-1] == [len(oracle.samples.get(("x", n), [])) for n in "abcdef"]
    return left


@settings(max_examples=200, deadline=None)
@given(fed=_FED, cuts=st.lists(st.integers(0, 160), max_size=6))
def test_batches_within_the_bounds_keep_the_samples_and_order_of_one_at_a_time(
    fed: list[tuple[int, str, str, Status, int, bool]], cuts: list[int]
) -> None:
    """Batches whose keys fit the bound (each batch in bulk when its refs are new)."""
    actions = [
        _action(f"r{ref}", status, ran=ran, name=name, backend="x")
        if timed
        else _action(f"r{ref}", status, ran=ran, name=name, backend="x", started_at=None)
        for ref, name, _, status, ran, timed in fed
    ]
    oracle = _OneAtATime(samples_per_key=4, max_keys=6)
    history = DurationHistory(samples_per_key=4, max_keys=6)
    for action in actions:
        oracle.observe(action)
    bounds = [0, *sorted(cuts), len(actions)]
    for low, high in pairwise(bounds):
        history.observe_all(actions[low:high])
    for key in oracle.keys:
        ordered = sorted(oracle.samples[key])
        assert history.samples(key) == len(ordered)
        assert history.p95(key) == ordered[max(0, -(-95 * len(ordered) // 100) - 1)]
    _probe_order(history, oracle)


def test_a_batch_of_new_refs_remembers_only_the_newest() -> None:
    """Past the bound of remembered refs, the oldest are forgotten (and count again)."""
    history = DurationHistory(samples_per_key=2)  # remembers 100 refs
    history.observe_all([_action(f"r{index}", Status.COMPLETED, ran=1) for index in range(250)])
    history.observe_all([_action("r149", Status.COMPLETED, ran=50)])  # forgotten: counts
    assert history.p95(("prod", "resize")) == 50.0
    history.observe_all([_action("r200", Status.COMPLETED, ran=70)])  # remembered: ignored
    assert history.p95(("prod", "resize")) == 50.0
    history.observe_all(
        [_action("r0", Status.COMPLETED, ran=90), _action("r1", Status.FAILED, ran=99)]
    )
    assert history.samples(("prod", "resize")) == 2
    assert history.p95(("prod", "resize")) == 90.0, "r0 counted again; a failure never"


def _remembered(history: DurationHistory, ref: str) -> bool:
    """Whether ``history`` would ignore ``ref`` completing again (asked of a copy)."""
    probe = copy.deepcopy(history)
    probe.observe(_action(ref, Status.COMPLETED, ran=1, name=f"probe-{ref}"))
    return probe.samples(("prod", f"probe-{ref}")) == 0


@pytest.mark.parametrize("sizes", [[200, 80], [200, 150], [150, 100, 30], [120, 260, 70, 70]])
def test_batches_forgetting_few_or_most_refs_remember_what_one_at_a_time_does(
    sizes: list[int],
) -> None:
    """Past the bound, a batch forgets the oldest refs: fewer than it keeps, or more."""
    history = DurationHistory(samples_per_key=4, max_keys=2_000)  # remembers 200 refs
    oracle = _OneAtATime(samples_per_key=4, max_keys=2_000)
    made = 0
    for size in sizes:
        batch = [_action(f"r{made + index}", Status.COMPLETED, ran=1) for index in range(size)]
        made += size
        history.observe_all(batch)
        for action in batch:
            oracle.observe(action)
    expected = [f"prod:r{index}" in oracle.seen for index in range(made)]
    assert [_remembered(history, f"r{index}") for index in range(made)] == expected
    assert sum(expected) == 200


@settings(max_examples=200, deadline=None)
@given(
    bound=st.integers(1, 12),
    steps=st.lists(
        st.one_of(
            st.integers(0, 40).map(lambda n: [f"r{n}"]),
            st.lists(st.integers(0, 40), max_size=30, unique=True).map(
                lambda ns: [f"r{n}" for n in ns]
            ),
        ),
        max_size=25,
    ),
)
def test_recent_refs_remember_the_newest_bound_distinct_refs(
    bound: int, steps: list[list[str]]
) -> None:
    """Refs added one by one or in batches of new ones: the newest ``bound`` are remembered."""
    recent, oracle = RecentRefs(bound), list[str]()
    for refs in steps:
        new = [ref for ref in refs if ref not in oracle]
        if len(refs) == 1 and new:
            recent.add(refs[0])
        elif new == refs and refs:
            assert recent.isdisjoint(set(refs))
            recent.add_new(refs, set(refs))
        else:
            continue
        oracle = [*oracle, *refs][-bound:]
        assert len(recent) == len(oracle)
        assert [ref for ref in (f"r{n}" for n in range(41)) if ref in recent] == sorted(
            oracle, key=lambda ref: int(ref[1:])
        )
