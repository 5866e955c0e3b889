"""Seeweb ECS v2 backend: ``GET /actions`` and ``GET /actions/{id}`` into ``model.Action``.

The list is newest-first and offset-paged while new actions keep arriving at
its top, so paging follows :class:`NewestFirstCursor`, which uses the growth
of ``total_actions`` between pages to avoid both duplicates and gaps.
:func:`~tui.backends.seeweb.wire.parse_action` is the one wire parser; a
list page is read straight from its bytes where that gives the same actions
(:mod:`tui.backends.seeweb.listing`).

This module never prints, sleeps or touches the UI; failures are the typed
errors of :mod:`tui.backends.base`, and messages never contain the API token.
"""

from __future__ import annotations

import asyncio
import builtins
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any
from urllib.parse import quote

from tui.backends.base import (
    ActionPage,
    ListQuery,
    NotFoundError,
    PollUpdate,
    UnreadableEntryError,
    counts_fewer,
)
from tui.backends.http import (
    BodyMemo,
    RequestStats,
    expect,
    get_json,
    get_parsed,
    make_client,
)
from tui.backends.seeweb.listing import Entries, read_page
from tui.backends.seeweb.spec import DEFAULT_URL, TYPE
from tui.backends.seeweb.wire import parse_action, parse_or_none, parse_total
from tui.model import Action

FIRST_POLL_PAGES = 2
"""How many pages the first poll reads (at most :data:`FIRST_POLL_MAX` actions)."""

FIRST_POLL_MAX = 200
"""At most this many actions in the first poll, however long the pages: the first
rows then wait for one short page to be parsed, not for two of up to 1,000 each;
the next polls, paging and a preload read further."""

CATCH_UP_PAGES = 10
"""At most this many pages per later poll while looking for already-known actions."""

READ_AHEAD_FROM = 500
"""Pages of at least this many actions are asked for one ahead (:meth:`SeewebBackend.list_actions`).

Serving and parsing a page of a thousand take tens of milliseconds each; a
smaller page is not worth a request that may be dropped."""

REFRESH_LIMIT = 20
"""At most this many in-flight actions outside the fetched window re-read per poll."""


def _id_order(action_id: str) -> int:
    """Numeric order of an id (ids are increasing integers in creation order)."""
    return int(action_id) if action_id.isdigit() else -1


@dataclass
class NewestFirstCursor:
    """Walks an offset-paged, newest-first list that grows at its top.

    Positions are kept in the coordinates of the first page read. When the
    server's total grew by ``d`` since then, the item wanted next sits ``d``
    places further down, so the next offset is shifted by ``d``; items that
    map above the wanted position (already read, or newer than the window)
    are dropped, and ids are de-duplicated as a safety net. Pages are widened
    by the growth seen during the previous read, so that even a burst of
    arrivals between two requests cannot stall the walk.
    """

    start: int = 0
    position: int = field(init=False)
    """Where the next wanted item sits, in first-page coordinates."""
    base_total: int | None = None
    total: int | None = None
    growth: int = 0
    """How many actions arrived between the last two reads."""
    seen: set[str] = field(default_factory=set)
    unreadable: int = 0
    """Entries inside the window that could not be read (skipped)."""

    def __post_init__(self) -> None:
        self.position = self.start

    @property
    def shift(self) -> int:
        """How many actions arrived at the top since the first page."""
        if self.base_total is None or self.total is None:
            return 0
        return self.total - self.base_total

    def next_offset(self) -> int:
        """The offset to request next."""
        return max(0, self.position + self.shift)

    def next_length(self, wanted: int) -> int:
        """How many items to request to get ``wanted`` more if arrivals continue."""
        return wanted + self.growth

    def accept(
        self, offset: int, actions: Sequence[Action | None], total: int | None
    ) -> list[Action]:
        """Take one page read at ``offset``; return the actions that extend the window.

        ``None`` stands for an entry that could not be read: it keeps its place
        in the list and is counted in :attr:`unreadable` once, when it falls
        inside the window.
        """
        if total is not None:
            self.growth = max(0, total - self.total) if self.total is not None else 0
            self.total = total
            if self.base_total is None:
                self.base_total = total
        fresh: list[Action] = []
        shift = self.shift
        for index, action in enumerate(actions):
            place = offset + index - shift
            if place < self.position:
                continue
            self.position = place + 1
            if action is None:
                self.unreadable += 1
            elif action.id not in self.seen:
                self.seen.add(action.id)
                fresh.append(action)
        return fresh


_Entries = Entries


