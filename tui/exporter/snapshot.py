"""What one scrape reads: plain, frozen values copied out of the exporter's state.

A :class:`Snapshot` is taken under the state's lock and then read without it,
so turning it into text never holds up a poll. No I/O, no Prometheus types.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

DURATION_BUCKETS: tuple[float, ...] = (
    1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 43200, 86400,
)  # fmt: skip
"""Upper bounds (seconds) of the action-duration histogram: a second to a day."""

POLL_BUCKETS: tuple[float, ...] = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60)
"""Upper bounds (seconds) of the poll-duration histogram."""


class Histogram:
    """Counts of observations per bucket, their sum and count (a fixed size)."""

    def __init__(self, bounds: Sequence[float]) -> None:
        self.bounds = tuple(bounds)
        self._counts = [0] * (len(self.bounds) + 1)
        self._sum = 0.0

    def observe(self, value: float) -> None:
        """Count one observation (negative, NaN or infinite values are ignored)."""
        if not math.isfinite(value) or value < 0:
            return
        index = next((i for i, bound in enumerate(self.bounds) if value <= bound), -1)
        self._counts[index] += 1
        self._sum += value

    def value(self) -> HistogramValue:
        """The histogram as cumulative buckets (the last one is ``+Inf``)."""
        running = 0
        buckets: list[tuple[float, int]] = []
        for bound, count in zip((*self.bounds, math.inf), self._counts, strict=True):
            running += count
            buckets.append((bound, running))
        return HistogramValue(tuple(buckets), self._sum)


@dataclass(frozen=True)
class HistogramValue:
    """One histogram as a scrape shows it."""

    buckets: tuple[tuple[float, int], ...]
    """``(upper bound, cumulative count)``, ascending, ending with ``+Inf``."""
    sum: float

    @property
    def count(self) -> int:
        """How many observations in all."""
        return self.buckets[-1][1] if self.buckets else 0


@dataclass(frozen=True)
class BackendSnapshot:
    """One backend's health and polling figures."""

    name: str
    type: str
    up: bool
    """The latest poll succeeded."""
    last_success: float | None
    """Unix time of the latest successful poll (``None`` before the first)."""
    polls: Mapping[str, int]
    """Polls so far by result: ``ok`` and ``error``."""
    errors: Mapping[str, int]
    """Failed polls so far by kind of error (``unreachable``, ``timeout``, ``auth``...)."""
    poll_duration: HistogramValue
    consecutive_failures: int
    unreadable: int
    """Entries of the latest good poll that could not be read."""
    requests: int | None = None
    """Requests sent so far, when the backend keeps request stats."""
    last_request_latency: float | None = None
    """Seconds the latest request took, when the backend keeps request stats."""


@dataclass(frozen=True)
class NameSnapshot:
    """The actions of one backend and action name (``name`` is already a label value)."""

    backend: str
    backend_type: str
    name: str
    statuses: Mapping[str, int]
    """Known actions by status (every status of :class:`~tui.model.Status`, zeros included)."""
    endings: Mapping[str, int]
    """Actions seen ending so far, by outcome (``completed``, ``failed``, ``cancelled``)."""
    duration: HistogramValue
    """Durations of the completed ones among those endings."""
    stuck: Mapping[str, int] = field(default_factory=dict)
    """In-flight actions flagged by the stuck rule, by reason (``slow``, ``no_heartbeat``)."""

    @property
    def in_flight(self) -> int:
        """Pending and running actions."""
        return self.statuses.get("pending", 0) + self.statuses.get("running", 0)


@dataclass(frozen=True)
class Snapshot:
    """Everything one scrape shows."""

    backends: tuple[BackendSnapshot, ...]
    names: tuple[NameSnapshot, ...]
    version: str
    simulator: bool = False
    """The backends are the embedded simulator's (no config file)."""
