"""The start-up history of a big simulated Seeweb account, drawn block by block on demand.

A small history is drawn at once from one random stream
(:class:`~tui.sim.seeweb.world.SeewebWorld`); above :data:`LAZY_ABOVE`
actions that would make start-up wait for the whole world (about 1 s per
10,000 actions). Here the history is cut, newest first, into blocks of
:data:`BLOCK` actions, each drawn from its own generator
(``random.Random(f"{seed}:seeweb:block:{n}")``) only when something reads it,
and kept in a small cache (memory stays bounded; a block drawn again is the
same). Block 0, the newest, is drawn at once: its first actions are seconds
old and the newest few still running, as in a small world. Every older block
spans exactly :data:`BLOCK_SPAN_US`, so where a block starts is known without
drawing the ones before it; inside a block the gaps between actions are
drawn as in a small world and scaled to fill that span.

Still a pure function of (seed, anchor, size). Nothing here reads a clock
or knows about HTTP.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import random
import threading
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from typing import overload

from tui.sim.seeweb.plan import (
    FRESH_ACTIONS,
    SECOND,
    ActionPlan,
    Pools,
    draw_action,
    keep_running,
    past_offsets,
)

LAZY_ABOVE = 20_000
"""Histories up to this size are drawn at once (and stay as they always were)."""

BLOCK = 1_000
"""Actions per block."""

MEAN_GAP_US = (20 + 1_800) * SECOND
"""The mean gap between two older actions (see :func:`~tui.sim.seeweb.plan.past_offsets`)."""

BLOCK_SPAN_US = BLOCK * MEAN_GAP_US
"""How long every block but the newest spans."""

BLOCKS_CACHED = 64
"""Blocks kept drawn (64,000 actions, about 15 MB)."""

SEARCHES_CACHED = 16
"""Resource searches whose answer is kept (the history never changes)."""


class LazyHistory(Sequence[ActionPlan]):
    """The start-up history, oldest first (index = global creation index); thread-safe."""

    def __init__(self, *, seed: int, anchor: int, actions: int, pools: Pools) -> None:
        self._seed = seed
        self._anchor = anchor
        self._actions = actions
        self._pools = pools
        self._lock = threading.Lock()
        self._cache: OrderedDict[int, list[ActionPlan]] = OrderedDict()
        self._newest = self._draw(0, anchor)
        self._edge = self._newest[-1].created - anchor if self._newest else 0
        """Offset (µs, negative) of the oldest action of block 0: where block 1 starts."""
        self._blocks = (actions + BLOCK - 1) // BLOCK
        self._drawn = bytearray(self._blocks)
        self._codes = array("I", bytes(4 * actions))
        """A small integer per action naming its resource (:meth:`by_resource`)."""
        self._code_of: dict[str, int] = {}
        self._found: dict[str, array[int]] = {}
        self._record(0, self._newest)
        self._last: tuple[int, list[ActionPlan]] = (0, self._newest)
        """The block read last (one tuple, swapped whole: safe to read from any thread)."""

    def __len__(self) -> int:
        return self._actions

    @overload
    def __getitem__(self, index: int) -> ActionPlan: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ActionPlan]: ...
    def __getitem__(self, index: int | slice) -> ActionPlan | Sequence[ActionPlan]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._actions))]
        if index < 0:
            index += self._actions
        if not 0 <= index < self._actions:
            raise IndexError(index)
        number, offset = divmod(self._actions - 1 - index, BLOCK)
        last = self._last
        if last[0] != number:  # a page reads a thousand actions of one or two blocks
            last = self._last = (number, self._block(number))
        return last[1][offset]

    def by_resource(self, resource: str) -> Sequence[int]:
        """Global indices of the history's actions on ``resource``, oldest first.

        Every block drawn so far has recorded the resource of each of its
        actions (a small integer per action); the first search draws the
        blocks never read yet (seconds for a million actions, nothing once a
        client has paged through them all), each later one scans the codes.
        """
        for number in range(self._blocks):
            if not self._drawn[number]:
                self._block(number)
        with self._lock:
            found = self._found.get(resource)
            if found is not None:
                return found
            code = self._code_of.get(resource)
        codes = self._codes
        found = array("q") if code is None else array("q", _positions(codes, code))
        with self._lock:
            self._found[resource] = found
            while len(self._found) > SEARCHES_CACHED:
                del self._found[next(iter(self._found))]
        return found

    def _block(self, number: int) -> list[ActionPlan]:
        """Block ``number`` (0: the newest), newest action first."""
        if number == 0:
            return self._newest
        with self._lock:
            plans = self._cache.get(number)
            if plans is not None:
                self._cache.move_to_end(number)
                return plans
        plans = self._draw(number, self._anchor + self._edge - (number - 1) * BLOCK_SPAN_US)
        with self._lock:
            self._cache[number] = plans
            if not self._drawn[number]:
                self._record(number, plans)
            while len(self._cache) > BLOCKS_CACHED:
                self._cache.popitem(last=False)
        return plans

    def _record(self, number: int, plans: list[ActionPlan]) -> None:
        """Note the resource of every action of block ``number`` (under the lock)."""
        codes, code_of = self._codes, self._code_of
        top = self._actions - 1 - number * BLOCK
        for offset, planned in enumerate(plans):
            code = code_of.get(planned.resource)
            if code is None:
                code = code_of[planned.resource] = len(code_of) + 1
            codes[top - offset] = code
        self._drawn[number] = 1

    def _draw(self, number: int, top: int) -> list[ActionPlan]:
        """Draw block ``number``, whose newest action is created before ``top``."""
        rng = random.Random(f"{self._seed}:seeweb:block:{number}")
        count = min(BLOCK, self._actions - number * BLOCK)
        if number == 0:
            created = [self._anchor + offset for offset in reversed(past_offsets(rng, count))]
        else:
            gaps = [20 + rng.expovariate(1 / 1_800) for _ in range(count)]
            scale = BLOCK_SPAN_US / sum(gaps) if count == BLOCK else SECOND
            created, when = [], top
            for gap in gaps:
                when -= int(gap * scale)
                created.append(when)
        plans = [draw_action(rng, when, self._pools) for when in created]
        if number == 0:
            for rank in range(min(FRESH_ACTIONS, count)):
                plans[rank] = keep_running(plans[rank], self._anchor, rng)
        return plans


def _positions(codes: array[int], code: int) -> list[int]:
    """Where ``code`` occurs in ``codes``, in order."""
    return [index for index, value in enumerate(codes) if value == code]


class CreatedTimes(Sequence[int]):
    """The creation times of a :class:`LazyHistory`, as a sequence ``bisect`` can search."""

    def __init__(self, history: LazyHistory) -> None:
        self._history = history

    def __len__(self) -> int:
        return len(self._history)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [plan.created for plan in self._history[index]]
        return self._history[index].created
