"""The small interface every backend implements, and the errors it may raise.

Error tree::

    BackendError              any failure talking to one backend
    ├── UnreachableError      connection refused/reset, DNS, TLS, timeout
    │   └── BackendTimeout    the server did not answer in time
    ├── AuthError             401/403, or the identity service refused us
    ├── NotFoundError         the action (or server) does not exist
    ├── RateLimitedError      429; carries ``retry_after`` seconds when known
    └── BadResponseError      5xx, HTML instead of JSON, malformed or oversized body
        ├── UnreadableEntryError  one entry of an answer cannot be read
        └── RedirectError     a 3xx answer: never followed, never taken as data

Every message names the backend and never contains a secret. Backends never
print, sleep in loops or touch the UI: they return ``model`` objects or raise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from tui.model import Action


class BackendError(Exception):
    """A failure talking to one backend."""

    def __init__(self, backend: str, reason: str) -> None:
        super().__init__(f"{backend}: {reason}")
        self.backend = backend
        self.reason = reason


class UnreachableError(BackendError):
    """The backend could not be reached (connection, DNS, TLS)."""


class BackendTimeout(UnreachableError):
    """The backend did not answer in time."""


class AuthError(BackendError):
    """The backend refused our credentials (401/403 or identity failure)."""


class NotFoundError(BackendError):
    """The action or object does not exist on the backend."""


class RateLimitedError(BackendError):
    """The backend asked us to slow down (429)."""

    def __init__(self, backend: str, reason: str, retry_after: float | None = None) -> None:
        super().__init__(backend, reason)
        self.retry_after = retry_after


class BadResponseError(BackendError):
    """The backend answered with something we cannot use (5xx, HTML, bad JSON)."""


class UnreadableEntryError(BadResponseError):
    """One entry (an action, a server) cannot be read.

    Lists skip such an entry and count it (``unreadable``); reading that one
    entry on its own fails with this error.
    """


class RedirectError(BadResponseError):
    """The backend answered with a redirect; credentials never follow one.

    ``target`` is the redirect's origin (``scheme://host:port``), never the full URL.
    """

    def __init__(self, backend: str, reason: str, target: str | None = None) -> None:
        super().__init__(backend, reason)
        self.target = target


@dataclass(frozen=True)
class ListQuery:
    """What to list: an offset window over the newest-first list, optionally by resource."""

    start: int = 0
    limit: int = 50
    resource: str | None = None


@dataclass(frozen=True)
class ActionPage:
    """One window of a backend's newest-first action list."""

    actions: list[Action]
    total: int | None = None
    """How many actions match on the server, when the API says so."""
    unreadable: int = 0
    """Entries of the answer that could not be read and were skipped."""


@dataclass(frozen=True)
class PollUpdate:
    """What changed on one backend since its previous poll."""

    actions: list[Action] = field(default_factory=list)
    """New or changed actions (full objects, replacing older versions by ref)."""
    total: int | None = None
    """Server-side total, when the API reports one (Seeweb)."""
    in_flight: int = 0
    """How many actions this backend still has pending or running."""
    unreadable: int = 0
    """Entries of the backend's latest answers that could not be read (skipped)."""


@runtime_checkable
class Backend(Protocol):
    """One configured backend."""

    name: str
    type: str
    """The family (a :data:`tui.backends.REGISTRY` key), also each action's ``backend_type``."""

    async def list_actions(self, query: ListQuery) -> ActionPage:
        """Return one window of the newest-first action list."""
        ...

    async def get_action(self, action_id: str) -> Action:
        """Return one action with every detail the API has (events, pending ops).

        Raises:
            NotFoundError: when the backend does not know the action.
        """
        ...

    async def poll(self) -> PollUpdate:
        """Fetch what changed since the previous call (everything on the first call)."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
