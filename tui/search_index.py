"""What a filter over the whole store reads, in the store's newest-first order.

A filter that keeps much of the store reads every action's search text or
status. Read through the store's dictionaries (one lookup a ref) each read is
a cache miss at a million actions, and what was kept then has to be put back
in the list's order. :class:`ScanColumns` holds each action's search text and
status in two flat lists in the order of the store's sorted refs, so such a
filter is a pass in C whose result is already in order
(:func:`scan_columns`).

Merges keep such columns up to date position for position: the store finds
where the refs that leave or move are (:func:`positions_of`) and where the
ones that enter go (:func:`insertion_points`), and makes the same edit in
its sorted list and in every column beside it (:func:`delete_at`,
:func:`insert_at`). A poll's few actions cost a few moves of memory, never a
pass over every ref; changes in place are caught up on the next read.

Pure data: no I/O, no UI, and it does not know the store's views.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress
from operator import attrgetter
from typing import TypeVar

from tui.model import Action, Status

_STATUS = attrgetter("status")
_Item = TypeVar("_Item")

SortKey = tuple[float, str]
"""The store's sort key of a ref (newest first)."""

EDIT_ONE_BY_ONE = 32
"""Up to this many refs leaving or entering a list are moved in one by one; above, it is rebuilt."""

REBUILD_ABOVE = 8
"""More than 1/``REBUILD_ABOVE`` of the order changed in place: rebuild instead (no bisections)."""


def find(refs: list[str], ref: str, key_of: Mapping[str, SortKey]) -> int | None:
    """Where ``ref`` is in ``refs`` (sorted by ``key_of``), by bisection; None when absent."""
    key = key_of.get(ref)
    if key is None:
        return None
    at = bisect.bisect_left(refs, key, key=key_of.__getitem__)
    return at if at < len(refs) and refs[at] == ref else None


def positions_of(
    refs: list[str], wanted: Iterable[str], key_of: Mapping[str, SortKey]
) -> list[int]:
    """Where the ``wanted`` refs that ``refs`` holds are, ascending (absent ones are skipped)."""
    found = (find(refs, ref, key_of) for ref in wanted)
    return sorted(at for at in found if at is not None)


def insertion_points(
    refs: list[str], new: Sequence[str], key_of: Callable[[str], SortKey]
) -> list[int]:
    """Where each of ``new`` (sorted by ``key_of``, none in ``refs``) goes in ``refs``.

    The points are positions in ``refs`` as it is, in ``new``'s order (so
    never decreasing): what :func:`insert_at` takes.
    """
    if not new:
        return []
    if not refs or key_of(refs[-1]) < key_of(new[0]):
        return [len(refs)] * len(new)  # an older window: the common case while loading
    if key_of(new[-1]) < key_of(refs[0]):
        return [0] * len(new)  # newer actions: the common case of a poll
    points: list[int] = []
    low = 0
    for ref in new:
        low = bisect.bisect_left(refs, key_of(ref), low, key=key_of)
        points.append(low)
    return points


def insert_at(column: list[_Item], points: Sequence[int], values: Sequence[_Item]) -> None:
    """Put ``values[i]`` before ``column[points[i]]`` (points of the column as it is), in place."""
    if not points:
        return
    if points[0] == len(column):
        column += values
    elif points[-1] == 0:
        column[:0] = values
    elif len(points) <= EDIT_ONE_BY_ONE:
        for at, value in zip(reversed(points), reversed(values), strict=True):
            column.insert(at, value)
    else:
        first = points[0]
        merged: list[_Item] = []
        low = first
        for at, value in zip(points, values, strict=True):
            merged += column[low:at]
            merged.append(value)
            low = at
        merged += column[low:]
        column[first:] = merged


def delete_at(column: list[_Item], positions: Sequence[int]) -> None:
    """Delete the items at ``positions`` (ascending, of the column as it is), in place."""
    if not positions:
        return
    if len(positions) <= EDIT_ONE_BY_ONE:
        for at in reversed(positions):
            del column[at]
        return
    first = positions[0]
    kept: list[_Item] = []
    low = first
    for at in positions:
        kept += column[low:at]
        low = at + 1
    kept += column[low:]
    column[first:] = kept


class ScanColumns:
    """Each action's search text and status, in the order of the store's sorted refs.

    The store makes in them every edit it makes in its order (:meth:`deleted`,
    :meth:`inserted`); changes in place are noted and caught up on the next
    read (:meth:`changed`, :meth:`read`).
    """

    __slots__ = ("_changed", "rebuilds", "statuses", "texts")

    def __init__(self) -> None:
        self.texts: list[str] = []
        """Search texts, position for position with the store's order."""
        self.statuses: list[Status] = []
        """Statuses, position for position with the store's order."""
        self._changed: set[str] = set()
        """Refs whose text or status changed in place since the last read."""
        self.rebuilds = 0
        """How many reads rebuilt every position instead of catching up (many changes in place)."""

    def deleted(self, positions: Sequence[int]) -> None:
        """The refs at ``positions`` (ascending) left the order."""
        delete_at(self.texts, positions)
        delete_at(self.statuses, positions)

    def inserted(
        self,
        points: Sequence[int],
        new: Sequence[str],
        text_of: Mapping[str, str],
        action_of: Mapping[str, Action],
    ) -> None:
        """``new`` entered the order at ``points`` (see :func:`insertion_points`)."""
        texts = list(map(text_of.__getitem__, new))
        self.inserted_values(points, texts, list(map(_STATUS, map(action_of.__getitem__, new))))

    def inserted_values(
        self, points: Sequence[int], texts: Sequence[str], statuses: Sequence[Status]
    ) -> None:
        """Refs with these texts and statuses entered the order at ``points``."""
        insert_at(self.texts, points, texts)
        insert_at(self.statuses, points, statuses)

    def changed(self, refs: Iterable[str]) -> None:
        """These refs (in the order) may read otherwise now: caught up on the next read."""
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
        if many or len(texts) != len(order) or len(statuses) != len(order):
            self.texts = list(map(text_of.__getitem__, order))
            self.statuses = list(map(_STATUS, map(action_of.__getitem__, order)))
            self._changed.clear()
            self.rebuilds += 1
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
    texts_up_to: int | None = None,
) -> tuple[list[str], list[str] | None]:
    """The refs of ``order`` whose status is in ``wanted`` (if any) and text holds every term.

    ``texts`` and ``statuses`` are the columns of ``order``, position for
    position (``statuses`` is not read when nothing is ``wanted``). Returns
    the refs kept, in ``order``'s order (a new list), and their texts beside
    them (what a narrower search can scan next): ``texts`` itself when every
    one was kept; None when more than ``texts_up_to`` were kept (then the
    last pass does not copy them at all). The statuses go first (a flat
    list of a few objects, the cheapest to read), then each term narrows
    what is left; a pass that keeps everything copies nothing.
    """
    limit = len(order) if texts_up_to is None else texts_up_to
    refs = order
    if wanted:
        flags = list(map(wanted.__contains__, statuses))
        if flags.count(True) != len(flags):
            refs = list(compress(refs, flags))
            texts = list(compress(texts, flags))
    for at, term in enumerate(terms, start=1):
        flags = [term in text for text in texts]
        kept = flags.count(True)
        if kept != len(flags):
            refs = list(compress(refs, flags))
            if at == len(terms) and kept > limit:
                return refs, None
            texts = list(compress(texts, flags))
    refs = refs[:] if refs is order else refs
    return refs, (None if len(refs) > limit else texts)
