"""An OpenStack backend whose keystoneauth1 session is made for its first request.

keystoneauth1 with requests and urllib3 costs about a tenth of a second to
import, before the console's first rows or a command's first request. A
backend from inline credentials is therefore built in two steps:
``build()`` checks the credentials at once
(:func:`~tui.backends.openstack.plugins.refusal`: keystoneauth1's own rules
and messages, without it), so a bad config is still refused at start, and
this class makes the session and the real
:class:`~tui.backends.openstack.backend.OpenStackBackend` when it is first
asked for actions (importing keystoneauth1 in a worker thread, so the event
loop keeps serving the screen meanwhile). Nothing here prints or touches the UI.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from tui.backends.base import ActionPage, ListQuery, PollUpdate, RequestStats
from tui.backends.openstack.spec import TYPE
from tui.backends.spec import BackendSetupError
from tui.model import Action

if TYPE_CHECKING:
    from tui.backends.openstack.auth import ResolvedSession
    from tui.backends.openstack.backend import OpenStackBackend
    from tui.backends.openstack.credentials import OpenStackCredentials


class DeferredOpenStackBackend:
    """An :class:`~tui.backends.openstack.backend.OpenStackBackend` made at its first use."""

    type = TYPE

    def __init__(
        self, name: str, credentials: OpenStackCredentials, *, timeout: float, **options: Any
    ) -> None:
        """Keep what the backend is made of; no import, no request yet.

        Args:
            name: the configured backend name.
            credentials: inline credentials that keystoneauth1 takes (already checked).
            timeout: seconds per HTTP request.
            options: the other keywords of ``OpenStackBackend`` (servers, ...).
        """
        self.name = name
        self.timeout = timeout
        self._credentials = credentials
        self._options = options
        self._backend: OpenStackBackend | None = None
        self._making = asyncio.Lock()
        self._no_requests = RequestStats()

    @property
    def stats(self) -> RequestStats:
        """The requests sent to Nova (none before the backend is made)."""
        return self._backend.stats if self._backend is not None else self._no_requests

    @property
    def microversion(self) -> tuple[int, int] | None:
        """The negotiated compute microversion (``None`` before the first request)."""
        return self._backend.microversion if self._backend is not None else None

    @property
    def made(self) -> bool:
        """Whether the session and the real backend exist yet (for tests and diagnostics)."""
        return self._backend is not None

    def make_now(self) -> None:
        """Make the session and the backend on this thread, now (a command uses them at once).

        Raises:
            BackendSetupError: keystoneauth1 refuses the credentials after all.
        """
        if self._backend is not None:
            return
        from tui.backends.openstack.auth import OpenStackConfigError

        try:
            resolved = self._session()
        except OpenStackConfigError as error:
            raise BackendSetupError(error.reason) from None
        self._backend = self._backend_of(resolved)

    async def list_actions(self, query: ListQuery) -> ActionPage:
        """One window of every server's actions, newest first."""
        return await (await self._made()).list_actions(query)

    async def get_action(self, action_id: str) -> Action:
        """One action with its events (``SERVER_ID/REQUEST_ID``)."""
        return await (await self._made()).get_action(action_id)

    async def poll(self) -> PollUpdate:
        """What changed since the previous poll (everything the first time)."""
        return await (await self._made()).poll()

    async def aclose(self) -> None:
        """Release connections (none when no request was made)."""
        if self._backend is not None:
            await self._backend.aclose()

    async def _made(self) -> OpenStackBackend:
        """The real backend, made once (a config refusal is raised again on each call)."""
        async with self._making:
            if self._backend is None:
                self._backend = self._backend_of(await asyncio.to_thread(self._session))
            return self._backend

    def _session(self) -> ResolvedSession:
        """The keystoneauth1 session (imports keystoneauth1: run it off the event loop)."""
        import tui.backends.openstack.backend  # noqa: F401 -- its imports, off the loop too
        from tui.backends.openstack.auth import session_from_credentials

        return session_from_credentials(self.name, self._credentials)

    def _backend_of(self, resolved: ResolvedSession) -> OpenStackBackend:
        from tui.backends.openstack.backend import OpenStackBackend  # loaded by _session

        return OpenStackBackend.from_resolved(
            self.name, resolved, timeout=self.timeout, **self._options
        )
