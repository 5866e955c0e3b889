"""The exporter's metrics: a pure mapping from one :class:`Snapshot` to metric families.

Every family is built afresh from the snapshot at each scrape (a custom
collector, not live metric objects), so what a scrape shows is exactly one
consistent copy of the state. The label values were made safe and bounded by
:mod:`tui.exporter.labels`; the Prometheus library escapes them for the text
format. docs/exporter.md lists the metrics; :data:`METRICS` is that list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from tui.exporter.snapshot import HistogramValue, Snapshot

BACKEND = ("backend", "backend_type")
NAME = (*BACKEND, "name")


@dataclass(frozen=True)
class MetricInfo:
    """One metric family: its name (without ``_total``), type, labels and help."""

    name: str
    type: str
    labels: tuple[str, ...]
    help: str


def _info(name: str, kind: str, labels: tuple[str, ...], text: str) -> MetricInfo:
    return MetricInfo(name, kind, labels, text)


BUILD_INFO = _info(
    "actiondeck_build_info", "gauge", ("version", "simulator"), "Always 1: the exporter's version."
)
UP = _info("actiondeck_backend_up", "gauge", BACKEND, "1 when the latest poll succeeded.")
LAST_SUCCESS = _info(
    "actiondeck_backend_last_success_timestamp_seconds",
    "gauge",
    BACKEND,
    "Unix time of the latest successful poll.",
)
POLLS = _info(
    "actiondeck_backend_polls", "counter", (*BACKEND, "result"), "Polls, by result (ok, error)."
)
POLL_ERRORS = _info(
    "actiondeck_backend_poll_errors",
    "counter",
    (*BACKEND, "error"),
    "Failed polls, by kind of error.",
)
POLL_DURATION = _info(
    "actiondeck_backend_poll_duration_seconds", "histogram", BACKEND, "How long polls took."
)
FAILURES = _info(
    "actiondeck_backend_consecutive_failures", "gauge", BACKEND, "Failed polls since the last ok."
)
UNREADABLE = _info(
    "actiondeck_backend_unreadable_entries",
    "gauge",
    BACKEND,
    "Entries of the latest good poll that could not be read (skipped).",
)
REQUESTS = _info(
    "actiondeck_backend_requests",
    "counter",
    BACKEND,
    "HTTP requests sent to the backend (backends that keep request stats).",
)
REQUEST_LATENCY = _info(
    "actiondeck_backend_last_request_duration_seconds",
    "gauge",
    BACKEND,
    "How long the latest request took (backends that keep request stats).",
)
ACTIONS = _info("actiondeck_actions", "gauge", (*NAME, "status"), "Known actions, by status.")
IN_FLIGHT = _info("actiondeck_actions_in_flight", "gauge", NAME, "Pending and running actions.")
STUCK = _info(
    "actiondeck_actions_stuck",
    "gauge",
    (*NAME, "reason"),
    "In-flight actions the stuck rule flags, by reason (slow, no_heartbeat).",
)
ENDINGS = _info(
    "actiondeck_action_endings",
    "counter",
    (*NAME, "outcome"),
    "Actions seen ending while the exporter ran, by outcome.",
)
DURATION = _info(
    "actiondeck_action_duration_seconds",
    "histogram",
    NAME,
    "Durations of the completed actions among those endings.",
)

METRICS: tuple[MetricInfo, ...] = (
    BUILD_INFO, UP, LAST_SUCCESS, POLLS, POLL_ERRORS, POLL_DURATION, FAILURES, UNREADABLE,
    REQUESTS, REQUEST_LATENCY, ACTIONS, IN_FLIGHT, STUCK, ENDINGS, DURATION,
)  # fmt: skip
"""Every family the exporter serves (besides the library's ``process_`` and ``python_`` ones)."""


def _gauge(info: MetricInfo) -> GaugeMetricFamily:
    return GaugeMetricFamily(info.name, info.help, labels=info.labels)


def _counter(info: MetricInfo) -> CounterMetricFamily:
    return CounterMetricFamily(info.name, info.help, labels=info.labels)


def _histogram(info: MetricInfo) -> HistogramMetricFamily:
    return HistogramMetricFamily(info.name, info.help, labels=info.labels)


def _add_histogram(family: HistogramMetricFamily, labels: list[str], value: HistogramValue) -> None:
    buckets = [(_bound(bound), float(count)) for bound, count in value.buckets]
    family.add_metric(labels, buckets, value.sum)


def _bound(bound: float) -> str:
    return "+Inf" if bound == float("inf") else repr(float(bound))


def backend_families(snapshot: Snapshot) -> list[Metric]:
    """The per-backend families: health, polls, requests."""
    up, last, failures = _gauge(UP), _gauge(LAST_SUCCESS), _gauge(FAILURES)
    unreadable, latency = _gauge(UNREADABLE), _gauge(REQUEST_LATENCY)
    polls, errors, requests = _counter(POLLS), _counter(POLL_ERRORS), _counter(REQUESTS)
    duration = _histogram(POLL_DURATION)
    for backend in snapshot.backends:
        labels = [backend.name, backend.type]
        up.add_metric(labels, 1.0 if backend.up else 0.0)
        if backend.last_success is not None:
            last.add_metric(labels, backend.last_success)
        for result, count in backend.polls.items():
            polls.add_metric([*labels, result], count)
        for kind, count in sorted(backend.errors.items()):
            errors.add_metric([*labels, kind], count)
        _add_histogram(duration, labels, backend.poll_duration)
        failures.add_metric(labels, backend.consecutive_failures)
        unreadable.add_metric(labels, backend.unreadable)
        if backend.requests is not None:
            requests.add_metric(labels, backend.requests)
        if backend.last_request_latency is not None:
            latency.add_metric(labels, backend.last_request_latency)
    return [up, last, polls, errors, duration, failures, unreadable, requests, latency]


def action_families(snapshot: Snapshot) -> list[Metric]:
    """The per-action-name families: statuses, in flight, stuck, endings, durations."""
    actions, in_flight, stuck = _gauge(ACTIONS), _gauge(IN_FLIGHT), _gauge(STUCK)
    endings, duration = _counter(ENDINGS), _histogram(DURATION)
    for name in snapshot.names:
        labels = [name.backend, name.backend_type, name.name]
        for status, count in name.statuses.items():
            actions.add_metric([*labels, status], count)
        in_flight.add_metric(labels, name.in_flight)
        for reason, count in name.stuck.items():
            stuck.add_metric([*labels, reason], count)
        for outcome, count in name.endings.items():
            endings.add_metric([*labels, outcome], count)
        _add_histogram(duration, labels, name.duration)
    return [actions, in_flight, stuck, endings, duration]


def families(snapshot: Snapshot) -> list[Metric]:
    """Every metric family of one scrape."""
    info = _gauge(BUILD_INFO)
    info.add_metric([snapshot.version, "true" if snapshot.simulator else "false"], 1.0)
    return [info, *backend_families(snapshot), *action_families(snapshot)]


class SnapshotCollector:
    """A Prometheus collector that serves a fresh snapshot at each scrape."""

    def __init__(self, source: Callable[[], Snapshot]) -> None:
        self._source = source

    def collect(self) -> Iterator[Metric]:
        """The families of a snapshot taken now."""
        yield from families(self._source())

    def describe(self) -> Iterator[Metric]:
        """The families without samples (so registering takes no snapshot)."""
        yield from families(Snapshot((), (), ""))
