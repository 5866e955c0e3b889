"""The simulated Seeweb ECS account: every action that exists at a given clock reading.

The world is a pure function of (seed, start-up reading, clock reading). At
construction the start-up history is drawn from
``random.Random(f"{seed}:seeweb")`` around the start-up reading (the
*anchor*, ``FROZEN_EPOCH`` under the test clock): the oldest actions span
weeks, the newest few are still running; a history of more than
:data:`~tui.sim.seeweb.history.LAZY_ABOVE` actions is drawn block by block
when first read instead (:mod:`tui.sim.seeweb.history`), so a world of a
million actions starts as fast as a small one. Beyond the anchor an endless stream
of further actions arrives every 20-60 s, each drawn from its own seeded
generator (and cached), so the demo stays alive however long it runs.
Actions are numbered by creation order (the *global index*); the world pages
them newest first, filters them by resource and finds them by id. Nothing
here reads a clock or knows about HTTP; :mod:`tui.sim.seeweb.api` serves it.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from tui.sim.seeweb.history import LAZY_ABOVE, CreatedTimes, LazyHistory
from tui.sim.seeweb.plan import (
    ARRIVAL_JITTER_US,
    ARRIVAL_SLOT_US,
    FRESH_ACTIONS,
    ActionPlan,
    draw_action,
    draw_pools,
    keep_running,
    past_offsets,
)


class SeewebWorld:
    """The actions of one simulated Seeweb account; times in Unix microseconds."""

    def __init__(self, *, seed: int, anchor: int, actions: int) -> None:
        """Draw the start-up history.

        Args:
            seed: the simulator's seed.
            anchor: the clock reading at start-up (µs); history ends, arrivals begin here.
            actions: how many actions exist at start-up.
        """
        self.seed = seed
        self.actions = actions
        self._anchor = anchor
        rng = random.Random(f"{seed}:seeweb")
        self.first_id = 1000 + rng.randint(0, 999)
        """The id of the oldest action (global index 0)."""
        self._pools = draw_pools(rng)
        self._past: Sequence[ActionPlan]
        self._created: Sequence[int]
        self._lazy: LazyHistory | None = None
        self._by_resource: dict[str, list[int]] = {}
        if actions > LAZY_ABOVE:
            self._lazy = LazyHistory(seed=seed, anchor=anchor, actions=actions, pools=self._pools)
            self._past, self._created = self._lazy, CreatedTimes(self._lazy)
        else:
            self._past = self._plan_past(rng)
            self._created = [planned.created for planned in self._past]
            for index, planned in enumerate(self._past):
                self._by_resource.setdefault(planned.resource, []).append(index)
        self._future: dict[int, ActionPlan] = {}

    def _plan_past(self, rng: random.Random) -> list[ActionPlan]:
        """Every action that exists at start-up, oldest first."""
        offsets = past_offsets(rng, self.actions)
        past = [draw_action(rng, self._anchor + offset, self._pools) for offset in offsets]
        for index in range(max(0, len(past) - FRESH_ACTIONS), len(past)):
            past[index] = keep_running(past[index], self._anchor, rng)
        return past

    def _arrival(self, number: int) -> ActionPlan:
        """The ``number``-th action arriving after start-up (0-based), cached."""
        planned = self._future.get(number)
        if planned is None:
            rng = random.Random(f"{self.seed}:seeweb:{self.actions + number}")
            jitter = rng.randint(-ARRIVAL_JITTER_US, ARRIVAL_JITTER_US)
            created = self._anchor + (number + 1) * ARRIVAL_SLOT_US + jitter
            planned = self._future.setdefault(number, draw_action(rng, created, self._pools))
        return planned

    def _arrived(self, now: int) -> int:
        """How many post-start-up actions exist at ``now``."""
        if now - self._anchor < ARRIVAL_SLOT_US - ARRIVAL_JITTER_US:
            return 0
        count = (now - self._anchor) // ARRIVAL_SLOT_US
        while count > 0 and self._arrival(count - 1).created > now:
            count -= 1
        while self._arrival(count).created <= now:
            count += 1
        return count

    def planned(self, index: int) -> ActionPlan:
        """The action at global creation index ``index``."""
        if index < self.actions:
            return self._past[index]
        return self._arrival(index - self.actions)

    def _existing(self, now: int) -> tuple[int, int]:
        """(past actions created by ``now``, arrivals by ``now``)."""
        if now >= self._anchor:  # the whole history is older than the anchor
            return self.actions, self._arrived(now)
        return bisect_right(self._created, now), self._arrived(now)

    def _on_resource(self, resource: str) -> Sequence[int]:
        """Global indices of the history's actions on ``resource``, oldest first."""
        if self._lazy is not None:
            return self._lazy.by_resource(resource)
        return self._by_resource.get(resource, [])

    def _matching(self, resource: str, now: int) -> list[int]:
        """Global indices of the actions on ``resource`` existing at ``now``, newest first."""
        past_count, arrived = self._existing(now)
        indices = self._on_resource(resource)
        past = indices[: bisect_left(indices, past_count)]
        future = [
            self.actions + number
            for number in range(arrived)
            if self._arrival(number).resource == resource
        ]
        return [*future[::-1], *past[::-1]]

    def window(
        self, now: int, start: int, length: int, resource: str | None
    ) -> tuple[list[int], int]:
        """Global indices of one newest-first page, and how many actions match."""
        if resource:
            matching = self._matching(resource, now)
            return matching[start : start + length], len(matching)
        past_count, arrived = self._existing(now)
        top = self.actions + arrived - 1 if arrived else past_count - 1
        first = top - start
        return list(range(first, max(first - length, -1), -1)), past_count + arrived

    def index_of(self, text: str, now: int) -> int | None:
        """The global index of an action id that exists at ``now``."""
        if not (text.isascii() and text.isdigit()):
            return None
        index = int(text) - self.first_id
        if index < 0:
            return None
        if index < self.actions:
            return index if self._past[index].created <= now else None
        number = index - self.actions
        earliest = self._anchor + (number + 1) * ARRIVAL_SLOT_US - ARRIVAL_JITTER_US
        if earliest > now or self._arrival(number).created > now:
            return None
        return index
