"""Incremental reading of a project's Nova instance actions (the OpenStack backend's engine).

How one :meth:`ActionSync.sync` reads the cloud:

* Servers, on a *full sweep* (the first sync, then every ``full_sweep_every``-th):
  ``GET /servers``, and from 2.21 ``GET /servers?changes-since=1970-01-01T00:00:00Z``,
  which lists deleted (not yet archived) servers too, whose actions Nova serves
  from 2.21. Every other sync asks only ``GET /servers/detail?changes-since=T``,
  where ``T`` is when the previous sync listed the servers minus
  :data:`CLOCK_MARGIN` (Nova's clocks may differ from the one "now" is judged
  by); a listed server whose ``updated`` differs from the one last seen has
  *moved*, one whose ``status`` is ``DELETED`` is deleted. Every list is paged
  by Nova's ``next`` links. The ``servers`` option restricts everything to some
  ids or names.
* Action lists, concurrently (``concurrency`` at once): on a full sweep, every
  live server's, every unread server's and every server's with an unsettled
  action; otherwise only the moved servers', the unread ones' and those with
  an unsettled action. Nova moves a server's ``updated`` whenever its task or
  VM state changes, so actions that start or end are seen at the next sync; an
  event that finishes without such a change is seen at the next full sweep, or
  at once while its action is unsettled. The first read of a server is
  complete; from 2.58 later reads ask only for ``changes-since`` the newest
  ``updated_at`` seen (minus one second). Nova's ``changes-since`` never
  returns actions whose ``updated_at`` is still null (no event yet, or kinds
  such as ``lock`` that record none), so full sweeps read every list
  completely. Deleted servers are read once, then only while one of their
  actions is unsettled. Below 2.58 every read is complete.
* Events: ``GET .../{request_id}`` only when the sync asks for events (``list``
  does not: it costs one request per server-list page and one per server), and
  then only for actions active within ``settle_after`` or unsettled last time
  -- older ones are settled from the list alone (so an old action whose
  retried event recovered shows ``failed`` from its ``"Error"`` message until
  it is opened) -- and never again once a detail arrived without events (the
  ``events`` policy hides them from non-admins before 2.51). Actions whose
  events a sync without events skipped have them read by the next sync with
  events. Unchanged unsettled actions are re-judged locally each sync, since
  time alone can settle them.

Unreadable entries (a server without a string id, an action without
``request_id``, an action whose events cannot be read) are skipped and
counted by :meth:`ActionSync.unreadable`; the rest of each list is used. An
unreadable detail keeps the action as listed. A server's count is replaced
by each complete read of its list and updated by incremental ones.

State changes only after every request of a sync succeeded. Nothing here
prints, sleeps or touches the UI.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import quote

from tui.backends.base import NotFoundError, UnreadableEntryError
from tui.backends.openstack.nova import PAGE_SIZE, NovaClient, Version, server_path
from tui.backends.openstack.wire import ServerRef, field_of, parse_action
from tui.model import Action, parse_time

EVERYTHING_SINCE = "1970-01-01T00:00:00Z"
"""``changes-since`` value that lists deleted servers too."""
OVERLAP = timedelta(seconds=1)
"""``changes-since`` starts this much before the newest ``updated_at`` seen."""
CLOCK_MARGIN = timedelta(seconds=60)
"""A server list asks for the changes since the previous one was asked for, minus this:
room for Nova's clocks (its hosts', Keystone's) to differ by up to a minute."""
DELETED = "DELETED"
"""The ``status`` Nova shows for a deleted server."""

_T = TypeVar("_T")
Row = dict[str, Any]


@dataclass(frozen=True)
class _Listing:
    """What one sync learnt of the servers (applied once the whole sync succeeded)."""

    full: bool
    live: set[str]
    """Live server ids: all of them on a full sweep, the listed live ones otherwise."""
    deleted: set[str]
    """Servers an incremental listing showed as deleted."""
    updated: dict[str, str]
    """Server id → its ``updated``, as listed."""
    moved: set[str]
    """Servers whose ``updated`` differs from the one last seen (incremental only)."""


