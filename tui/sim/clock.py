"""Clocks for the simulator: real time for demos, a controllable one for tests.

The simulated world is a pure function of (seed, clock time): the same seed
and the same clock reading always give byte-identical answers.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Protocol

FROZEN_EPOCH = datetime(2026, 3, 14, 12, 0, 0, tzinfo=UTC).timestamp()
"""Where the controllable clock starts unless told otherwise."""


class Clock(Protocol):
    """Anything that tells the simulated time in Unix seconds."""

    def now(self) -> float:
        """Current simulated time, Unix seconds."""
        ...


class RealClock:
    """Wall-clock time."""

    def now(self) -> float:
        """Current wall-clock time, Unix seconds."""
        return time.time()


class FrozenClock:
    """A clock that moves only when told to; thread-safe."""

    def __init__(self, start: float = FROZEN_EPOCH) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        """The current simulated time, Unix seconds."""
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward and return the new time."""
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, when: float) -> None:
        """Jump to an absolute time."""
        with self._lock:
            self._now = when
