"""Bounded HTTP for keystoneauth1: no redirects, one deadline, a body cap.

keystoneauth1 talks to Keystone synchronously through ``requests``.
:func:`harden_session` gives a keystoneauth session a :class:`BoundedSession`
(a ``requests.Session``) that

* never follows a redirect: a 3xx answer (but the 300 Multiple Choices of
  version discovery, which is read, not followed) raises a
  :class:`~tui.backends.base.RedirectError` naming only the target's origin,
  so the password is never POSTed to another host;
* streams every body and refuses it past :data:`MAX_BODY_BYTES`, counted after
  decompression (urllib3 inflates a bounded amount per read, so a gzip bomb
  stops early);
* spends at most what is left of the current :class:`Exchange`'s deadline on
  each request, and records every socket it opens so that
  :meth:`Exchange.abort` can shut them down when the caller stops waiting
  (a server dripping headers or a body cannot hold the thread);
* refuses a 401 on an unauthenticated GET (version discovery): keystoneauth
  would retry it with a token while holding its plugin's non-reentrant lock,
  which deadlocks the calling thread forever.

Refusals travel through keystoneauth as :class:`KeystoneRefusal`, which is
neither a ``requests`` nor a keystoneauth exception, so nothing there retries
or swallows it. :func:`run_exchange` runs a blocking call in a daemon thread
(a stuck thread must never keep the process alive at exit). Nothing here
prints, sleeps or touches the UI.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3
from keystoneauth1.session import Session, TCPKeepAliveAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from tui.backends.answers import MAX_BODY_BYTES, header_secrets, refuse_redirect
from tui.backends.base import (
    AuthRejectedError,
    BackendError,
    BackendTimeout,
    BadResponseError,
    Request,
    UnreachableError,
)

T = TypeVar("T")

READ_SIZE = 64 * 1024
"""Bytes asked for per body read (after decompression)."""

_LOCAL = threading.local()
"""``exchange``: the :class:`Exchange` the current thread works for."""


class KeystoneRefusal(Exception):
    """A typed error raised from inside keystoneauth; mapped by ``keystone_errors``."""

    def __init__(self, error: BackendError) -> None:
        super().__init__(error.reason)
        self.error = error


class Exchange:
    """One overall deadline and the sockets opened under it (thread-safe)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends_at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.aborted = False

    def remaining(self) -> float:
        """Seconds left (0 once aborted or past the deadline)."""
        return 0.0 if self.aborted else max(0.0, self._ends_at - time.monotonic())

    def track(self, sock: socket.socket) -> None:
        """Remember ``sock`` so :meth:`abort` can end it (shut at once if already aborted)."""
        with self._lock:
            self._sockets.append(sock)
            aborted = self.aborted
        if aborted:
            _shut(sock)

    def abort(self) -> None:
        """Stop: shut down every socket, so a blocked read in the worker thread ends."""
        with self._lock:
            self.aborted = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def current_exchange(default_seconds: float) -> Exchange:
    """The exchange this thread works for (a new one of ``default_seconds`` outside one)."""
    exchange = getattr(_LOCAL, "exchange", None)
    return exchange if isinstance(exchange, Exchange) else Exchange(default_seconds)


async def run_exchange(
    backend: str,
    seconds: float,
    call: Callable[[], T],
    *,
    late: Callable[[], BackendError] | None = None,
) -> T:
    """Run blocking ``call`` in a daemon thread under one overall deadline.

    Cancelling the awaiting task, or the deadline passing, aborts the exchange
    (every socket opened or reused under it is shut down).

    Raises:
        BackendTimeout: the deadline passed (``late()`` when given, else one about
            the identity service).
    """
    exchange = Exchange(seconds)
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def work() -> None:
        _LOCAL.exchange = exchange
        try:
            outcome: tuple[Any, BaseException | None] = (call(), None)
        except BaseException as exc:  # handed to the awaiting task, re-raised there
            outcome = (None, exc)
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
            loop.call_soon_threadsafe(_settle, future, *outcome)

    threading.Thread(target=work, name="keystone", daemon=True).start()
    limit = asyncio.timeout(seconds)
    try:
        async with limit:
            return await future
    except TimeoutError:
        exchange.abort()
        if not limit.expired():
            raise
        if late is not None:
            raise late() from None
        reason = f"identity service timed out (no complete answer within {seconds:g}s)"
        raise BackendTimeout(backend, reason) from None
    except BaseException:
        exchange.abort()
        raise


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _track(sock: socket.socket) -> socket.socket:
    exchange = getattr(_LOCAL, "exchange", None)
    if isinstance(exchange, Exchange):
        exchange.track(sock)
    return sock


class _TrackedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _track(super()._new_conn())


class _TrackedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _track(super()._new_conn())


def _track_reused(conn: Any) -> Any:
    """A pooled connection taken for a request: its open socket belongs to this exchange."""
    sock = getattr(conn, "sock", None)
    if isinstance(sock, socket.socket):
        _track(sock)
    return conn


class _TrackedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _TrackedHTTPConnection

    def _get_conn(self, timeout: float | None = None) -> Any:
        return _track_reused(super()._get_conn(timeout))


class _TrackedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _TrackedHTTPSConnection

    def _get_conn(self, timeout: float | None = None) -> Any:
        return _track_reused(super()._get_conn(timeout))


