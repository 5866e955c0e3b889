"""Redis Enterprise Software backend: cluster actions over the REST API (HTTPS, Basic auth).

Lists ``GET /v1/actions`` (tasks and state machines) and, when the cluster has
it, ``GET /v2/actions`` (which adds import, export and backup and carries the
creation time of state machines), merged by ``action_uid``; a listing filtered
to one database also reads ``GET /v1/actions/bdb/{uid}``. Finished actions
are forgotten by the cluster after a while: an action that drops out of the
list and answers 404 has ended, and :meth:`RedisEnterpriseBackend.poll`
reports it ``gone`` with its last known state rather than as an error.

A database's state machines are not always listed in ``/v1/actions``: each
poll also reads ``/v1/actions/bdb/{uid}`` of one database in turn (the ones
its actions name), and of every database with a running state machine only
that endpoint showed, until it ends: one request more per poll, plus one per
such database. A state machine only that endpoint showed is reported once it
has ended, then no longer looked for.

This module never prints, sleeps or touches the UI, and no message it builds
contains the password.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import httpx

from tui.backends.base import (
    ActionPage,
    ListQuery,
    NotFoundError,
    PollUpdate,
    UnreachableError,
    UnreadableEntryError,
)
from tui.backends.http import BodyMemo, RequestStats, get_json, get_parsed, make_client
from tui.backends.redis_enterprise.spec import TYPE
from tui.backends.redis_enterprise.wire import (
    FieldsMemo,
    action_fields,
    fill_missing,
    parse_v1_list,
    parse_v2_list,
)
from tui.model import Action

V1_ACTIONS = "/v1/actions"
V2_ACTIONS = "/v2/actions"
BDB_ACTIONS = "/v1/actions/bdb"
"""``/v1/actions/bdb/{uid}``: the state machines of one database."""

_ONE_BDB = re.compile(r"^bdb:([0-9]{1,9})$", re.IGNORECASE)

MAX_GONE_CHECKS = 32
"""At most this many vanished actions are looked up per poll; the rest wait for the next."""
MAX_DATABASES = 10_000
"""At most this many databases are remembered for :meth:`RedisEnterpriseBackend.poll`'s sweep."""


_Fields = tuple[list[dict[str, Any]], list[str]]
"""One list read: the fields of its readable entries (shared: copy before changing
them), and the uids (or places) of the unreadable ones."""

_StateMachines = tuple[dict[str, Action], list[str]]
"""One database's state machines as read (by uid), and its unreadable entries."""

_NO_FIELDS: _Fields = ([], [])
"""The ``/v2/actions`` of a cluster without it (always the same object)."""