class SeewebBackend:
    """One Seeweb ECS account, read through its API token."""

    type = TYPE

    def __init__(
        self,
        name: str,
        *,
        url: str = DEFAULT_URL,
        token: str,
        verify: bool | str = True,
        timeout: float = 15.0,
        page_size: int = 50,
    ) -> None:
        self.name = name
        self.timeout = timeout
        self.page_size = max(1, page_size)
        self.stats = RequestStats()
        """Every request sent to the API, counted and timed."""
        self._client = make_client(
            url, headers={"X-APITOKEN": token}, verify=verify, timeout=timeout, stats=self.stats
        )
        self._known: dict[str, Action] = {}
        self._refreshed: dict[str, int] = {}
        self._polls = 0
        self._newest: BodyMemo[_Entries] = BodyMemo()
        """The newest page as last polled: the same body again is not parsed again."""

    async def __aenter__(self) -> SeewebBackend:
        return self

    async def __aexit__(
        self,
        exc_type: builtins.type[BaseException] | None,  # ``type`` is a field here
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Release connections."""
        await self._client.aclose()

    # -- wire -------------------------------------------------------------

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET one path; errors are typed, the token (a client header) redacted from them."""
        return await get_json(self._client, self.name, path, params=params)

    async def _page(
        self,
        cursor: NewestFirstCursor,
        length: int,
        resource: str | None,
        memo: BodyMemo[_Entries] | None = None,
    ) -> tuple[list[Action], bool]:
        """Read the next page for ``cursor``: (window-extending actions, more to read)."""
        offset, length = cursor.next_offset(), cursor.next_length(length)
        actions, total = await self._read_at(offset, length, resource, memo)
        fresh = cursor.accept(offset, actions, total)
        return fresh, len(actions) >= length

    async def _read_at(
        self,
        offset: int,
        length: int,
        resource: str | None,
        memo: BodyMemo[_Entries] | None = None,
    ) -> _Entries:
        """One page of the list as it is now: its entries (``None``: unreadable) and total.

        With a ``memo``, a body equal to the one it last parsed is not parsed again.
        """
        params: dict[str, Any] = {"start": offset, "length": length}
        if resource:
            params["resource"] = resource
        name = self.name

        def read_bytes(content: bytes) -> _Entries | None:
            return read_page(name, content)

        return await get_parsed(
            self._client,
            name,
            "/actions",
            self._read_list,
            params=params,
            memo=memo,
            read_bytes=read_bytes,
        )

    def _read_list(self, payload: Any) -> _Entries:
        """The entries of one ``/actions`` answer (``None`` where unreadable) and its total.

        Pure (a big page is read in a worker thread).
        """
        expect(isinstance(payload, dict), self.name, "/actions", "not a JSON object")
        items = payload.get("actions")
        expect(isinstance(items, list), self.name, "/actions", "'actions' is not a list")
        name = self.name
        actions = [parse_or_none(name, item) for item in items]
        return actions, parse_total(payload.get("total_actions"))

    # -- Backend interface --------------------------------------------------

    async def list_actions(self, query: ListQuery) -> ActionPage:
        """One newest-first window, read in pages of ``page_size``.

        Pages of :data:`READ_AHEAD_FROM` actions or more are read one ahead:
        while a page is read, the next is already asked for when the window
        needs it whatever this page holds, at the offset and length that
        follow if nothing arrives meanwhile, so the server draws it while this
        one is parsed. It is used only when that is what the cursor then asks
        (else it is dropped and the right page read): the pages read are the
        ones a page-by-page walk reads.
        """
        cursor = NewestFirstCursor(start=max(0, query.start))
        actions: list[Action] = []
        pages_left = math.ceil(max(0, query.limit) / self.page_size) + 4
        ahead: _Ahead | None = None
        try:
            while len(actions) + cursor.unreadable < query.limit and pages_left > 0:
                pages_left -= 1
                wanted = query.limit - len(actions) - cursor.unreadable
                offset = cursor.next_offset()
                length = cursor.next_length(min(self.page_size, wanted))
                read_ahead = ahead is not None and ahead.at == (offset, length)
                if ahead is not None and read_ahead:
                    reading = ahead.task
                else:
                    await _drop(ahead)
                    reading = asyncio.ensure_future(self._read_at(offset, length, query.resource))
                ahead = None
                later = min(self.page_size, wanted - length)
                if later >= READ_AHEAD_FROM and pages_left > 0:
                    task = self._read_at(offset + length, later, query.resource)
                    ahead = _Ahead((offset + length, later), asyncio.ensure_future(task))
                entries, total = await reading
                if read_ahead and counts_fewer(total, cursor.total):  # answered before the last
                    entries, total = await self._read_at(offset, length, query.resource)
                fresh = cursor.accept(offset, entries, total)
                actions.extend(fresh[: query.limit - len(actions)])
                if len(entries) < length:
                    break
        finally:
            await _drop(ahead)  # the list ended (or failed) first
        return ActionPage(
            actions=actions,
            total=cursor.total,
            unreadable=cursor.unreadable,
            first_total=cursor.base_total,
        )

    async def get_action(self, action_id: str) -> Action:
        """One action by id.

        Raises:
            NotFoundError: when the account has no such action.
        """
        path = f"/actions/{quote(str(action_id), safe='')}"
        payload = await self._get(path)
        expect(isinstance(payload, dict), self.name, path, "not a JSON object")
        expect(isinstance(payload.get("action"), dict), self.name, path, "no 'action' object")
        return parse_action(self.name, payload["action"], path)

    async def poll(self) -> PollUpdate:
        """New and changed actions since the previous poll (the newest pages at first)."""
        if self._polls == 0:
            limit = min(FIRST_POLL_PAGES * self.page_size, FIRST_POLL_MAX)
            page = await self.list_actions(ListQuery(limit=limit))
        else:
            page = await self._catch_up()
        refreshed, unreadable = await self._refresh_in_flight({a.id for a in page.actions})
        update = self._commit(page.actions + refreshed, page.total)
        return replace(update, unreadable=page.unreadable + unreadable)

    # -- polling ------------------------------------------------------------

    async def _catch_up(self) -> ActionPage:
        """Read from the top until a page reaches actions already known."""
        cursor = NewestFirstCursor()
        fetched: list[Action] = []
        for page in range(CATCH_UP_PAGES):
            # An idle account answers the newest page with the same bytes poll after poll.
            memo = self._newest if page == 0 else None
            fresh, more = await self._page(cursor, self.page_size, None, memo)
            fetched.extend(fresh)
            if not more or any(action.id in self._known for action in fresh):
                break
        return ActionPage(actions=fetched, total=cursor.total, unreadable=cursor.unreadable)

    async def _refresh_in_flight(self, fetched: set[str]) -> tuple[list[Action], int]:
        """Re-read known in-flight actions that the pages did not cover: (actions, unreadable).

        An action that has become unreadable keeps its last good version and is counted.
        """
        stale = [
            action
            for action in self._known.values()
            if action.status.in_flight and action.id not in fetched
        ]
        stale.sort(key=lambda action: (self._refreshed.get(action.id, -1), _id_order(action.id)))
        chosen = stale[:REFRESH_LIMIT]
        results = await asyncio.gather(
            *(self._refresh(action) for action in chosen), return_exceptions=True
        )
        unreadable = sum(isinstance(result, UnreadableEntryError) for result in results)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, UnreadableEntryError):
                raise result
        return [result for result in results if isinstance(result, Action)], unreadable

    async def _refresh(self, action: Action) -> Action:
        """The current version of one action; ``gone`` when the server forgot it."""
        self._refreshed[action.id] = self._polls
        try:
            return await self.get_action(action.id)
        except NotFoundError:
            return replace(action, gone=True)

    def _commit(self, fetched: list[Action], total: int | None) -> PollUpdate:
        """Remember what was returned; report only what is new or changed."""
        known_before = self._known
        changed = [
            action
            for action in fetched
            if (last := known_before.get(action.id)) is not action and last != action
        ]
        known = {aid: a for aid, a in self._known.items() if a.status.in_flight}
        for action in fetched:
            if action.gone:
                known.pop(action.id, None)
            else:
                known[action.id] = action
        self._known = known
        self._refreshed = {aid: n for aid, n in self._refreshed.items() if aid in known}
        self._polls += 1
        in_flight = sum(1 for action in known.values() if action.status.in_flight)
        return PollUpdate(actions=changed, total=total, in_flight=in_flight)


@dataclass(frozen=True)
class _Ahead:
    """A page asked for before it is known to be the next one."""

    at: tuple[int, int]
    """Its offset and length."""
    task: asyncio.Future[tuple[list[Action | None], int | None]]


async def _drop(ahead: _Ahead | None) -> None:
    """Cancel a page read ahead that is not wanted, and wait until it has ended."""
    if ahead is not None:
        ahead.task.cancel()
        await asyncio.gather(ahead.task, return_exceptions=True)


__all__ = ["DEFAULT_URL", "NewestFirstCursor", "SeewebBackend", "parse_action"]
