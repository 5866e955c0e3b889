"""Benchmarks print their figures; they never assert on time (the machine decides that)."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in this folder is a benchmark (excluded from the default run)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.benchmark)
