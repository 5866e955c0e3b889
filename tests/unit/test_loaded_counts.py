"""The console counts what each backend loaded by the refs a merge added."""

from __future__ import annotations

from collections import Counter

from tui.console.app import _count_backends


def test_a_slice_of_one_backend_and_a_mixed_one_count_by_backend() -> None:
    loaded: Counter[str] = Counter({"sw": 2})
    _count_backends(loaded, ["sw:1", "sw:2", "sw:3"])
    assert loaded == Counter({"sw": 5})
    _count_backends(loaded, ["sw:4", "os:a:1", "sw2:9", "os:b"])
    assert loaded == Counter({"sw": 6, "os": 2, "sw2": 1})
    _count_backends(loaded, ["sw2:1", "sw:1"])
    assert loaded == Counter({"sw": 7, "os": 2, "sw2": 2}), "a backend whose name starts another's"
    _count_backends(loaded, [])
    assert loaded == Counter({"sw": 7, "os": 2, "sw2": 2})
