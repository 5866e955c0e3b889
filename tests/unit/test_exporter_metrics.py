"""The exporter's state and metrics: poll results in, the Prometheus text format out.

Poll results are made by hand; the state folds them, the collector renders
them with the library's own ``generate_latest`` and the library's parser reads
them back, so every assertion is about what a scraper would see.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from tests.helpers.exporter import Samples, matching, parse, value
from tui.backends.base import (
    ActionPage,
    AuthRejectedError,
    BackendError,
    BackendTimeout,
    BadResponseError,
    ListQuery,
    PollUpdate,
    RateLimitedError,
    ServerError,
    UnreachableError,
)
from tui.exporter.labels import MAX_NAMES_PER_BACKEND, OTHER_NAME, label_text
from tui.exporter.metrics import METRICS, SnapshotCollector
from tui.exporter.snapshot import DURATION_BUCKETS, Histogram
from tui.exporter.state import FOLD_BATCH, ExporterState, error_kind
from tui.model import Action, PendingOp, Status, action_from_json
from tui.poller import PollResult
from tui.stuck import StuckRule

START = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


class _Backend:
    """Just a name and a type: the state never calls a backend."""

    def __init__(self, name: str, backend_type: str) -> None:
        self.name = name
        self.type = backend_type

    async def list_actions(self, query: ListQuery) -> ActionPage:
        raise NotImplementedError

    async def get_action(self, action_id: str) -> Action:
        raise NotImplementedError

    async def poll(self) -> PollUpdate:
        raise NotImplementedError

    async def aclose(self) -> None:
        return None


class _World:
    """An exporter state over one Seeweb and one Redis backend, with a movable clock."""

    def __init__(self, **kwargs: object) -> None:
        self.now = START
        backends = [_Backend("prod", "seeweb"), _Backend("cache", "redis-enterprise")]
        self.state = ExporterState(backends, now=lambda: self.now, version="9.9", **kwargs)  # type: ignore[arg-type]
        registry = CollectorRegistry()
        registry.register(SnapshotCollector(self.state.snapshot))
        self.registry = registry

    def poll(self, *actions: Action, backend: str = "prod", elapsed: float = 0.3) -> None:
        update = PollUpdate(list(actions), in_flight=sum(a.status.in_flight for a in actions))
        self.state.record(PollResult(backend, update, None, self.now, 1.0), elapsed)

    def fail(self, error: BackendError, backend: str = "prod") -> None:
        self.state.record(PollResult(backend, None, error, self.now, 1.0, failures=1), 0.1)

    def text(self) -> str:
        return generate_latest(self.registry).decode("utf-8")

    def scrape(self) -> Samples:
        return parse(self.text())


def _action(
    ref: str,
    status: Status,
    *,
    name: str = "resize",
    backend: str = "prod",
    started: datetime = START,
    ran: float | None = None,
    **fields: object,
) -> Action:
    data: dict[str, object] = {
        "ref": f"{backend}:{ref}",
        "backend": backend,
        "backend_type": "redis-enterprise" if backend == "cache" else "seeweb",
        "id": ref,
        "name": name,
        "status": status,
        "started_at": started,
    }
    if ran is not None:
        data["finished_at"] = started + timedelta(seconds=ran)
    data.update(fields)
    return action_from_json(data)


PROD = {"backend": "prod", "backend_type": "seeweb"}


def test_an_action_moves_from_running_to_completed_and_is_counted_once() -> None:
    world = _World()
    world.poll(_action("1", Status.RUNNING))
    first = world.scrape()
    assert value(first, "actiondeck_actions", **PROD, name="resize", status="running") == 1.0
    assert value(first, "actiondeck_actions_in_flight", **PROD, name="resize") == 1.0
    world.now = START + timedelta(minutes=3)
    done = _action("1", Status.COMPLETED, ran=120)
    world.poll(done)
    world.poll(done)  # seen again: not a second ending
    later = world.scrape()
    labels = {**PROD, "name": "resize"}
    assert value(later, "actiondeck_actions", **labels, status="running") == 0.0
    assert value(later, "actiondeck_actions", **labels, status="completed") == 1.0
    assert value(later, "actiondeck_actions_in_flight", **labels) == 0.0
    assert value(later, "actiondeck_action_endings_total", **labels, outcome="completed") == 1.0
    assert value(later, "actiondeck_action_endings_total", **labels, outcome="failed") == 0.0
    assert value(later, "actiondeck_action_duration_seconds_count", **labels) == 1.0
    assert value(later, "actiondeck_action_duration_seconds_sum", **labels) == 120.0
    assert value(later, "actiondeck_action_duration_seconds_bucket", **labels, le="60.0") == 0.0
    assert value(later, "actiondeck_action_duration_seconds_bucket", **labels, le="120.0") == 1.0
    assert value(later, "actiondeck_action_duration_seconds_bucket", **labels, le="+Inf") == 1.0


def test_history_that_ended_before_the_start_is_known_but_not_an_ending() -> None:
    world = _World()
    old = START - timedelta(days=1)
    world.poll(
        _action("old", Status.FAILED, started=old, ran=60),
        _action("fresh", Status.FAILED, started=START - timedelta(seconds=30), ran=40),
    )
    first = world.scrape()
    labels = {**PROD, "name": "resize"}
    assert value(first, "actiondeck_actions", **labels, status="failed") == 2.0
    # Only the one that finished after the exporter started is an ending.
    assert value(first, "actiondeck_action_endings_total", **labels, outcome="failed") == 1.0
    # After the first poll, an action first seen already ended did end meanwhile.
    world.poll(_action("between", Status.FAILED, started=old, ran=1))
    second = world.scrape()
    assert value(second, "actiondeck_action_endings_total", **labels, outcome="failed") == 2.0


def test_an_action_the_backend_forgot_is_no_longer_known() -> None:
    world = _World()
    running = _action("r", Status.RUNNING, backend="cache", name="SMUpgradeBDB")
    world.poll(running, backend="cache")
    world.poll(replace(running, gone=True), backend="cache")
    samples = world.scrape()
    known = matching(samples, "actiondeck_actions", backend="cache")
    assert known and sum(known.values()) == 0.0


def test_names_beyond_the_hundredth_are_counted_as_other() -> None:
    world = _World()
    world.poll(*(_action(str(n), Status.RUNNING, name=f"op-{n}") for n in range(150)))
    samples = world.scrape()
    in_flight = matching(samples, "actiondeck_actions_in_flight", backend="prod")
    names = {dict(key)["name"] for key in in_flight}
    assert len(names) == MAX_NAMES_PER_BACKEND + 1
    assert OTHER_NAME in names and "op-0" in names and "op-149" not in names
    assert sum(in_flight.values()) == 150.0
    assert value(samples, "actiondeck_actions_in_flight", **PROD, name=OTHER_NAME) == 50.0


HOSTILE = 'quote" back\\slash\nfake_metric{x="1"} 1\r\x1b]52;c;ZXZpbA==\x07\x00\u202eend'


def test_a_hostile_name_is_escaped_and_cannot_forge_a_line() -> None:
    world = _World()
    world.poll(_action("h", Status.RUNNING, name=HOSTILE))
    text = world.text()
    for byte in ("\x1b", "\x07", "\x00", "\r", "\u202e"):
        assert byte not in text
    assert '\\"' in text and "\\\\" in text  # the library escaped quote and backslash
    samples = parse(text)
    assert not [name for name, _ in samples if "fake" in name]
    names = {dict(k)["name"] for k in matching(samples, "actiondeck_actions_in_flight")}
    assert names == {label_text(HOSTILE)}
    shown = label_text(HOSTILE)
    assert shown.startswith('quote" back\\slash␊fake_metric{x="1"} 1␍␛]52')
    assert "\\u202eend" in shown


def test_a_very_long_name_is_cut() -> None:
    world = _World()
    world.poll(_action("l", Status.RUNNING, name="x" * 10_000))
    names = {dict(k)["name"] for k in matching(world.scrape(), "actiondeck_actions_in_flight")}
    assert names == {"x" * 100 + "…"}


def test_the_stuck_gauge_follows_the_rule() -> None:
    rule = StuckRule(floor=timedelta(minutes=30), heartbeat_stale=timedelta(minutes=5))
    world = _World(rule=rule)
    world.poll(_action("s", Status.RUNNING, started=START))
    beat = START - timedelta(minutes=1)
    shard = PendingOp(shard="redis:1", heartbeat=beat)
    redis = _action(
        "u", Status.RUNNING, backend="cache", name="upgrade", updated_at=beat, pending_ops=(shard,)
    )
    world.poll(redis, backend="cache")
    cache = {"backend": "cache", "backend_type": "redis-enterprise", "name": "upgrade"}
    fresh = world.scrape()
    assert value(fresh, "actiondeck_actions_stuck", **PROD, name="resize", reason="slow") == 0.0
    assert value(fresh, "actiondeck_actions_stuck", **cache, reason="no_heartbeat") == 0.0
    # A backend without heartbeats has no such series.
    assert (
        value(fresh, "actiondeck_actions_stuck", **PROD, name="resize", reason="no_heartbeat")
        is None
    )
    world.now = START + timedelta(minutes=10)
    silent = world.scrape()
    assert value(silent, "actiondeck_actions_stuck", **cache, reason="no_heartbeat") == 1.0
    assert value(silent, "actiondeck_actions_stuck", **PROD, name="resize", reason="slow") == 0.0
    world.now = START + timedelta(minutes=31)
    slow = world.scrape()
    assert value(slow, "actiondeck_actions_stuck", **PROD, name="resize", reason="slow") == 1.0


def test_a_failed_poll_marks_the_backend_down_and_keeps_what_it_knew() -> None:
    world = _World()
    world.poll(_action("1", Status.RUNNING))
    world.poll(backend="cache")
    ok = world.scrape()
    last = value(ok, "actiondeck_backend_last_success_timestamp_seconds", **PROD)
    assert last == START.timestamp()
    world.now = START + timedelta(seconds=30)
    world.fail(ServerError("prod", "GET /actions answered 503", status=503))
    down = world.scrape()
    assert value(down, "actiondeck_backend_up", **PROD) == 0.0
    assert (
        value(down, "actiondeck_backend_up", backend="cache", backend_type="redis-enterprise")
        == 1.0
    )
    assert value(down, "actiondeck_backend_last_success_timestamp_seconds", **PROD) == last
    assert value(down, "actiondeck_backend_polls_total", **PROD, result="error") == 1.0
    assert value(down, "actiondeck_backend_poll_errors_total", **PROD, error="server_error") == 1.0
    assert value(down, "actiondeck_backend_consecutive_failures", **PROD) == 1.0
    assert value(down, "actiondeck_actions_in_flight", **PROD, name="resize") == 1.0


def test_before_its_first_answer_a_backend_is_down_with_no_last_success() -> None:
    samples = _World().scrape()
    assert value(samples, "actiondeck_backend_up", **PROD) == 0.0
    assert value(samples, "actiondeck_backend_last_success_timestamp_seconds", **PROD) is None
    assert value(samples, "actiondeck_build_info", version="9.9", simulator="false") == 1.0


def test_poll_durations_fill_the_poll_histogram() -> None:
    world = _World()
    world.poll(elapsed=0.07)
    world.poll(elapsed=3.0)
    samples = world.scrape()
    name = "actiondeck_backend_poll_duration_seconds"
    assert value(samples, f"{name}_count", **PROD) == 2.0
    assert value(samples, f"{name}_bucket", **PROD, le="0.1") == 1.0
    assert value(samples, f"{name}_bucket", **PROD, le="5.0") == 2.0
    assert value(samples, f"{name}_sum", **PROD) == pytest.approx(3.07)


def test_known_actions_are_bounded_per_backend() -> None:
    world = _World(max_actions=10)
    world.poll(*(_action(str(n), Status.RUNNING) for n in range(25)))
    in_flight = value(world.scrape(), "actiondeck_actions_in_flight", **PROD, name="resize")
    assert in_flight == 10.0


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (BackendTimeout("b", "slow"), "timeout"),
        (UnreachableError("b", "refused"), "unreachable"),
        (AuthRejectedError("b", "401", status=401), "auth_rejected"),
        (RateLimitedError("b", "429", 3.0), "rate_limited"),
        (ServerError("b", "503", status=503), "server_error"),
        (BadResponseError("b", "html"), "bad_response"),
    ],
)
def test_error_kinds_are_a_small_fixed_set(error: BackendError, kind: str) -> None:
    assert error_kind(error) == kind


def test_a_histogram_ignores_values_no_clock_can_give() -> None:
    histogram = Histogram(DURATION_BUCKETS)
    for bad in (-1.0, math.nan, math.inf):
        histogram.observe(bad)
    histogram.observe(90_000.0)
    value = histogram.value()
    assert value.count == 1 and value.buckets[-2][1] == 0 and value.buckets[-1] == (math.inf, 1)


def test_every_listed_metric_is_served() -> None:
    world = _World()
    world.poll(_action("1", Status.COMPLETED, ran=5))
    served = {family.name for family in world.registry.collect()}
    assert {metric.name for metric in METRICS} <= served


def test_a_poll_bigger_than_one_fold_batch_is_folded_whole() -> None:
    world = _World()
    count = 2 * FOLD_BATCH + 500
    world.poll(*(_action(str(n), Status.RUNNING, name="boot") for n in range(count)))
    samples = world.scrape()
    assert value(samples, "actiondeck_actions_in_flight", **PROD, name="boot") == float(count)
    assert value(samples, "actiondeck_backend_polls_total", **PROD, result="ok") == 1.0
