"""Every known action, kept newest first: dedupe, merge updates, filter, page.

Pure and synchronous (no asyncio, no UI). Built for a million actions:

* the order is a sorted list of ``(-time, ref)`` keys, kept with ``bisect``;
  a merge touches only what changed (a window older than everything is
  appended, others are spliced in one pass);
* a filtered view is a sorted list of the same keys, kept up to date by every
  merge (the new and changed actions are filtered, not the whole store), so
  the page the console shows after a poll costs what the poll brought;
* typing that narrows a filter (``ec2`` → ``ec20``) filters the current view,
  not every action; a filter over most of the store reads every search text
  (or status) in C, from flat columns kept in the newest-first order
  (:mod:`tui.search_index`), not one dictionary lookup a ref, so what it
  keeps is already in the view's order, and a view of at most half the
  store keeps the texts it read for the next key to narrow (the kept scan);
* merges edit the order, its columns, every kept view and the kept scan
  position for position (what a poll brings, where it goes), never
  dropping or rebuilding them;
* ``ref → position`` is a bisection on the ref's key, never a scan.

Nothing here does I/O or knows about widgets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from operator import attrgetter, itemgetter
from typing import overload

from tui.model import Action, Status
from tui.search import ActionFilter, FlagsOf, search_text
from tui.search_index import (
    ScanColumns,
    delete_at,
    find,
    insert_at,
    insertion_points,
    positions_of,
    scan_columns,
)

_SortKey = tuple[float, str]

KEEP_TEXTS_BELOW = 2
"""A view keeps the texts it scanned (for the next key) only when it holds at most
1/``KEEP_TEXTS_BELOW`` of the store.

Copying a view's texts touches each of them (and freeing them later, again),
which at a million actions, the texts all over memory, costs more than the
next key scanning the store's own columns instead of the view's texts (a
view that big scans the store anyway: see :data:`SCAN_ABOVE`)."""

VIEWS_KEPT = 4
"""Filtered views kept up to date by merges (the current one and the few before it)."""

SCAN_ABOVE = 2
"""A filter whose base view holds more than 1/``SCAN_ABOVE`` of the store scans the store.

At a million actions, reading every search text in C (in the store's own
order) costs 150-250 ms, filtering them one dictionary lookup a ref
350-570 ms: the scan wins from about half the store. At 100,000 the two
cost the same (the tables fit in the processor's caches)."""


def _sort_key(action: Action) -> _SortKey:
    """Newest first, ties broken by ref so the order is total and stable."""
    return (-action.sort_time.timestamp(), action.ref)


_ref_of = attrgetter("ref")
_ref_of_key = itemgetter(1)
_status_of = attrgetter("status")


def _narrows(previous: ActionFilter, current: ActionFilter) -> bool:
    """True when ``current`` can only keep a subset of what ``previous`` kept.

    That is the common case while typing (``ec2`` → ``ec20``): the new view is
    then filtered from the previous one instead of from every action.
    """
    if replace(previous, text=(), unknown_keys=(), unknown_flags=()) != replace(
        current, text=(), unknown_keys=(), unknown_flags=()
    ):
        return False
    if len(current.text) < len(previous.text):
        return False
    return all(old in new for old, new in zip(previous.text, current.text, strict=False))


class MergeResult:
    """What a merge changed: an immutable value whose sets are built when first read.

    A preload's slice of new actions and the slices told to the screen
    together (:meth:`joined`) are read mostly in order, or only asked
    whether they changed anything: building their sets of refs up front
    cost a pass over every ref each time, in the merge and again when
    gathering them for the screen.
    """

    __slots__ = ("_added", "_changed", "_order", "_parts")

    def __init__(
        self, added: frozenset[str], changed: frozenset[str], order: tuple[str, ...] = ()
    ) -> None:
        self._added: frozenset[str] | None = added
        """None: every ref of ``_order`` (:meth:`of_new`), made into a set when read."""
        self._changed = changed
        self._order = order
        self._parts: tuple[MergeResult, ...] = ()
        """What :meth:`joined` joins, until it is read (then empty)."""

    @classmethod
    def of_new(cls, order: tuple[str, ...]) -> MergeResult:
        """A merge that only added ``order`` (every ref once, in the order merged)."""
        result = cls(frozenset(), frozenset(), order)
        result._added = None
        return result

    @classmethod
    def joined(cls, parts: Iterable[MergeResult]) -> MergeResult:
        """What ``parts``, merged one after the other, changed together.

        Each ref is listed once, where first met; one that a part added and a
        later one changed counts as added. Worked out when first read.
        """
        result = cls(frozenset(), frozenset())
        result._parts = tuple(parts)
        return result

    def _join(self) -> None:
        """Work out the sets and order of the :meth:`joined` parts, once."""
        parts, self._parts = self._parts, ()
        added = frozenset().union(*(part.added for part in parts))
        changed = frozenset().union(*(part.changed for part in parts))
        order = dict.fromkeys(chain.from_iterable(part.in_order for part in parts))
        self._added, self._changed, self._order = added, changed - added, tuple(order)

    @property
    def added(self) -> frozenset[str]:
        """The refs the merge added."""
        if self._parts:
            self._join()
        if self._added is None:
            self._added = frozenset(self._order)
        return self._added

    @property
    def changed(self) -> frozenset[str]:
        """The refs known before that the merge replaced."""
        if self._parts:
            self._join()
        return self._changed

    @property
    def order(self) -> tuple[str, ...]:
        """Every ref of ``added`` and ``changed`` once, in the order merged (empty: not known)."""
        if self._parts:
            self._join()
        return self._order

    @property
    def any(self) -> bool:
        """True when the store is different after the merge (the sets are not built for it)."""
        if self._parts:
            return any(part.any for part in self._parts)
        return bool(self._order or self._added or self._changed)

    @property
    def in_order(self) -> Sequence[str]:
        """Every ref added or changed, in the order merged when known.

        Reading thousands of actions back in that order (the order they were
        made in) is about twice as fast as in a set's order, which jumps about
        in memory.
        """
        return self.order or tuple(self.added | self.changed)

    @property
    def added_in_order(self) -> Sequence[str]:
        """The refs of ``added``, in the order merged when known (see :attr:`in_order`)."""
        if self._added is None:  # of_new: every ref it lists is new
            return self._order
        if not self.order:
            return tuple(self.added)
        if not self.changed:  # a preload window: every ref it lists is new
            return self.order
        added = self.added
        return [ref for ref in self.order if ref in added]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MergeResult):
            return NotImplemented
        return (self.added, self.changed, self.order) == (other.added, other.changed, other.order)

    def __hash__(self) -> int:
        return hash((self.added, self.changed, self.order))

    def __repr__(self) -> str:
        return f"MergeResult({set(self.added)!r}, {set(self.changed)!r}, {self.order!r})"


