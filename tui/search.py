"""The search language of the console and the CLI: free text plus ``key:value`` tokens.

``web status:failed backend:prod`` keeps the actions whose resource, id or name
contains ``web``, whose status is ``failed`` and whose backend is ``prod``;
``is:new`` keeps those that ended since the previous run (the caller says
when that was), ``is:history`` those read from the journal that no backend
has sent again, and ``is:watched``/``is:stuck`` those the caller marks so.
Pure functions only; no I/O, no UI.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime

from tui.model import Action, Status

FILTER_KEYS = ("status", "backend", "type", "user", "resource", "name", "is")
"""Keys accepted in ``key:value`` tokens (``type`` and ``name`` are the same)."""

FLAGS = ("watched", "stuck", "new", "history")
"""Values of ``is:`` tokens. ``new`` (ended after the filter's ``ended_after``) and
``history`` (read from the journal) are read off the action; the others are marks
the caller knows and the action does not carry (``watched`` by this console,
``stuck`` by :mod:`tui.stuck`), given to :meth:`ActionFilter.matches` as ``flags_of``."""

INTRINSIC_FLAGS = frozenset({"new", "history"})
"""The :data:`FLAGS` an action's own fields decide."""

FlagsOf = Callable[[Action], Collection[str]]
"""Gives the :data:`FLAGS` an action has right now (``is:`` tokens match against it)."""

STATUS_ALIASES = {
    "ok": Status.COMPLETED,
    "done": Status.COMPLETED,
    "success": Status.COMPLETED,
    "error": Status.FAILED,
    "in-progress": Status.RUNNING,
    "active": Status.RUNNING,
    "queued": Status.PENDING,
}


@dataclass(frozen=True)
class ActionFilter:
    """A parsed search: every part must match (values are lower-case)."""

    text: tuple[str, ...] = ()
    """Free-text terms matched against resource, id and name."""
    statuses: frozenset[Status] = frozenset()
    backends: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()
    """``is:`` marks every kept action must have (see :data:`FLAGS`)."""
    ended_after: datetime | None = None
    """For ``is:new``: the end of the previous run (None: every ended action is new)."""
    unknown_keys: tuple[str, ...] = field(default=())
    """Keys the user typed that the language does not know (shown as a hint)."""
    unknown_flags: tuple[str, ...] = field(default=())
    """``is:`` values the language does not know (searched as text, shown as a hint)."""

    @property
    def is_empty(self) -> bool:
        """True when the filter keeps everything."""
        parts = (
            self.text,
            self.statuses,
            self.backends,
            self.names,
            self.users,
            self.resources,
            self.flags,
        )
        return not any(parts)

    @property
    def new_only(self) -> bool:
        """``is:new``: only actions that ended after :attr:`ended_after`."""
        return "new" in self.flags

    @property
    def history_only(self) -> bool:
        """``is:history``: only actions read from the journal, not (yet) from their backend."""
        return "history" in self.flags

    @property
    def resource_query(self) -> str | None:
        """The single term a server-side resource search can use, if any."""
        terms = self.resources or self.text
        return terms[0] if len(terms) == 1 else None

    def matches(self, action: Action, flags_of: FlagsOf | None = None) -> bool:
        """True when ``action`` passes every part of the filter.

        ``flags_of`` says which ``is:`` marks the action has; without it an
        ``is:`` filter keeps nothing.
        """
        if self.flags:
            if self.new_only and not ended_after(action, self.ended_after):
                return False
            if self.history_only and not action.from_history:
                return False
            marks = self.flags - INTRINSIC_FLAGS
            if marks:
                have = flags_of(action) if flags_of is not None else ()
                if not all(flag in have for flag in marks):
                    return False
        if self.statuses and action.status not in self.statuses:
            return False
        if self.backends and not _any_in(self.backends, action.backend.lower()):
            return False
        if self.names and not _any_in(self.names, action.name.lower()):
            return False
        if self.users and not _any_in(self.users, (action.user or "").lower()):
            return False
        if self.resources and not _any_in(self.resources, (action.resource or "").lower()):
            return False
        if self.text:
            haystack = search_text(action)
            return all(term in haystack for term in self.text)
        return True


def ended_at(action: Action) -> datetime | None:
    """When a final action ended (its finish, else its last known time); None while it runs."""
    if not action.status.is_final:
        return None
    return action.finished_at or action.updated_at or action.started_at or action.created_at


def ended_after(action: Action, moment: datetime | None) -> bool:
    """True when ``action`` has ended, after ``moment`` (None: at any time)."""
    end = ended_at(action)
    if end is None:
        return False
    return moment is None or end > moment


def _any_in(needles: tuple[str, ...], haystack: str) -> bool:
    return any(needle in haystack for needle in needles)


def search_text(action: Action) -> str:
    """The lower-case text free-text terms are matched against."""
    parts = (action.resource, action.id, action.name, action.object_name, action.ref)
    return "\x00".join(filter(None, parts)).lower()


def parse_filter(query: str, *, last_look: datetime | None = None) -> ActionFilter:
    """Parse a search string; never raises (unbalanced quotes are taken literally).

    Args:
        query: what the user typed.
        last_look: the end of the previous run, which ``is:new`` counts from.
    """
    try:
        tokens = shlex.split(query)
    except ValueError:
        tokens = query.split()
    text: list[str] = []
    values: dict[str, list[str]] = {key: [] for key in FILTER_KEYS}
    unknown: list[str] = []
    unknown_flags: list[str] = []
    for token in tokens:
        key, sep, value = token.partition(":")
        key = key.lower()
        if sep and key == "is" and value.lower() not in FLAGS:
            unknown_flags.append(value.lower())
            text.append(token.lower())
        elif sep and key in values and value:
            values[key].append(value.lower())
        elif sep and key and value and key.isalpha() and key not in values:
            unknown.append(key)
            text.append(token.lower())
        elif token:
            text.append(token.lower())
    return ActionFilter(
        text=tuple(text),
        statuses=frozenset(_statuses(values["status"])),
        backends=tuple(values["backend"]),
        names=tuple(values["type"] + values["name"]),
        users=tuple(values["user"]),
        resources=tuple(values["resource"]),
        flags=frozenset(values["is"]),
        ended_after=last_look if "new" in values["is"] else None,
        unknown_keys=tuple(unknown),
        unknown_flags=tuple(unknown_flags),
    )


def _statuses(words: list[str]) -> list[Status]:
    found: list[Status] = []
    for word in words:
        for part in word.split(","):
            if part in STATUS_ALIASES:
                found.append(STATUS_ALIASES[part])
            else:
                found.extend(status for status in Status if status.value.startswith(part))
    return found
