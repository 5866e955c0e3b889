"""The OpenStack backend: Nova ``os-instance-actions`` of a project's servers.

Works with any OpenStack compute API (Huawei Cloud ECS, NTT Enterprise Cloud,
devstack...). The modules beside it do the work:

* :mod:`~tui.backends.openstack.auth`: keystoneauth sessions (inline or
  ``clouds.yaml``), tokens, the compute endpoint, Keystone errors;
* :mod:`~tui.backends.openstack.nova`: microversion negotiation, paging,
  re-authentication on a 401;
* :mod:`~tui.backends.openstack.sync`: which requests a poll makes (server
  discovery, ``changes-since``, when events are read);
* :mod:`~tui.backends.openstack.wire`: the JSON, event grouping and the
  status rules (Nova has no action status: it is derived from events).

This module is the :class:`~tui.backends.base.Backend` face of them. Nothing
here prints, sleeps or touches the UI.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from keystoneauth1.session import Session

from tui.backends.base import ActionPage, ListQuery, NotFoundError, PollUpdate, RequestStats
from tui.backends.openstack.auth import (
    KeystoneAuth,
    OpenStackCredentials,
    ResolvedSession,
    session_from_cloud,
    session_from_credentials,
)
from tui.backends.openstack.nova import NovaClient, Version
from tui.backends.openstack.spec import TYPE
from tui.backends.openstack.sync import ActionSync
from tui.model import Action

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Clock(Protocol):
    """Anything telling the time in Unix seconds (the simulator's clocks qualify)."""

    def now(self) -> float:
        """Current time, Unix seconds."""
        ...


class OpenStackBackend:
    """Nova instance actions of one project, behind the :class:`~tui.backends.base.Backend` API."""

    type = TYPE

    def __init__(
        self,
        name: str,
        *,
        session: Session,
        interface: str = "public",
        region: str | None = None,
        servers: list[str] | None = None,
        timeout: float = 15.0,
        endpoint_override: str | None = None,
        secrets: Iterable[str] = (),
        settle_after: float = 6 * 3600.0,
        full_sweep_every: int = 30,
        concurrency: int = 8,
        clock: Clock | None = None,
    ) -> None:
        """Monitor the servers of the session's project.

        Args:
            name: the configured backend name.
            session: a keystoneauth session holding the credentials.
            interface: catalog interface of the compute endpoint.
            region: catalog region (``None``: any).
            servers: only these server ids or names (``None``: every server).
            timeout: seconds per HTTP request.
            endpoint_override: a compute URL to use instead of the catalog's.
            secrets: values scrubbed from every error message.
            settle_after: seconds without activity after which a listed action is
                taken as settled without reading its events.
            full_sweep_every: every this many syncs, list every server and read every
                action list completely (the others read only what changed).
            concurrency: at most this many requests at once.
            clock: what "now" is when judging how old an action is (default:
                Keystone's clock, estimated from the token's ``issued_at``, so a
                skewed local clock does not matter; the wall clock before that).
        """
        self.name = name
        resolved = ResolvedSession(session, interface, region, endpoint_override, tuple(secrets))
        self.timeout = timeout
        self._auth = KeystoneAuth(name, resolved, timeout=timeout)
        self._nova = NovaClient(name, self._auth, timeout=timeout, connections=concurrency)
        self._clock = clock
        self._lock = asyncio.Lock()
        self._sync = ActionSync(
            name,
            self._nova,
            now=self._now,
            servers=[entry.strip() for entry in servers or [] if entry.strip()],
            settle_after=timedelta(seconds=settle_after),
            full_sweep_every=full_sweep_every,
            concurrency=concurrency,
        )
        self._newest = _NewestFirst(self._sync.actions)

    @classmethod
    def from_credentials(
        cls, name: str, credentials: OpenStackCredentials, **options: Any
    ) -> OpenStackBackend:
        """A backend from inline Keystone parameters (see :class:`OpenStackCredentials`)."""
        return cls.from_resolved(name, session_from_credentials(name, credentials), **options)

    @classmethod
    def from_cloud(
        cls, name: str, cloud: str, *, region: str | None = None, **options: Any
    ) -> OpenStackBackend:
        """A backend from a ``clouds.yaml`` cloud (reads files: call it off the event loop)."""
        resolved = session_from_cloud(name, cloud, region_name=region)
        return cls.from_resolved(name, resolved, **options)

    @classmethod
    def from_resolved(
        cls, name: str, resolved: ResolvedSession, **options: Any
    ) -> OpenStackBackend:
        """A backend from a session built by :mod:`~tui.backends.openstack.auth`.

        Carries over interface, region, endpoint override and the secrets to scrub.
        """
        return cls(
            name,
            session=resolved.session,
            interface=resolved.interface,
            region=resolved.region_name,
            endpoint_override=resolved.endpoint_override,
            secrets=resolved.secrets,
            **options,
        )

    @property
    def stats(self) -> RequestStats:
        """The requests this backend sent to Nova: how many, how recently, the last one's time."""
        return self._nova.stats

    @property
    def microversion(self) -> Version | None:
        """The negotiated compute microversion (``None`` before the first request)."""
        return self._nova.version

    async def list_actions(self, query: ListQuery) -> ActionPage:
        """One window of every server's actions, newest first (``resource``: name or id)."""
        async with self._lock:
            if query.start == 0 or not self._newest.get():
                # Deeper windows page through what the walk from offset 0 read,
                # so paging is consistent and costs no request (and no sort) per window.
                # Listing reads no events: the detail (get_action) is for them.
                await self._sync.sync(events=False)
                self._newest.invalidate()
            actions = self._newest.get()
            unreadable = self._sync.unreadable()
        if query.resource:
            needle = query.resource.lower()
            actions = [a for a in actions if _matches(a, needle)]
        window = actions[query.start : query.start + max(0, query.limit)]
        return ActionPage(actions=window, total=len(actions), unreadable=unreadable)

    async def get_action(self, action_id: str) -> Action:
        """One action with its events; ``action_id`` is ``SERVER_ID/REQUEST_ID``.

        Raises:
            NotFoundError: when the id is malformed or Nova does not know it.
        """
        server_id, _, request_id = action_id.partition("/")
        if not server_id or not request_id:
            raise NotFoundError(self.name, f"{action_id!r} is not SERVER_ID/REQUEST_ID")
        async with self._lock:
            try:
                return await self._sync.fetch(server_id, request_id)
            finally:
                self._newest.invalidate()

    async def poll(self) -> PollUpdate:
        """What changed since the previous poll (everything the first time)."""
        async with self._lock:
            await self._sync.sync()
            self._newest.invalidate()
            changed = sorted(self._sync.drain_changes(), key=_newest_first, reverse=True)
            return PollUpdate(
                actions=changed,
                total=len(self._sync.actions()),
                in_flight=self._sync.in_flight(),
                unreadable=self._sync.unreadable(),
            )

    async def aclose(self) -> None:
        """Release connections."""
        await self._nova.aclose()

    def _now(self) -> datetime:
        if self._clock is not None:
            return datetime.fromtimestamp(self._clock.now(), UTC)
        return self._auth.server_time() or datetime.now(UTC)


class _NewestFirst:
    """The sync's actions newest first, sorted once until the sync may have changed them.

    Sorting every action for each 500-row window made loading a big cloud
    quadratic; the owner calls :meth:`invalidate` after each sync or read.
    """

    def __init__(self, read: Callable[[], list[Action]]) -> None:
        self._read = read
        self._sorted: list[Action] | None = None

    def get(self) -> list[Action]:
        """Every known action, newest first (do not modify the list)."""
        if self._sorted is None:
            self._sorted = sorted(self._read(), key=_newest_first, reverse=True)
        return self._sorted

    def invalidate(self) -> None:
        """The actions may have changed: sort again on the next read."""
        self._sorted = None


def _matches(action: Action, needle: str) -> bool:
    return any(needle in (text or "").lower() for text in (action.resource, action.object_name))


def _newest_first(action: Action) -> tuple[datetime, str]:
    return (action.created_at or _EPOCH, action.id)


__all__ = ["Clock", "OpenStackBackend", "OpenStackCredentials"]
