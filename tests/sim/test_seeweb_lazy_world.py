"""A big simulated Seeweb history, drawn block by block when first read."""

from __future__ import annotations

import random
import tracemalloc
from itertools import pairwise

import pytest

from tui.sim import FrozenClock
from tui.sim.seeweb import history
from tui.sim.seeweb.api import SeewebApi
from tui.sim.seeweb.history import BLOCK, LAZY_ABOVE
from tui.sim.seeweb.plan import draw_action, draw_pools, past_offsets
from tui.sim.seeweb.world import SeewebWorld
from tui.sim.simulator import OPENSTACK_MAX_ACTIONS, REDIS_MAX_ACTIONS, split_actions

ANCHOR = 1_700_000_000_000_000
SIZE = LAZY_ABOVE + 5 * BLOCK + 123
"""A lazy history whose oldest block is partial."""


def test_a_lazy_history_is_ordered_oldest_first_across_blocks() -> None:
    world = SeewebWorld(seed=5, anchor=ANCHOR, actions=SIZE)
    created = [world.planned(index).created for index in range(SIZE)]
    assert all(older < newer for older, newer in pairwise(created))
    assert created[-1] < ANCHOR
    newest = [world.planned(SIZE - 1 - rank) for rank in range(3)]
    assert all(p.created + p.duration > ANCHOR for p in newest), "the newest few still run"


def test_a_lazy_history_is_the_same_however_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "BLOCKS_CACHED", 4)  # the second pass draws blocks again
    forwards = SeewebWorld(seed=5, anchor=ANCHOR, actions=SIZE)
    backwards = SeewebWorld(seed=5, anchor=ANCHOR, actions=SIZE)
    indices = range(0, SIZE, 7)
    first = [forwards.planned(index) for index in indices]
    for _ in range(2):
        second = [backwards.planned(index) for index in reversed(indices)][::-1]
        assert first == second
    other_seed = SeewebWorld(seed=6, anchor=ANCHOR, actions=SIZE)
    assert [other_seed.planned(index) for index in indices[:50]] != first[:50]


def test_a_resource_search_of_a_lazy_history_finds_exactly_its_actions() -> None:
    world = SeewebWorld(seed=5, anchor=ANCHOR, actions=SIZE)
    plans = [world.planned(index) for index in range(SIZE)]
    for resource in ("ec200285", plans[10].resource, plans[-1].resource, "nothing-here"):
        expected = [i for i in range(SIZE - 1, -1, -1) if plans[i].resource == resource]
        page, total = world.window(ANCHOR, 0, SIZE, resource)
        assert page == expected
        assert total == len(expected)
        assert world.window(ANCHOR, 3, 5, resource)[0] == expected[3:8]


def test_a_lazy_history_answers_before_anything_else_is_drawn() -> None:
    """The search index is built on demand, without a scan first."""
    world = SeewebWorld(seed=5, anchor=ANCHOR, actions=SIZE)
    top, total = world.window(ANCHOR, 0, 10, None)
    assert top == list(range(SIZE - 1, SIZE - 11, -1))
    assert total == SIZE
    assert world.index_of(str(world.first_id + SIZE - 1), ANCHOR) == SIZE - 1
    assert world.index_of(str(world.first_id + SIZE), ANCHOR) is None  # not arrived yet


def test_a_million_action_account_starts_small() -> None:
    """Memory stays bounded: only the newest block and a code per action exist at start."""
    tracemalloc.start()
    try:
        api = SeewebApi(seed=5, clock=FrozenClock(), actions=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12_000_000, f"{peak:,} bytes to start a million actions"
    assert api.world.window(round(api.clock.now() * 1_000_000), 999_990, 50, None)[1] == 1_000_000


def test_small_histories_are_drawn_at_once_as_before() -> None:
    """Up to the threshold nothing changes (snapshots and screenshots depend on it)."""
    rng = random.Random("5:seeweb")
    first_id = 1000 + rng.randint(0, 999)
    pools = draw_pools(rng)
    oldest = draw_action(rng, ANCHOR + past_offsets(rng, LAZY_ABOVE)[0], pools)
    world = SeewebWorld(seed=5, anchor=ANCHOR, actions=LAZY_ABOVE)
    assert (world.first_id, world.planned(0)) == (first_id, oldest)


def test_big_demos_give_openstack_and_redis_a_bounded_share() -> None:
    counts = split_actions(1_000_000)
    assert counts["openstack"] == OPENSTACK_MAX_ACTIONS
    assert counts["redis"] == REDIS_MAX_ACTIONS
    assert sum(count or 0 for count in counts.values()) == 1_000_000
    assert split_actions(1_000) == {"seeweb": 600, "openstack": 250, "redis": 150}
