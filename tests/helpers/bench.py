"""Benchmark figures: time a call, print one line (never assert on time)."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable


def measure(run: Callable[[], object], repeat: int = 7) -> tuple[float, float, float]:
    """(min, median, max) seconds of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return min(samples), statistics.median(samples), max(samples)


def report(label: str, figures: tuple[float, float, float]) -> None:
    """One line: label, then min / median / max in milliseconds."""
    low, mid, high = (value * 1000 for value in figures)
    say(f"BENCH {label}: median {mid:.1f} ms (min {low:.1f}, max {high:.1f})")


def say(line: str) -> None:
    """Print ``line`` to the real stdout (a running Textual app captures ``print``)."""
    out = sys.__stdout__ or sys.stdout
    out.write(f"\n{line}\n")
    out.flush()