@dataclass(frozen=True)
class Page:
    """One page of a filtered view."""

    actions: list[Action]
    index: int
    """0-based page number (clamped into range)."""
    size: int
    total: int
    """How many actions match the filter."""

    @property
    def first(self) -> int:
        """1-based position of the first row (0 when empty)."""
        return self.index * self.size + 1 if self.actions else 0

    @property
    def last(self) -> int:
        """1-based position of the last row (0 when empty)."""
        return self.index * self.size + len(self.actions)

    @property
    def count(self) -> int:
        """How many pages the filtered view has (at least 1)."""
        return max(1, -(-self.total // self.size))


class RefView(Sequence[str]):
    """The refs of one filtered view, newest first, sorted by the store's keys.

    A view the store keeps follows every merge (it is the same object,
    re-read after a merge); ``index`` and ``in`` are bisections on the ref's
    sort key, never scans. A view the store stopped keeping (another filter
    took its place) stays as it was and answers by scanning.
    """

    __slots__ = ("_key_of", "_refs", "_texts", "live")

    def __init__(self, refs: list[str], key_of: dict[str, _SortKey]) -> None:
        self._refs = refs
        self._key_of = key_of
        self._texts: list[str] | None = None
        """The kept scan: the search texts of ``_refs``, position for position.

        One view at most has them (the last scanned, or narrowed from such a one)."""
        self.live = True
        """False once the store no longer updates this view."""

    def __len__(self) -> int:
        return len(self._refs)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self._refs[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._refs)

    def __contains__(self, ref: object) -> bool:
        return isinstance(ref, str) and self.position(ref) is not None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RefView):
            return self._refs == other._refs
        if isinstance(other, list):
            return self._refs == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RefView({len(self)} refs)"

    def index(self, value: object, start: int = 0, stop: int | None = None) -> int:
        """Where ``value`` is (raises ``ValueError`` when it is not there)."""
        at = self.position(value) if isinstance(value, str) else None
        if at is None or at < start or (stop is not None and at >= stop):
            raise ValueError(f"{value!r} is not in the view")
        return at

    def position(self, ref: str) -> int | None:
        """0-based position of ``ref``, or None."""
        at = find(self._refs, ref, self._key_of)
        if at is not None or self.live:
            return at
        return next((at for at, known in enumerate(self._refs) if known == ref), None)


def _enter(refs: list[str], new: list[str], key_of: dict[str, _SortKey]) -> list[int]:
    """Sort ``new`` and insert it into ``refs`` (sorted by ``key_of``); return its points."""
    key = key_of.__getitem__
    new.sort(key=key)
    points = insertion_points(refs, new, key)
    insert_at(refs, points, new)
    return points


def _new_terms(previous: ActionFilter, current: ActionFilter) -> tuple[str, ...]:
    """The terms of ``current`` (which narrows ``previous``) that ``previous`` did not match."""
    old = previous.text
    return tuple(t for at, t in enumerate(current.text) if at >= len(old) or old[at] != t)


_NONE: frozenset[Status] = frozenset()


def _view_key(action_filter: ActionFilter) -> ActionFilter:
    """Filters that keep the same actions share one view."""
    return replace(action_filter, unknown_keys=(), unknown_flags=())


def _fields_only(action_filter: ActionFilter) -> ActionFilter:
    """The filter without its free text (matched against the precomputed text instead)."""
    return replace(action_filter, text=(), unknown_keys=(), unknown_flags=())


class ActionStore:
    """All known actions by ref, with a newest-first order and kept filtered views."""

    def __init__(self, flags_of: FlagsOf | None = None) -> None:
        """``flags_of`` gives an action's ``is:`` marks (without it ``is:`` keeps nothing)."""
        self._flags_of = flags_of
        self._actions: dict[str, Action] = {}
        self._keys: dict[str, _SortKey] = {}
        self._texts: dict[str, str] = {}
        self._version = 0
        self._all = RefView([], self._keys)
        self._columns = ScanColumns()
        """Search texts and statuses in the order of ``_all`` (what a scan reads)."""
        self._views: dict[ActionFilter, RefView] = {}
        """Kept filtered views, least recently used first.

        The last one scanned (or narrowed from such a one) keeps the texts
        it read (:attr:`RefView._texts`) when it holds at most half the
        store (:data:`KEEP_TEXTS_BELOW`): typing narrows it (``ec2`` →
        ``ec20``) by scanning those texts, not one lookup a ref; merges keep
        them up to date as they do the view."""
        self._let_go: list[object] = []
        """Views and kept scans the store stopped using, not freed yet (see :meth:`release`)."""

    def __len__(self) -> int:
        return len(self._actions)

    def __contains__(self, ref: object) -> bool:
        return ref in self._actions

    @property
    def version(self) -> int:
        """Bumped on every change."""
        return self._version

    def get(self, ref: str) -> Action | None:
        """The action with this ref, if known."""
        return self._actions.get(ref)

    def get_all(self, refs: Iterable[str]) -> list[Action]:
        """The known actions of ``refs``, in their order (one pass in C: a preload's thousands)."""
        return list(filter(None, map(self._actions.get, refs)))

    def merge(self, actions: Iterable[Action]) -> MergeResult:
        """Add new actions and replace changed ones (equal ones are ignored).

        A version without events (a Nova list entry carries none) keeps the
        events already known from a detail read, so a poll never blanks the
        timeline the user is reading; the next detail read replaces them.
        Every kept view is updated with what changed, not recomputed.
        """
        batch = actions if type(actions) is list else list(actions)
        met = list(map(_ref_of, batch))
        known = self._actions
        if not met:
            return MergeResult(frozenset(), frozenset())
        if len(set(met)) == len(met) and known.keys().isdisjoint(met):  # all new (a preload's)
            return self._merge_new(batch, met)
        added: set[str] = set()
        changed: set[str] = set()
        texts_changed = False  # a known action reads or stands otherwise: a scan is out of date
        new_keys: dict[str, _SortKey] = {}  # the touched refs, first met first: their new keys
        for action in batch:
            ref = action.ref
            old = known.get(ref)
            if old is not None and old.events and not action.events:
                action = replace(action, events=old.events)
            if old is None:
                added.add(ref)
            elif old != action:
                changed.add(ref)
            else:
                continue
            known[ref] = action
            text = search_text(action)
            if old is not None and (old.status is not action.status or self._texts[ref] != text):
                texts_changed = True
            self._texts[ref] = text
            new_keys[ref] = _sort_key(action)
        if not new_keys:
            return MergeResult(frozenset(), frozenset())
        touched = new_keys.keys()
        if changed:
            moved = [ref for ref, key in new_keys.items() if self._keys.get(ref) != key]
        else:  # only new actions (a preload window): each has no key yet
            moved = list(touched)
        order = self._all._refs
        if len(moved) != len(added):  # a moved ref known before leaves at its old key
            gone = positions_of(order, [ref for ref in moved if ref in changed], self._keys)
            delete_at(order, gone)
            self._columns.deleted(gone)
        moving = set(moved) if changed else set()
        views = list(self._views.items())
        entering = [self._leave(view, f, touched, moving) for f, view in views]
        self._keys.update(new_keys)
        points = _enter(order, moved, self._keys)
        self._columns.inserted(points, moved, self._texts, self._actions)
        if texts_changed:
            self._columns.changed(changed)
        for (_, view), refs in zip(views, entering, strict=True):
            self._enter_view(view, refs)
        self._version += 1
        return MergeResult(frozenset(added), frozenset(changed), tuple(touched))

    def _merge_new(self, batch: list[Action], refs: list[str]) -> MergeResult:
        """Merge actions none of which is known (a preload's): what :meth:`merge` does.

        The search texts and sort keys are made one pass each over the batch
        (a Python function each: in CPython 3.11 its attribute reads cost less
        than ``attrgetter``'s, by callgrind); a batch already newest first (as
        a backend lists it) enters the order and its columns as it is, not
        read back one lookup a ref; no set of its refs is built (see
        :class:`MergeResult`).
        """
        keys = list(map(_sort_key, batch))
        texts = list(map(search_text, batch))
        self._actions.update(zip(refs, batch, strict=True))
        self._texts.update(zip(refs, texts, strict=True))
        self._keys.update(zip(refs, keys, strict=True))
        ordered = sorted(keys)  # the keys end in their ref: no two are equal
        if ordered == keys:
            placed, statuses = refs, list(map(_status_of, batch))
        else:
            placed = list(map(_ref_of_key, ordered))
            texts = list(map(self._texts.__getitem__, placed))
            statuses = list(map(_status_of, map(self._actions.__getitem__, placed)))
        order = self._all._refs
        points = insertion_points(order, placed, self._keys.__getitem__)
        insert_at(order, points, placed)
        self._columns.inserted_values(points, texts, statuses)
        for action_filter, view in self._views.items():
            self._enter_view(view, [ref for ref in placed if self._keeps(ref, action_filter)])
        self._version += 1
        return MergeResult.of_new(tuple(refs))

    def _enter_view(self, view: RefView, refs: list[str]) -> None:
        """Put ``refs`` (each kept by the view's filter) into ``view``, and into its kept scan."""
        points = _enter(view._refs, refs, self._keys)
        if view._texts is not None:
            insert_at(view._texts, points, list(map(self._texts.__getitem__, refs)))

    def _leave(
        self,
        view: RefView,
        action_filter: ActionFilter,
        touched: Iterable[str],
        moving: set[str],
    ) -> list[str]:
        """Take out of one filtered view what left it or moved; return what must enter it.

        A ref that stays where it is but reads otherwise is read again into
        the view's kept scan, if it has one.
        """
        refs, texts, keys = view._refs, view._texts, self._keys
        gone: list[int] = []
        come: list[str] = []
        for ref in touched:
            at = find(refs, ref, keys)
            keep = self._keeps(ref, action_filter)
            if at is not None and (not keep or ref in moving):
                gone.append(at)
            elif at is not None and texts is not None:
                texts[at] = self._texts[ref]
            if keep and (at is None or ref in moving):
                come.append(ref)
        gone.sort()
        delete_at(refs, gone)
        if texts is not None:
            delete_at(texts, gone)
        return come

    def _keeps(self, ref: str, action_filter: ActionFilter) -> bool:
        """The filter applied to one action (the same rules as :meth:`_filter`)."""
        text = self._texts[ref]
        if not all(term in text for term in action_filter.text):
            return False
        return _fields_only(action_filter).matches(self._actions[ref], self._flags_of)

    def flags_changed(self) -> None:
        """The marks ``flags_of`` gives have changed: views filtered on them are redone."""
        for action_filter in [f for f in self._views if f.flags]:
            self._views.pop(action_filter).live = False

    def refs(self, action_filter: ActionFilter | None = None) -> RefView:
        """Refs of the matching actions, newest first (a kept view: see :class:`RefView`).

        The views and kept scans a new view replaces are let go, not freed
        here: see :meth:`release`.
        """
        if action_filter is None or action_filter.is_empty:
            return self._all
        wanted = _view_key(action_filter)
        view = self._views.pop(wanted, None)
        if view is None:
            self.release()  # what the previous one let go, if nobody freed it yet
            refs, texts = self._compute(wanted)
            view = RefView(refs, self._keys)
            if texts is not None:  # the kept scan moves to the new view
                for other in self._views.values():
                    if other._texts is not None and other._texts is not texts:
                        self._let_go.append(other._texts)
                    other._texts = None
                view._texts = texts
        self._views[wanted] = view
        while len(self._views) > VIEWS_KEPT:
            dropped = self._views.pop(next(iter(self._views)))
            dropped.live = False
            self._let_go.append(dropped)
        return view

    def release(self) -> None:
        """Free the views and kept scans the store stopped using.

        Freeing a list of a million refs touches each of them (tens of
        milliseconds at a million actions, the refs being all over memory),
        so a new view only lets go of what it replaces: the caller frees it
        here once what the new view shows is drawn. Whatever is still held
        when the next view is computed is freed then, so at most one
        keystroke's lists wait.
        """
        self._let_go.clear()

    def _compute(self, wanted: ActionFilter) -> tuple[list[str], list[str] | None]:
        """A new view (and its texts, when scanned): narrowed from a kept one, or scanned."""
        base_filter, base = self._narrowest_base(wanted)
        if base_filter is not None and base is not None and base._texts is not None:
            terms = _new_terms(base_filter, wanted)
            return scan_columns(base._refs, base._texts, [], terms, _NONE, self._texts_up_to())
        refs = self._all._refs if base is None else base._refs
        if len(refs) * SCAN_ABOVE > len(self._all) and (wanted.text or wanted.statuses):
            return self._scan(wanted)
        return self._filter(refs, wanted), None

    def _narrowest_base(
        self, action_filter: ActionFilter
    ) -> tuple[ActionFilter | None, RefView | None]:
        """The smallest kept view that holds everything ``action_filter`` keeps, and its filter."""
        bases = [(f, v) for f, v in self._views.items() if _narrows(f, action_filter)]
        return min(bases, key=lambda base: len(base[1]), default=(None, None))

    def _filter(self, refs: list[str], action_filter: ActionFilter) -> list[str]:
        """Linear scan: free text against precomputed lower-case text, then fields."""
        texts, actions = self._texts, self._actions
        for term in action_filter.text:
            refs = [ref for ref in refs if term in texts[ref]]
        if action_filter.statuses:
            statuses = action_filter.statuses
            refs = [ref for ref in refs if actions[ref].status in statuses]
        fields = replace(_fields_only(action_filter), statuses=frozenset())
        if not fields.is_empty:
            refs = [ref for ref in refs if fields.matches(actions[ref], self._flags_of)]
        return list(refs) if refs is self._all._refs else refs

    def _scan(self, action_filter: ActionFilter) -> tuple[list[str], list[str] | None]:
        """The whole store filtered, newest first, for a filter that keeps much of it.

        The statuses and every free-text term are matched in C against the
        columns kept in the store's order (:func:`~tui.search_index.scan_columns`),
        so what they keep is in the view's order already; the rest of the
        filter runs on that (see :meth:`_filter`).
        """
        order = self._all._refs
        texts, statuses = self._columns.read(order, self._all.position, self._texts, self._actions)
        kept, kept_texts = scan_columns(
            order, texts, statuses, action_filter.text, action_filter.statuses, self._texts_up_to()
        )
        rest = replace(action_filter, text=(), statuses=frozenset())
        if not _view_key(rest).is_empty:
            return self._filter(kept, rest), None
        return kept, (kept_texts[:] if kept_texts is texts else kept_texts)

    def _texts_up_to(self) -> int:
        """The most refs a new view keeps its scanned texts for (see :data:`KEEP_TEXTS_BELOW`)."""
        return len(self._all) // KEEP_TEXTS_BELOW

    def actions(self, action_filter: ActionFilter | None = None) -> list[Action]:
        """The matching actions, newest first."""
        return [self._actions[ref] for ref in self.refs(action_filter)]

    def page(self, index: int, size: int, action_filter: ActionFilter | None = None) -> Page:
        """One page of the filtered view; ``index`` is clamped into range."""
        size = max(1, size)
        refs = self.refs(action_filter)
        last_index = max(0, (len(refs) - 1) // size)
        index = min(max(0, index), last_index)
        window = refs[index * size : (index + 1) * size]
        return Page([self._actions[ref] for ref in window], index, size, len(refs))

    def position(self, ref: str, action_filter: ActionFilter | None = None) -> int | None:
        """0-based position of ``ref`` in the filtered view, or None (a bisection)."""
        return self.refs(action_filter).position(ref)