_TRACKED_POOLS = {"http": _TrackedHTTPPool, "https": _TrackedHTTPSPool}


class TrackingAdapter(TCPKeepAliveAdapter):
    """keystoneauth's keep-alive adapter whose connections register their sockets.

    A socket opened, or a kept-alive one reused, by a request of an
    :class:`Exchange` is registered with it, so :meth:`Exchange.abort` ends it.
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_TRACKED_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = dict(_TRACKED_POOLS)
        return manager


class BoundedSession(requests.Session):
    """The ``requests.Session`` keystoneauth uses: see the module docstring."""

    def __init__(self, backend: str, timeout: float, max_body: int = MAX_BODY_BYTES) -> None:
        super().__init__()
        self.backend = backend
        self.timeout = timeout
        self.max_body = max_body
        adapter = TrackingAdapter()
        for scheme in ("http://", "https://"):
            self.mount(scheme, adapter)

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        """One request within what is left of the exchange's deadline, body read and capped."""
        method, url = _text(method).upper(), _text(url)
        headers = kwargs.get("headers")
        secrets = header_secrets(headers) if isinstance(headers, dict) else []
        what = Request.of(method, urlsplit(url).path or "/", url, secrets)
        exchange = current_exchange(self.timeout)
        left = exchange.remaining()
        if left <= 0:
            raise KeystoneRefusal(self._late(what, exchange))
        kwargs.update(timeout=(left, left), allow_redirects=False, stream=True)
        try:
            response = super().request(method, url, *args, **kwargs)
            try:
                self._check(response, url, what, headers)
                response._content = self._read_body(response, what, exchange)
                # requests' own flag that the body is read; private, so not in its stubs
                response._content_consumed = True  # type: ignore[attr-defined]
            finally:
                response.close()
        finally:
            self.close()  # no keep-alive: every request opens a tracked connection
        return response

    def _late(self, what: Request, exchange: Exchange) -> BackendError:
        reason = (
            f"identity service: {what}: timed out (no complete answer within {exchange.seconds:g}s)"
        )
        return BackendTimeout(self.backend, reason, request=what)

    def _check(self, response: requests.Response, url: str, what: Request, headers: Any) -> None:
        status, headers_in = response.status_code, response.headers
        if status == 300 and what.method == "GET":
            # Keystone answers an unversioned URL with 300 Multiple Choices and its
            # versions: discovery reads that document; nothing follows it.
            return
        try:
            refuse_redirect(
                status, headers_in, url, self.backend, what, service="identity service: "
            )
        except BackendError as error:
            raise KeystoneRefusal(error) from None
        token_sent = isinstance(headers, dict) and any(
            str(key).lower() == "x-auth-token" for key in headers
        )
        if status == 401 and what.method == "GET" and not token_sent:
            reason = f"identity service refused {what} (HTTP 401)"
            raise KeystoneRefusal(AuthRejectedError(self.backend, reason, status=401, request=what))

    def _bad(self, response: requests.Response, what: Request, detail: str) -> KeystoneRefusal:
        reason = f"identity service: {what}: {detail}"
        status = response.status_code
        return KeystoneRefusal(BadResponseError(self.backend, reason, status=status, request=what))

    def _read_body(self, response: requests.Response, what: Request, exchange: Exchange) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise self._bad(response, what, f"answer too large ({int(declared)} bytes)")
        chunks: list[bytes] = []
        size = 0
        while True:
            if exchange.remaining() <= 0:
                raise KeystoneRefusal(self._late(what, exchange))
            chunk = self._read_chunk(response, what, exchange)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_body:
                raise self._bad(response, what, f"answer larger than {self.max_body} bytes")
            chunks.append(chunk)

    def _read_chunk(self, response: requests.Response, what: Request, exchange: Exchange) -> bytes:
        try:
            return bytes(response.raw.read1(READ_SIZE, decode_content=True))
        except urllib3.exceptions.DecodeError:
            raise self._bad(response, what, "body does not decompress") from None
        except (urllib3.exceptions.HTTPError, OSError):
            if exchange.remaining() <= 0:
                raise KeystoneRefusal(self._late(what, exchange)) from None
            reason = f"identity service: {what}: connection dropped while reading the answer"
            status = response.status_code
            error = UnreachableError(self.backend, reason, status=status, request=what)
            raise KeystoneRefusal(error) from None


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def harden_session(session: Session, backend: str, timeout: float | None = None) -> None:
    """Give ``session`` the bounded transport, no redirects and a per-request timeout.

    Idempotent; a later call with a ``timeout`` updates it.
    """
    session.redirect = False
    current = session.session
    if not isinstance(current, BoundedSession):
        bounded = BoundedSession(backend, timeout or 15.0)
        bounded.headers.update(current.headers)
        bounded.proxies.update(current.proxies)
        bounded.trust_env = current.trust_env
        session.session = bounded
        current.close()
        current = bounded
    if timeout is not None and math.isfinite(timeout) and timeout > 0:
        current.timeout = timeout
        session.timeout = timeout


__all__ = [
    "BoundedSession",
    "Exchange",
    "KeystoneRefusal",
    "TrackingAdapter",
    "current_exchange",
    "harden_session",
    "run_exchange",
]
