"""Every known action, kept newest first: dedupe, merge updates, filter, page.

Pure and synchronous (no asyncio, no UI). Built for 100,000 actions: a merge
touches only what changed, the order is kept incrementally with ``bisect``,
and a filtered view is computed once per (filter, data version) and reused
for paging.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, replace

from tui.model import Action
from tui.search import ActionFilter, search_text

_SortKey = tuple[float, str]

BULK_INSERT = 256
"""Above this many new actions in one merge, sort once instead of inserting each."""


def _sort_key(action: Action) -> _SortKey:
    """Newest first, ties broken by ref so the order is total and stable."""
    return (-action.sort_time.timestamp(), action.ref)


def _narrows(previous: ActionFilter, current: ActionFilter) -> bool:
    """True when ``current`` can only keep a subset of what ``previous`` kept.

    That is the common case while typing (``ec2`` → ``ec20``): the new view is
    then filtered from the previous one instead of from every action.
    """
    if replace(previous, text=(), unknown_keys=()) != replace(current, text=(), unknown_keys=()):
        return False
    if len(current.text) < len(previous.text):
        return False
    return all(old in new for old, new in zip(previous.text, current.text, strict=False))


@dataclass(frozen=True)
class MergeResult:
    """What a merge changed."""

    added: frozenset[str]
    changed: frozenset[str]

    @property
    def any(self) -> bool:
        """True when the store is different after the merge."""
        return bool(self.added or self.changed)


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


class ActionStore:
    """All known actions by ref, with a newest-first order and cached filtered views."""

    def __init__(self) -> None:
        self._actions: dict[str, Action] = {}
        self._keys: dict[str, _SortKey] = {}
        self._order: list[_SortKey] = []
        self._texts: dict[str, str] = {}
        self._version = 0
        self._view_cache: tuple[ActionFilter, int, list[str]] | None = None
        self._all_refs: list[str] | None = None

    def __len__(self) -> int:
        return len(self._actions)

    def __contains__(self, ref: object) -> bool:
        return ref in self._actions

    @property
    def version(self) -> int:
        """Bumped on every change; views built at an older version are stale."""
        return self._version

    def get(self, ref: str) -> Action | None:
        """The action with this ref, if known."""
        return self._actions.get(ref)

    def merge(self, actions: Iterable[Action]) -> MergeResult:
        """Add new actions and replace changed ones (equal ones are ignored).

        A version without events (a Nova list entry carries none) keeps the
        events already known from a detail read, so a poll never blanks the
        timeline the user is reading; the next detail read replaces them.
        """
        added: set[str] = set()
        changed: set[str] = set()
        for action in actions:
            old = self._actions.get(action.ref)
            if old is not None and old.events and not action.events:
                action = action.model_copy(update={"events": old.events})
            if old is None:
                added.add(action.ref)
            elif old != action:
                changed.add(action.ref)
            else:
                continue
            self._remember(action)
        if len(added) > BULK_INSERT:
            self._insert_sorted(added)
        else:
            for ref in added:
                self._place(self._actions[ref])
        for ref in changed - added:
            self._place(self._actions[ref])
        if added or changed:
            self._version += 1
            self._all_refs = None
        return MergeResult(frozenset(added), frozenset(changed))

    def _remember(self, action: Action) -> None:
        self._actions[action.ref] = action
        self._texts[action.ref] = search_text(action)

    def _place(self, action: Action) -> None:
        """Put one action at its place in the order (moving it if its time changed)."""
        key = _sort_key(action)
        old_key = self._keys.get(action.ref)
        if old_key == key:
            return
        if old_key is not None:
            del self._order[bisect.bisect_left(self._order, old_key)]
        bisect.insort(self._order, key)
        self._keys[action.ref] = key

    def _insert_sorted(self, refs: set[str]) -> None:
        """Many new actions at once: one sort instead of many insertions."""
        for ref in refs:
            self._keys[ref] = _sort_key(self._actions[ref])
        self._order.extend(self._keys[ref] for ref in refs)
        self._order.sort()

    def refs(self, action_filter: ActionFilter | None = None) -> list[str]:
        """Refs of the matching actions, newest first (cached per filter and version)."""
        action_filter = action_filter or ActionFilter()
        cached = self._view_cache
        if cached and cached[0] == action_filter and cached[1] == self._version:
            return cached[2]
        if action_filter.is_empty:
            refs = self._ordered_refs()
        else:
            narrower = cached and cached[1] == self._version and _narrows(cached[0], action_filter)
            base = cached[2] if narrower and cached else self._ordered_refs()
            refs = self._filter(base, action_filter)
        self._view_cache = (action_filter, self._version, refs)
        return refs

    def _ordered_refs(self) -> list[str]:
        if self._all_refs is None:
            self._all_refs = [ref for _, ref in self._order]
        return self._all_refs

    def _filter(self, refs: list[str], action_filter: ActionFilter) -> list[str]:
        """Linear scan: free text against precomputed lower-case text, then fields."""
        texts, actions = self._texts, self._actions
        for term in action_filter.text:
            refs = [ref for ref in refs if term in texts[ref]]
        if action_filter.statuses:
            statuses = action_filter.statuses
            refs = [ref for ref in refs if actions[ref].status in statuses]
        fields = replace(action_filter, text=(), unknown_keys=(), statuses=frozenset())
        if not fields.is_empty:
            refs = [ref for ref in refs if fields.matches(actions[ref])]
        return refs

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
        """0-based position of ``ref`` in the filtered view, or None."""
        try:
            return self.refs(action_filter).index(ref)
        except ValueError:
            return None
