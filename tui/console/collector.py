"""Big lists a filter builds, kept out of the garbage collector's walks.

A filter over a million actions builds lists of up to a million refs (the
new view, and the texts the next key narrows). Lists are containers, so
every young collection after it walked each of their items (50-140 ms in
the console at a million, several times before the next key), although
they hold only strings and can be in no cycle. :func:`outside_collections`
builds them with the collector paused and then freezes them
(``gc.freeze``), as the app freezes what each preload window loaded; they
are still freed, by reference counting, when the store lets them go.

What the collector had not collected yet is collected first (the young
generations: little, as everything big was frozen before), so that only
what the body made is frozen.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FREEZE_ABOVE = 50_000
"""Stores of at least this many actions build their filtered views outside collections.

Below it a view is small enough that walking it costs less than the young
collection run first."""


@contextmanager
def outside_collections(size: int) -> Iterator[None]:
    """Run the body with the collector paused, then freeze what it made (``size`` ≥ the bound).

    ``size`` is the number of actions the body may read: below
    :data:`FREEZE_ABOVE` the body runs as usual.
    """
    if size < FREEZE_ABOVE:
        yield
        return
    collecting = gc.isenabled()
    gc.collect(1)
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
