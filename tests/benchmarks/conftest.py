"""Benchmarks print their figures; they never assert on time (the machine decides that)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in this folder is a benchmark (excluded from the default run)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.benchmark)


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
    print(f"\nBENCH {label}: median {mid:.1f} ms (min {low:.1f}, max {high:.1f})")