class RedisEnterpriseBackend:
    """One Redis Enterprise cluster.

    Args:
        name: the configured backend name.
        url: the REST API base URL, e.g. ``https://cluster.example.com:9443``.
        username: the cluster user (an e-mail address).
        password: its password (sent with HTTP Basic auth, never shown).
        verify: ``True`` to check the certificate against the system store, a
            path to a CA bundle (clusters use self-signed certificates by
            default), or ``False`` to skip verification when configured so.
        timeout: seconds to wait for an answer.

    Raises:
        UnreachableError: when the CA bundle cannot be read.
    """

    type = TYPE

    def __init__(
        self,
        name: str,
        *,
        url: str,
        username: str,
        password: str,
        verify: bool | str = True,
        timeout: float = 15.0,
    ) -> None:
        self.name = name
        self.timeout = timeout
        self.stats = RequestStats()
        """Every request sent to the cluster, counted and timed."""
        try:
            self._client = make_client(
                url,
                auth=(username, password),
                verify=verify,
                timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                stats=self.stats,
            )
        except (OSError, ssl.SSLError) as exc:
            reason = f"cannot load the CA bundle {verify!r} ({type(exc).__name__})"
            raise UnreachableError(name, reason) from None
        self._has_v2: bool | None = None
        """Whether ``/v2/actions`` exists here (``None`` until we know)."""
        self._known: dict[str, Action] = {}
        """The actions as of the previous poll, by uid."""
        self._v1_memo: FieldsMemo = {}
        self._v2_memo: FieldsMemo = {}
        self._actions_memo: dict[str, tuple[dict[str, Any], Action]] = {}
        """uid → (merged fields, Action): big clusters are re-read every poll, so
        only entries that changed are parsed and validated again."""
        self._v1_body: BodyMemo[_Fields] = BodyMemo()
        self._v2_body: BodyMemo[_Fields] = BodyMemo()
        self._bdb_bodies: dict[str, BodyMemo[_StateMachines]] = {}
        """Database uid → its ``/v1/actions/bdb/{uid}`` as last read (at most
        :data:`MAX_DATABASES`): a body the same as last time's is not read again."""
        self._all: tuple[_Fields, _Fields, dict[str, Action], int] | None = None
        """The last :meth:`_fetch_all`: both lists as parsed, the actions made of
        them and how many entries neither could read (reused while both are the same)."""
        self._snapshot: list[Action] = []
        """The newest-first list read by the last ``list_actions`` at offset 0."""
        self._unreadable = 0
        """Entries of the last list read that could not be read (skipped)."""
        self._unreadable_rechecks = 0
        """Vanished actions whose own answer was unreadable in the last poll (kept)."""
        self._databases: dict[str, None] = {}
        """Database uids the actions named, in the order first seen (the sweep's round)."""
        self._turn = 0
        """Which of ``_databases`` the next poll reads the state machines of."""
        self._watched: set[str] = set()
        """Databases with a running state machine only their own endpoint showed."""
        self._unlisted: set[str] = set()
        """Actions only a database's endpoint showed (not forgotten when unlisted)."""

    async def list_actions(self, query: ListQuery) -> ActionPage:
        """One window of the newest-first list, optionally filtered by resource.

        A resource naming one database (``bdb:3``) also reads that database's
        state machines (``/v1/actions/bdb/3``), which ``/v1/actions`` may not list.

        Raises:
            BackendError: a typed subclass for every failure.
        """
        if query.start == 0 or not self._snapshot:
            # The API returns everything at once: deeper windows page through the
            # snapshot taken at offset 0, so a walk through the list is consistent.
            actions = await self._fetch_all()
            bdb = _ONE_BDB.match((query.resource or "").strip())
            if bdb is not None:
                actions.update(await self._fetch_bdb(bdb[1], actions))
            self._snapshot = newest_first(actions.values())
        matching = [action for action in self._snapshot if matches(action, query.resource)]
        window = matching[query.start : query.start + query.limit]
        return ActionPage(actions=window, total=len(matching), unreadable=self._unreadable)

    async def get_action(self, action_id: str) -> Action:
        """One action by uid, completed with its ``/v2`` view (import/export/backup: ``/v2`` only).

        Raises:
            NotFoundError: when the cluster does not know the action (any more).
        """
        quoted = quote(action_id, safe="")
        try:
            fields = await self._get_fields(f"{V1_ACTIONS}/{quoted}")
        except NotFoundError:
            if self._has_v2 is False:
                raise
            return Action(**await self._get_fields(f"{V2_ACTIONS}/{quoted}"))
        if self._has_v2 is not False:
            fill_missing(fields, await self._get_fields_if_any(f"{V2_ACTIONS}/{quoted}"))
        return Action(**fields)

    async def poll(self) -> PollUpdate:
        """New and changed actions since the previous poll, and the ones that ended unseen.

        Raises:
            BackendError: a typed subclass for every failure.
        """
        current = await self._fetch_all()
        current.update(await self._sweep_databases(current))
        self._unreadable_rechecks = 0
        known = self._known
        changed = [
            action
            for uid, action in current.items()
            if (last := known.get(uid)) is not action and last != action
        ]
        vanished, still_known = await self._recheck(
            [uid for uid in self._known if uid not in current and not self._settled_unlisted(uid)]
        )
        self._unlisted &= current.keys()
        self._known = {**current, **still_known}
        in_flight = sum(action.status.in_flight for action in self._known.values())
        return PollUpdate(
            actions=changed + vanished,
            total=len(self._known),
            in_flight=in_flight,
            unreadable=self._unreadable + self._unreadable_rechecks,
        )

    async def _recheck(self, missing: list[str]) -> tuple[list[Action], dict[str, Action]]:
        """Look up actions that left the list; the forgotten ones are reported ``gone``, once.

        A forgotten action keeps its last known status: an action that was
        running when last seen has ended, not failed. Only ``MAX_GONE_CHECKS``
        are looked up per poll; the others stay known until a later poll.

        Returns:
            The updates to report, and the actions the cluster still answers for.
        """
        updates: list[Action] = []
        still_known = {uid: self._known[uid] for uid in missing[MAX_GONE_CHECKS:]}
        for uid in missing[:MAX_GONE_CHECKS]:
            last = self._known[uid]
            fresh = await self._still_known(uid)
            if fresh is None:
                updates.append(replace(last, gone=True))
                continue
            still_known[uid] = fresh
            if fresh != last:
                updates.append(fresh)
        return updates, still_known

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def _still_known(self, uid: str) -> Action | None:
        """The action if the cluster still answers for it, ``None`` once it is forgotten.

        An action whose own answer has become unreadable keeps its last known version.
        """
        try:
            return await self.get_action(uid)
        except NotFoundError:
            return None
        except UnreadableEntryError:
            self._unreadable_rechecks += 1
            return self._known[uid]

    async def _get_fields(self, path: str) -> dict[str, Any]:
        payload = await get_json(self._client, self.name, path)
        return action_fields(self.name, payload, where=path)

    async def _get_fields_if_any(self, path: str) -> dict[str, Any]:
        """Like :meth:`_get_fields`, but an unknown action gives no fields instead of an error."""
        try:
            return await self._get_fields(path)
        except NotFoundError:
            return {}

    async def _fetch_all(self) -> dict[str, Action]:
        """Every action the cluster reports, v1 and v2 views merged, by uid.

        When both lists come back byte for byte as last time, last time's
        actions are returned without reading the lists again.
        """
        v1 = await get_parsed(
            self._client, self.name, V1_ACTIONS, self._read_v1, memo=self._v1_body, in_thread=False
        )
        v2 = await self._fetch_v2()
        last = self._all
        if last is not None and last[0] is v1 and last[1] is v2:
            self._unreadable = last[3]
            return dict(last[2])
        entries = {fields["id"]: dict(fields) for fields in v1[0]}  # filled in below
        for extra in v2[0]:
            known = entries.get(extra["id"])
            entries[extra["id"]] = dict(extra) if known is None else fill_missing(known, extra)
        self._forget_all_but(entries.keys())
        # An entry unreadable in one view but read from the other is not lost.
        self._unreadable = len(set(v1[1] + v2[1]) - entries.keys())
        actions = {uid: self._action(uid, fields) for uid, fields in entries.items()}
        self._all = (v1, v2, actions, self._unreadable)
        return dict(actions)

    def _read_v1(self, payload: Any) -> _Fields:
        unreadable: list[str] = []
        fields = parse_v1_list(self.name, payload, V1_ACTIONS, self._v1_memo, unreadable)
        return fields, unreadable

    def _read_v2(self, payload: Any) -> _Fields:
        unreadable: list[str] = []
        fields = parse_v2_list(self.name, payload, V2_ACTIONS, self._v2_memo, unreadable)
        return fields, unreadable

    def _forget_all_but(self, uids: Iterable[str]) -> None:
        """Drop memo entries of actions the cluster no longer lists."""
        keep = set(uids)
        for memo in (self._v1_memo, self._v2_memo, self._actions_memo):
            for uid in [uid for uid in memo if uid not in keep]:
                del memo[uid]

    def _action(self, uid: str, fields: dict[str, Any]) -> Action:
        """The Action for ``fields``, reused when they equal last time's."""
        known = self._actions_memo.get(uid)
        if known is not None and known[0] == fields:
            return known[1]
        action = Action(**fields)
        self._actions_memo[uid] = (fields, action)
        return action

    async def _fetch_bdb(self, uid: str, known: dict[str, Action]) -> dict[str, Action]:
        """The state machines of database ``uid`` the lists lacked (none for an unknown DB)."""
        path = f"{BDB_ACTIONS}/{uid}"
        memo = self._bdb_bodies.get(uid)
        if memo is None:
            if len(self._bdb_bodies) >= MAX_DATABASES:
                self._bdb_bodies.clear()
            memo = self._bdb_bodies[uid] = BodyMemo()

        def read(payload: Any) -> _StateMachines:
            unreadable: list[str] = []
            found = parse_v1_list(
                self.name, payload, path, unreadable=unreadable, kind="state-machine"
            )
            return {f["id"]: Action(**f) for f in found}, unreadable

        try:
            found, unreadable = await get_parsed(
                self._client, self.name, path, read, memo=memo, in_thread=False
            )
        except NotFoundError:
            return {}  # "bdb not found", or a cluster without the endpoint
        self._unreadable += len(set(unreadable) - known.keys())
        return {aid: action for aid, action in found.items() if aid not in known}

    async def _sweep_databases(self, listed: dict[str, Action]) -> dict[str, Action]:
        """The state machines the lists left out, of this poll's databases (see the module doc).

        An ended one is reported by the poll that sees it end, then left out
        (it cannot change any more, and is never reported ``gone``).
        """
        for action in listed.values():
            uid = _database_of(action)
            if uid is not None and len(self._databases) < MAX_DATABASES:
                self._databases.setdefault(uid, None)
        chosen = set(self._watched)
        if self._databases:
            order = list(self._databases)
            chosen.add(order[self._turn % len(order)])
            self._turn += 1
        found: dict[str, Action] = {}
        for uid in sorted(chosen, key=int):
            extra = await self._fetch_bdb(uid, listed)
            new = {a.id: a for a in extra.values() if a.id in self._unlisted or a.status.in_flight}
            found.update(new)
            if any(action.status.in_flight for action in new.values()):
                self._watched.add(uid)
            else:
                self._watched.discard(uid)
        self._unlisted = (self._unlisted - listed.keys()) | found.keys()
        return found

    def _settled_unlisted(self, uid: str) -> bool:
        """An ended action only a database's endpoint showed: dropped, not looked up."""
        return uid in self._unlisted and self._known[uid].status.is_final

    async def _fetch_v2(self) -> _Fields:
        """The ``/v2/actions`` list, or nothing on clusters that do not have it."""
        if self._has_v2 is False:
            return _NO_FIELDS
        try:
            parsed = await get_parsed(
                self._client,
                self.name,
                V2_ACTIONS,
                self._read_v2,
                memo=self._v2_body,
                in_thread=False,
            )
        except NotFoundError:
            if self._has_v2 is None:
                self._has_v2 = False
            return _NO_FIELDS
        self._has_v2 = True
        return parsed


def _database_of(action: Action) -> str | None:
    """The uid of the database an action names (``bdb:3`` → ``3``), if any."""
    match = _ONE_BDB.match(action.object_name or "")
    return str(int(match[1])) if match else None


def newest_first(actions: Iterable[Action]) -> list[Action]:
    """Sort by creation time (heartbeat when unknown), then heartbeat, then uid; newest first."""
    return sorted(actions, key=_order, reverse=True)


def _order(action: Action) -> tuple[float, float, str]:
    updated = action.updated_at.timestamp() if action.updated_at else 0.0
    return (action.sort_time.timestamp(), updated, action.id)


def matches(action: Action, resource: str | None) -> bool:
    """True when ``resource`` is a case-insensitive substring of the object or action name."""
    if not resource:
        return True
    needle = resource.casefold()
    return needle in (action.object_name or "").casefold() or needle in action.name.casefold()
