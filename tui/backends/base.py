"""The small interface every backend implements, and the errors it may raise.

Error tree::

    BackendError              any failure talking to one backend
    ├── UnreachableError      connection refused/reset, DNS, TLS, timeout
    │   └── BackendTimeout    the server did not answer in time
    ├── AuthError             the identity service or the credentials failed us
    │   └── AuthRejectedError an answer of 401 (credentials refused) or 403 (not allowed)
    ├── NotFoundError         the action (or server) does not exist
    ├── RateLimitedError      429; carries ``retry_after`` seconds when known
    └── BadResponseError      HTML instead of JSON, malformed or oversized body, other 4xx
        ├── ServerError       a 5xx answer
        ├── UnreadableEntryError  one entry of an answer cannot be read
        └── RedirectError     a 3xx answer: never followed, never taken as data

Every backend also counts its requests (:class:`RequestStats`, read as a
:class:`Traffic` snapshot), so the operator can see how hard it hits its API.

Every error carries data, so that nothing has to read its message: the
backend's name, the HTTP ``status`` when there was an answer, the
:class:`Request` it answers (method and redacted URL) when it is about one
exchange, and two human texts: ``reason`` (the whole message, naming the
request) and ``detail`` (what went wrong, without the request; the backend bar
shows it). Both are passed through :func:`~tui.backends.redact.redact` with the
``secrets`` given, so no message ever contains a credential. Backends never
print, sleep in loops or touch the UI: they return ``model`` objects or raise.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from tui.backends.redact import redact, redact_url
from tui.model import Action


@dataclass(frozen=True)
class Request:
    """The request an error answers: never a token, a password or a secret query value."""

    method: str
    """``GET``, ``POST``..."""
    path: str
    """The path as the backend asked for it (relative to its endpoint, or a redacted
    absolute URL), without the query: how messages name the request."""
    url: str = ""
    """The absolute URL, redacted (:func:`~tui.backends.redact.redact_url`)."""

    @classmethod
    def of(
        cls, method: str, path: str, url: str | None = None, secrets: Iterable[str] = ()
    ) -> Request:
        """A request record with its path and URL redacted (``url`` defaults to ``path``)."""
        kept = tuple(secrets)
        if "://" in path:
            shown = redact_url(path.split("?", 1)[0], kept)
        else:
            shown = redact(path.split("?", 1)[0].split("#", 1)[0], kept)
        return cls(method.upper(), shown, redact_url(url or path, kept))

    def __str__(self) -> str:
        """``GET /path``: how messages name the request."""
        return f"{self.method} {self.path}"


class BackendError(Exception):
    """A failure talking to one backend (see the module docstring for its data)."""

    def __init__(
        self,
        backend: str,
        reason: str,
        *,
        status: int | None = None,
        request: Request | None = None,
        detail: str | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        kept = tuple(secrets)
        self.backend: str = backend
        self.reason: str = redact(reason, kept)
        """The whole human message (without the backend's name)."""
        self.detail: str = self.reason if detail is None else redact(detail, kept)
        """What went wrong, without the request it came from."""
        self.status: int | None = status
        """The HTTP status of the answer, when there was one."""
        self.request: Request | None = request
        super().__init__(f"{backend}: {self.reason}")


class UnreachableError(BackendError):
    """The backend could not be reached (connection, DNS, TLS)."""


class BackendTimeout(UnreachableError):
    """The backend did not answer in time."""


class AuthError(BackendError):
    """The credentials could not be used (identity failure, missing options, refusal)."""


class AuthRejectedError(AuthError):
    """The server answered 401 (credentials refused) or 403 (not allowed); see ``status``.

    Only a 401 is worth a new token: a 403 is a policy, it will say the same again.
    """

    @property
    def token_refused(self) -> bool:
        """True for a 401: the token or password itself was refused."""
        return self.status == 401


class NotFoundError(BackendError):
    """The action or object does not exist on the backend."""


class RateLimitedError(BackendError):
    """The backend asked us to slow down (429)."""

    def __init__(
        self,
        backend: str,
        reason: str,
        retry_after: float | None = None,
        *,
        status: int | None = 429,
        request: Request | None = None,
        detail: str | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        super().__init__(
            backend, reason, status=status, request=request, detail=detail, secrets=secrets
        )
        self.retry_after: float | None = retry_after
        """Seconds the server asked us to wait (``Retry-After``), when it said."""


class BadResponseError(BackendError):
    """The backend answered with something we cannot use (HTML, bad JSON, other 4xx)."""


class ServerError(BadResponseError):
    """The backend answered with a 5xx status."""


class UnreadableEntryError(BadResponseError):
    """One entry (an action, a server) cannot be read.

    Lists skip such an entry and count it (``unreadable``); reading that one
    entry on its own fails with this error.
    """


class RedirectError(BadResponseError):
    """The backend answered with a redirect; credentials never follow one.

    ``target`` is the redirect's origin (``scheme://host:port``), never the full URL.
    """

    def __init__(
        self,
        backend: str,
        reason: str,
        target: str | None = None,
        *,
        status: int | None = None,
        request: Request | None = None,
        detail: str | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        super().__init__(
            backend, reason, status=status, request=request, detail=detail, secrets=secrets
        )
        self.target: str | None = target


def http_error_type(status: int) -> type[BackendError]:
    """The error class for an HTTP error status (4xx/5xx)."""
    if status in (401, 403):
        return AuthRejectedError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitedError
    if status >= 500:
        return ServerError
    return BadResponseError


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
    first_total: int | None = None
    """The total when the window's first page was read (``None``: taken as ``total``).

    An offset-paged list growing at its top places a window by the total its
    first page was read at: a preload compares the windows it asked for
    together by it (:meth:`tui.console.fetcher.Fetcher.preload`)."""


def counts_fewer(total: int | None, before: int | None) -> bool:
    """True when an answer counts fewer actions than the one read before it (both counted).

    Pages or windows asked for together may be answered in any order. On a
    list that grows at its top, one answered before an arrival that the one
    before it already counts sits one place too high: an action between the
    two would be in neither. Read again, after the one before it, it counts
    the arrival too.
    """
    return total is not None and before is not None and total < before


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


@dataclass(frozen=True)
class Traffic:
    """How hard a backend is hitting its API: a snapshot of its request counts."""

    total: int
    """Requests sent since the backend was built."""
    last_minute: int
    """Requests sent within the last minute."""
    last_latency: float | None
    """Seconds the latest request took (``None`` before the first)."""


RATE_WINDOW = 60.0
"""Seconds over which :meth:`RequestStats.recent` counts requests."""
MAX_TRACKED = 100_000
"""At most this many request times are kept for :meth:`RequestStats.recent`."""


class RequestStats:
    """How many requests a backend sent, how many in the last minute, how long the last took.

    Bounded: only the last :data:`RATE_WINDOW` seconds of request times are
    kept (at most :data:`MAX_TRACKED`).
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._times: deque[float] = deque(maxlen=MAX_TRACKED)
        self.total = 0
        """Requests sent since the backend was built (answered or not)."""
        self.last_latency: float | None = None
        """Seconds the latest finished request took (``None`` before the first)."""

    def record(self, seconds: float) -> None:
        """Count one finished request that took ``seconds``."""
        self.total += 1
        self.last_latency = seconds
        self._times.append(self._monotonic())
        self._prune()

    def recent(self) -> int:
        """Requests finished within the last :data:`RATE_WINDOW` seconds."""
        self._prune()
        return len(self._times)

    def traffic(self) -> Traffic:
        """The counts now, as a value."""
        return Traffic(self.total, self.recent(), self.last_latency)

    def _prune(self) -> None:
        horizon = self._monotonic() - RATE_WINDOW
        while self._times and self._times[0] < horizon:
            self._times.popleft()


def traffic_of(backend: object) -> Traffic | None:
    """The backend's request counts, when it keeps them (a ``stats`` with ``traffic()``)."""
    stats = getattr(backend, "stats", None)
    snapshot = getattr(stats, "traffic", None)
    if not callable(snapshot):
        return None
    found = snapshot()
    return found if isinstance(found, Traffic) else None


@runtime_checkable
class Backend(Protocol):
    """One configured backend."""

    name: str
    type: str
    """The family (a :data:`tui.backends.REGISTRY` key), also each action's ``backend_type``."""

    @property
    def stats(self) -> RequestStats:
        """Every request this backend sent to its API: how many, how recently, the last one's time.

        The backend bar's tooltip and ``config check --probe`` read it
        (:func:`traffic_of`); a backend whose client is made by
        :func:`tui.backends.http.make_client` passes it as ``stats=``.
        """
        ...

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
