"""What a filter over the whole store reads, in the store's newest-first order.

A filter that keeps much of the store reads every action's search text or
status. Read through the store's dictionaries (one lookup a ref) each read is
a cache miss at a million actions, and what was kept then has to be put back
in the list's order. :class:`ScanColumns` holds each action's search text and
status in two flat lists in the order of the store's sorted refs, so such a
filter is a pass in C whose result is already in order
(:func:`scan_columns`). Merges keep the columns up to date with what they
brought: actions added at either end of the order (an older window, newer
actions) or near its end, or changed in place, cost what they are; actions
added deep in the middle, or moved, rebuild the columns once, on the next
read.

Pure data: no I/O, no UI, and it does not know the store's views.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress, repeat
from operator import attrgetter, contains

from tui.model import Action, Status

_STATUS = attrgetter("status")

SortKey = tuple[float, str]
"""The store's sort key of a ref (newest first)."""

SPLICE_TAIL = 8
"""Refs entering the middle are spliced in when at most this many times their number follow."""

REBUILD_ABOVE = 8
"""More than 1/``REBUILD_ABOVE`` of the order changed in place: rebuild instead (no bisections)."""


class ScanColumns:
    """Each action's search text and status, in the order of the store's sorted refs.

    A merge tells what it did: refs entering at either end of the order (an
    older window, newer actions) or near its end are put in at once, while
    their texts are still in the processor's caches (:meth:`entered`);
    changes in place are noted and caught up on the next read
    (:meth:`changed`, :meth:`read`); refs entering deep in the middle, or
    moving, rebuild the columns from the order on the next read
    (:meth:`stale`).
    """

    __slots__ = ("_changed", "_stale", "statuses", "texts")

    def __init__(self) -> None:
        self.texts: list[str] = []
        """Search texts, position for position with the store's order."""
        self.statuses: list[Status] = []
        """Statuses, position for position with the store's order."""
        self._changed: set[str] = set()
        """Refs whose text or status changed in place since the last read."""
        self._stale = False

    @property
    def behind(self) -> bool:
        """True when the next read rebuilds every position instead of catching up."""
        return self._stale

    def stale(self) -> None:
        """A ref left the order or moved in it: rebuild on the next read."""
        self._stale = True
        self._changed.clear()

    def entered(
        self,
        order: list[str],
        new: list[str],
        key_of: Callable[[str], SortKey],
        text_of: Mapping[str, str],
        action_of: Mapping[str, Action],
    ) -> None:
        """``new`` (sorted as ``order`` is; none there before) were just put into ``order``."""
        count = len(new)
        if self._stale or not count:
            return
        if len(order) != len(self.texts) + count:
            self.stale()
            return
        texts = map(text_of.__getitem__, new)
        statuses = map(_STATUS, map(action_of.__getitem__, new))
        if order[-count:] == new:  # an older window: the common case while loading
            self.texts += texts
            self.statuses += statuses
        elif order[:count] == new:  # newer actions: the common case of a poll
            self.texts[:0] = texts
            self.statuses[:0] = statuses
        else:  # between: near the end while several backends load at once
            first = bisect.bisect_left(order, key_of(new[0]), key=key_of)
            if len(order) - first > SPLICE_TAIL * count:
                self.stale()
                return
            self._splice(order, first, set(new), text_of, action_of)

    def _splice(
        self,
        order: list[str],
        first: int,
        new: set[str],
        text_of: Mapping[str, str],
        action_of: Mapping[str, Action],
    ) -> None:
        """Redo the columns from position ``first`` on, taking the ``new`` refs' from the maps."""
        old_texts, old_statuses = iter(self.texts[first:]), iter(self.statuses[first:])
        del self.texts[first:], self.statuses[first:]
        texts, statuses = self.texts, self.statuses
        for ref in order[first:]:
            if ref in new:
                texts.append(text_of[ref])
                statuses.append(action_of[ref].status)
            else:
                texts.append(next(old_texts))
                statuses.append(next(old_statuses))

    def changed(self, refs: Iterable[str]) -> None:
        """These refs (already in the order, at the same place) read otherwise now."""
        if not self._stale:
            self._changed.update(refs)

    def read(
        self,
        order: Sequence[str],
        position_of: Callable[[str], int | None],
        text_of: Mapping[str, str],
        action_of: Mapping[str, Action],
    ) -> tuple[list[str], list[Status]]:
        """The columns for ``order``, brought up to date first."""
        texts, statuses = self.texts, self.statuses
        many = len(self._changed) * REBUILD_ABOVE > len(order)
        if self._stale or many or len(texts) != len(order):
            self.texts = list(map(text_of.__getitem__, order))
            self.statuses = list(map(_STATUS, map(action_of.__getitem__, order)))
            self._changed.clear()
            self._stale = False
            return self.texts, self.statuses
        for ref in self._changed:
            at = position_of(ref)
            if at is not None:
                texts[at] = text_of[ref]
                statuses[at] = action_of[ref].status
        self._changed.clear()
        return texts, statuses


def scan_columns(
    order: list[str],
    texts: list[str],
    statuses: list[Status],
    terms: Sequence[str],
    wanted: frozenset[Status],
) -> tuple[list[str], list[str]]:
    """The refs of ``order`` whose status is in ``wanted`` (if any) and text holds every term.

    ``texts`` and ``statuses`` are the columns of ``order``, position for
    position (``statuses`` is not read when nothing is ``wanted``). Returns
    the refs kept, in ``order``'s order, and their texts beside them (what a
    narrower search can scan next). The statuses go first (a flat list of a
    few objects, the cheapest to read), then each term narrows what is left.
    """
    refs = order
    if wanted:
        flags = list(map(wanted.__contains__, statuses))
        refs = list(compress(refs, flags))
        texts = list(compress(texts, flags))
    for term in terms:
        flags = list(map(contains, texts, repeat(term)))
        refs = list(compress(refs, flags))
        texts = list(compress(texts, flags))
    return (list(refs) if refs is order else refs), texts
