"""Big lists built outside the collector's walks: frozen once built, the collector as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tui.console import collector
from tui.console.collector import FREEZE_ABOVE, outside_collections


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    """Each test starts and ends with nothing frozen and the collector on."""
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


def _walked(obj: object) -> bool:
    """True when a collection can still walk ``obj`` (it is in one of the three generations)."""
    return any(each is obj for each in gc.get_objects())


def test_what_the_body_builds_is_frozen_and_the_collector_runs_again() -> None:
    with outside_collections(FREEZE_ABOVE):
        assert not gc.isenabled()  # no collection walks the list while it grows
        built = [str(number) for number in range(1000)]
    assert gc.isenabled()
    assert gc.is_tracked(built) and not _walked(built)
    assert gc.get_freeze_count() >= 1


def test_a_paused_collector_stays_paused() -> None:
    gc.disable()
    with outside_collections(FREEZE_ABOVE):
        built = [1, 2, 3]
    assert not gc.isenabled() and not _walked(built)


def test_garbage_made_before_is_collected_not_frozen() -> None:
    class Node:
        partner: Node

    first, second = Node(), Node()
    first.partner, second.partner = second, first
    cycle_ids = {id(first), id(second)}
    del first, second  # a cycle: only the collector frees it
    with outside_collections(FREEZE_ABOVE):
        pass
    gc.unfreeze()
    assert not any(id(each) in cycle_ids and isinstance(each, Node) for each in gc.get_objects())


def test_a_small_store_builds_as_usual() -> None:
    with outside_collections(FREEZE_ABOVE - 1):
        assert gc.isenabled()
        built = [1, 2, 3]
    assert _walked(built) and gc.get_freeze_count() == 0


def test_the_bound_is_read_when_called(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collector, "FREEZE_ABOVE", 10)
    with outside_collections(10):
        built = [1, 2, 3]
    assert not _walked(built)