@dataclass(frozen=True)
class _Known:
    """One action as last normalised, and its listed form (to notice changes)."""

    action: Action
    listed: Row | None


class ActionSync:
    """Everything known about one project's actions, kept current by :meth:`sync`."""

    def __init__(
        self,
        backend: str,
        nova: NovaClient,
        *,
        now: Callable[[], datetime],
        servers: list[str],
        settle_after: timedelta,
        full_sweep_every: int,
        concurrency: int,
    ) -> None:
        self.backend = backend
        self.nova = nova
        self._now = now
        self._wanted = servers
        self._settle_after = settle_after
        self._full_every = max(1, full_sweep_every)
        self._gate = asyncio.Semaphore(max(1, concurrency))
        self._servers: dict[str, ServerRef] = {}
        self._live: set[str] = set()
        self._known: dict[str, _Known] = {}
        self._changed: dict[str, Action] = {}
        self._watermarks: dict[str, datetime] = {}
        self._read: set[str] = set()
        self._updated: dict[str, str] = {}
        """server id → its ``updated`` when its actions were last read."""
        self._listed_at: datetime | None = None
        """When the previous successful sync asked for the server list (``None``: never)."""
        self._deferred: set[str] = set()
        """Actions whose events a sync without events skipped (read by the next with)."""
        self._syncs = 0
        self._events_hidden = False
        self._bad_servers: dict[str, set[str]] = {"live": set(), "every": set(), "moved": set()}
        """Keys of unreadable entries in the last ``/servers`` lists (live, with deleted,
        changed)."""
        self._bad_rows: dict[str, set[str]] = {}
        """server id → keys of its unreadable listed actions."""
        self._bad_details: set[str] = set()
        """Action ids whose detail (events) could not be read."""

    # -- what callers read ---------------------------------------------------------

    def actions(self) -> list[Action]:
        """Every known action (unordered)."""
        return [known.action for known in self._known.values()]

    def drain_changes(self) -> list[Action]:
        """Actions new or changed since the previous drain (all of them the first time)."""
        changed = list(self._changed.values())
        self._changed.clear()
        return changed

    def unreadable(self) -> int:
        """How many entries of the latest answers could not be read (and were skipped)."""
        servers = set().union(*self._bad_servers.values())
        rows = sum(len(keys) for keys in self._bad_rows.values())
        return len(servers) + rows + len(self._bad_details)

    def in_flight(self) -> int:
        """How many known actions are pending or running."""
        return sum(1 for known in self._known.values() if known.action.status.in_flight)

    async def fetch(self, server_id: str, request_id: str) -> Action:
        """One action with its events, remembered like a synced one.

        Raises:
            NotFoundError: when Nova does not know it.
        """
        await self.nova.negotiate()
        server = self._servers.get(server_id) or await self._lookup_server(server_id)
        path = server_path(server_id, request_id)
        action = self.parse(
            field_of(await self.nova.get(path), "instanceAction", self.backend, path), server
        )
        previous = self._known.get(action.id)
        self._remember(action, previous.listed if previous else None)
        self._bad_details.discard(action.id)
        self._deferred.discard(action.id)
        return action

    def parse(self, raw: Any, server: ServerRef, now: datetime | None = None) -> Action:
        """Normalise one wire action of ``server``."""
        return parse_action(
            raw,
            backend=self.backend,
            server=server,
            now=now or self._now(),
            settle_after=self._settle_after,
            path=server_path(server.id),
        )

    # -- one sync -----------------------------------------------------------------------

    async def sync(self, *, events: bool = True) -> None:
        """Bring the known actions up to date (see the module docstring).

        ``events=False`` reads no action's events (recent actions may stay
        ``unknown`` until a sync with events, or :meth:`fetch`, reads them).
        """
        version = await self.nova.negotiate()
        full = self._listed_at is None or self._syncs % self._full_every == 0
        listed_at = self._now()
        listing = await self._discover(version, full)
        targets = self._targets(listing)
        read = await self._bounded(self._list(s, version, full) for s in targets)
        lists = [rows for rows, _ in read]
        bad = {server.id: keys for server, (_, keys) in zip(targets, read, strict=True)}
        fresh = [
            (server, raw)
            for server, raws in zip(targets, lists, strict=True)
            for raw in raws
            if self._is_new(server, raw)
        ]
        resolved, bad_details = await self._resolve(fresh, version, bad, events)
        for action, listed in resolved:
            self._remember(action, listed)
        self._count_unreadable(targets, lists, bad, bad_details, full)
        self._advance(targets, lists, full)
        self._apply(listing, targets)
        self._listed_at = listed_at
        self._syncs += 1

    async def _discover(self, version: Version, full: bool) -> _Listing:
        """The servers as listed now: all of them on a full sweep, the changed ones otherwise."""
        if not full and self._listed_at is not None:
            return await self._discover_changes(self._listed_at - CLOCK_MARGIN)
        live, self._bad_servers["live"] = _servers(await self.nova.pages("/servers", "servers", {}))
        self._servers.update({server.id: server for server in live})
        self._bad_servers["moved"] = set()
        if version >= (2, 21):
            query = {"changes-since": EVERYTHING_SINCE}
            every, bad = _servers(await self.nova.pages("/servers", "servers", query))
            self._bad_servers["every"] = bad
            self._servers.update({server.id: server for server in every})
        return _Listing(True, {server.id for server in live}, set(), {}, set())

    async def _discover_changes(self, since: datetime) -> _Listing:
        """The servers whose ``updated`` is at or after ``since`` (deleted ones too)."""
        stamp = since.astimezone(UTC).replace(tzinfo=None).isoformat()
        items = await self.nova.pages("/servers/detail", "servers", {"changes-since": stamp})
        listed, self._bad_servers["moved"] = _servers(items)
        self._servers.update({server.id: server for server in listed})
        rows = {item["id"]: item for item in items if _is_server(item)}
        updated = {sid: row["updated"] for sid, row in rows.items() if _is_text(row.get("updated"))}
        deleted = {sid for sid, row in rows.items() if row.get("status") == DELETED}
        moved = {
            sid for sid in rows if sid not in updated or updated[sid] != self._updated.get(sid)
        }
        return _Listing(False, set(rows) - deleted, deleted, updated, moved)

    def _apply(self, listing: _Listing, targets: list[ServerRef]) -> None:
        """Keep what this sync learnt of the servers (only once all of it succeeded)."""
        if listing.full:
            self._live = listing.live
        else:
            self._live = (self._live | listing.live) - listing.deleted
        read = {server.id for server in targets}
        self._updated.update({sid: mark for sid, mark in listing.updated.items() if sid in read})

    def _selected(self) -> list[ServerRef]:
        """Every server, or the configured ones (by id or name; unknown entries as ids)."""
        if not self._wanted:
            return list(self._servers.values())
        wanted = {entry.lower() for entry in self._wanted}
        chosen = [
            s for s in self._servers.values() if {s.id.lower(), (s.name or "").lower()} & wanted
        ]
        covered = {s.id.lower() for s in chosen} | {(s.name or "").lower() for s in chosen}
        return chosen + [ServerRef(entry) for entry in self._wanted if entry.lower() not in covered]

    def _targets(self, listing: _Listing) -> list[ServerRef]:
        """The servers whose actions this sync reads (see the module docstring)."""
        unsettled = {
            k.action.object_name for k in self._known.values() if not k.action.status.is_final
        }
        if listing.full:
            live = listing.live
            return [
                s
                for s in self._selected()
                if s.id in live or s.id not in self._read or s.id in unsettled
            ]
        return [
            s
            for s in self._selected()
            if s.id in listing.moved or s.id not in self._read or s.id in unsettled
        ]

    async def _list(
        self, server: ServerRef, version: Version, full_round: bool
    ) -> tuple[list[Row], set[str]]:
        """The server's listed actions (only the changed ones when it can), and unreadable keys."""
        path = server_path(server.id)
        params: dict[str, Any] = {}
        if version >= (2, 58):
            params["limit"] = PAGE_SIZE
            mark = self._watermarks.get(server.id)
            if not full_round and server.id in self._read and mark is not None:
                params["changes-since"] = (mark - OVERLAP).replace(tzinfo=None).isoformat()
        try:
            items = await self.nova.pages(path, "instanceActions", params)
        except NotFoundError:
            return [], set()  # deleted (before 2.21) or gone since the server list was read
        rows = [item for item in items if isinstance(item, dict)]
        return rows, {_entry_key(item) for item in items if not isinstance(item, dict)}

    def _is_new(self, server: ServerRef, raw: Row) -> bool:
        known = self._known.get(f"{server.id}/{raw.get('request_id')}")
        return known is None or known.listed != raw

    async def _resolve(
        self,
        fresh: list[tuple[ServerRef, Row]],
        version: Version,
        bad: dict[str, set[str]],
        events: bool,
    ) -> tuple[list[tuple[Action, Row | None]], set[str]]:
        """Normalise fresh rows, re-judge unsettled ones, read events where needed.

        Unreadable rows go to ``bad`` (by server id); the ids of actions whose
        detail was unreadable are returned beside the results. Without
        ``events`` no detail is read: the actions that wanted one are deferred.
        """
        now = self._now()
        results: dict[str, tuple[Action, Row | None]] = {}
        wanted: list[tuple[ServerRef, Action]] = []
        for server, raw in fresh:
            try:
                action = self.parse(raw, server, now)
            except UnreadableEntryError:
                bad.setdefault(server.id, set()).add(_entry_key(raw))
                continue
            results[action.id] = (action, raw)
            if self._wants_events(action, now):
                wanted.append((server, action))
        for known in self._known.values():
            if known.action.id in results:
                continue
            if events and known.action.id in self._deferred:
                results[known.action.id] = (known.action, known.listed)
                wanted.append((self._server_of(known.action), known.action))  # skipped before
                continue
            if known.action.status.is_final:
                continue
            server = self._server_of(known.action)
            results[known.action.id] = (self.parse(known.action.raw, server, now), known.listed)
            if version < (2, 58) and not self._events_hidden:
                wanted.append((server, known.action))  # no updated_at: changes are invisible
            elif known.action.id in self._bad_details:
                wanted.append((server, known.action))  # try the unreadable detail again
        if not events:
            self._deferred |= {action.id for _, action in wanted}
            return list(results.values()), set()
        details = await self._bounded(self._detail(server, action) for server, action in wanted)
        unreadable = set()
        self._deferred -= {action.id for _, action in wanted}
        for (_, listed), detail in zip(wanted, details, strict=True):
            if isinstance(detail, Action):
                results[detail.id] = (detail, results[detail.id][1])
                self._bad_details.discard(detail.id)
            elif detail is False:
                unreadable.add(listed.id)
        return list(results.values()), unreadable

    def _wants_events(self, action: Action, now: datetime) -> bool:
        if self._events_hidden or action.events:
            return False
        previous = self._known.get(action.id)
        if previous is not None and not previous.action.status.is_final:
            return True
        last = action.updated_at or action.started_at
        return last is None or now - last < self._settle_after

    async def _detail(self, server: ServerRef, listed: Action) -> Action | bool | None:
        """The action with events; ``None`` if Nova hides or lost them, ``False`` if unreadable."""
        path = server_path(server.id, listed.id.partition("/")[2])
        try:
            body = await self.nova.get(path)
        except NotFoundError:
            return None
        raw = field_of(body, "instanceAction", self.backend, path)
        if isinstance(raw, dict) and "events" not in raw:
            self._events_hidden = True
            return None
        try:
            return self.parse(raw, server)
        except UnreadableEntryError:
            return False

    def _remember(self, action: Action, listed: Row | None) -> None:
        """Keep ``action``; queue it for the next drain when it differs from what was known."""
        previous = self._known.get(action.id)
        if previous is None or previous.action != action:
            self._changed[action.id] = action
        self._known[action.id] = _Known(action, listed)

    def _count_unreadable(
        self,
        targets: list[ServerRef],
        lists: list[list[Row]],
        bad: dict[str, set[str]],
        bad_details: set[str],
        full: bool,
    ) -> None:
        """Keep the unreadable entries of this sync: complete reads replace a server's count."""
        for server, raws in zip(targets, lists, strict=True):
            keys = bad.get(server.id, set())
            if full or server.id not in self._read:
                self._bad_rows[server.id] = keys
                continue
            readable = {_entry_key(raw) for raw in raws} - keys
            self._bad_rows[server.id] = (self._bad_rows.get(server.id, set()) - readable) | keys
        self._bad_rows = {sid: keys for sid, keys in self._bad_rows.items() if keys}
        self._bad_details = {aid for aid in self._bad_details | bad_details if aid in self._known}
        self._deferred &= self._known.keys()

    def _advance(self, targets: list[ServerRef], lists: list[list[Row]], full: bool) -> None:
        """Move each server's ``changes-since`` watermark and mark complete reads."""
        for server, raws in zip(targets, lists, strict=True):
            if full or server.id not in self._read:
                self._read.add(server.id)
            stamps = [parse_time(raw.get("updated_at")) for raw in raws]
            newest = max((stamp for stamp in stamps if stamp is not None), default=None)
            current = self._watermarks.get(server.id)
            if newest is not None and (current is None or newest > current):
                self._watermarks[server.id] = newest

    # -- helpers --------------------------------------------------------------------------

    def _server_of(self, action: Action) -> ServerRef:
        server_id = action.object_name or action.id.partition("/")[0]
        return self._servers.get(server_id) or ServerRef(server_id)

    async def _lookup_server(self, server_id: str) -> ServerRef:
        """The server's name for an action asked for before any sync (id when unknown)."""
        try:
            body = await self.nova.get(f"/servers/{quote(server_id, safe='')}")
        except NotFoundError:
            return ServerRef(server_id)
        found, _ = _servers([body.get("server")] if isinstance(body, dict) else [])
        return found[0] if found else ServerRef(server_id)

    async def _bounded(self, calls: Iterable[Awaitable[_T]]) -> list[_T]:
        """Run ``calls`` at most ``concurrency`` at once; the first failure cancels the rest."""

        async def gated(call: Awaitable[_T]) -> _T:
            async with self._gate:
                return await call

        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(gated(call)) for call in calls]
        except ExceptionGroup as failed:
            raise _first(failed) from None
        return [task.result() for task in tasks]


def _servers(items: list[Any]) -> tuple[list[ServerRef], set[str]]:
    """Server references from a ``servers`` list, and the keys of unreadable entries."""
    refs = []
    bad = set()
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            bad.add(_entry_key(item))
            continue
        name = item.get("name")
        refs.append(ServerRef(item["id"], name if isinstance(name, str) and name else None))
    return refs, bad


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _is_server(item: Any) -> bool:
    """A server entry with a readable id (see :func:`_servers`)."""
    return isinstance(item, dict) and _is_text(item.get("id"))


def _entry_key(item: Any) -> str:
    """What tells one unreadable entry from another across reads (its id, else its text)."""
    if isinstance(item, dict) and isinstance(key := item.get("request_id"), str):
        return key
    return repr(item)[:200]


def _first(group: BaseExceptionGroup[Exception]) -> Exception:
    """The first plain exception inside a (nested) exception group."""
    first = group.exceptions[0]
    return _first(first) if isinstance(first, BaseExceptionGroup) else first
