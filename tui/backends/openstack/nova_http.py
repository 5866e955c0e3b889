"""Nova's GETs over the HTTP stack keystoneauth1 already uses (``requests``, urllib3).

The OpenStack backend has one HTTP stack, like the ``openstack`` CLI: the
tokens come from keystoneauth1 (which speaks ``requests``), and so do the
compute requests, through :class:`NovaHttp`. A process that talks only to
OpenStack never loads httpx. Every guarantee of :mod:`tui.backends.http`
holds here too:

* one overall deadline per request (connect, headers and the whole body),
  the client's ``timeout``: each request runs in a daemon thread under an
  :class:`~tui.backends.openstack.keystone_http.Exchange`, whose sockets
  (new or kept alive) are shut down when the deadline passes or the caller
  stops waiting, so a server dripping bytes cannot hold the thread;
* bodies are streamed and refused past
  :data:`~tui.backends.answers.MAX_BODY_BYTES`, counted after decompression;
* redirects are never followed: a 3xx is a
  :class:`~tui.backends.base.RedirectError` naming only the target's origin
  (the token never travels to another host), and its body is never read;
* every failure is a typed :mod:`tui.backends.base` error naming the request
  (:mod:`tui.backends.answers` reads statuses, ``Retry-After`` and bodies the
  same way for both transports); the request's credential headers are
  redacted from every message and URL;
* every request is counted and timed in :class:`~tui.backends.base.RequestStats`;
* the pool keeps as many connections alive as may be open at once
  (``connections``, the backend's concurrency), so concurrent requests reuse them.

JSON is decoded in the request's thread, so a big answer never blocks the
event loop. ``~/.netrc`` is not read (httpx does not read it either): the only
credential sent is the token. Nothing here prints, sleeps or touches the UI.
"""

from __future__ import annotations

import functools
import http
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import requests
import urllib3

from tui.backends.answers import (
    MAX_BODY_BYTES,
    decode_json,
    header_secrets,
    raise_for_status,
    refuse_redirect,
    too_large,
)
from tui.backends.base import (
    BackendError,
    BackendTimeout,
    BadResponseError,
    Request,
    RequestStats,
    UnreachableError,
)
from tui.backends.openstack.keystone_http import (
    READ_SIZE,
    Exchange,
    TrackingAdapter,
    current_exchange,
    run_exchange,
)

if TYPE_CHECKING:
    from requests.sessions import _Settings

MAX_CAUSES = 8
"""How deep the cause of a transport failure is looked for."""

MAX_ORIGINS = 16
"""Origins whose environment settings a session keeps (a compute endpoint and its links)."""

KEPT_REQUESTS = 64
"""Prepared GETs a session keeps for the next request with the same arguments."""

Record = Callable[[], Request]
"""Makes the record of the request under way, on demand."""
Late = Callable[[], BackendError]
"""Makes the error of a request past its deadline."""


@dataclass(frozen=True)
class _Received:
    """A whole answer, body read (what :mod:`tui.backends.answers` reads)."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def reason_phrase(self) -> str:
        """The standard phrase of the status (the server's own text is not used)."""
        try:
            return http.HTTPStatus(self.status_code).phrase
        except ValueError:
            return ""


def _no_netrc(request: Any) -> Any:
    """A session-wide auth that adds nothing, so ``requests`` never consults ``~/.netrc``."""
    return request


class _OriginSession(requests.Session):
    """A session that reads the environment's proxy and CA settings once per origin.

    ``requests`` reads them again for every request (every environment
    variable scanned for ``*_proxy``, ``no_proxy`` matched against the host):
    about a fifth of a poll request's CPU. What it finds depends only on the
    environment, the URL's scheme and host, and the request's own settings, so
    it is kept per (origin, settings); httpx likewise reads the environment once,
    when its client is made. A request with its own proxies is worked out as usual.
    """

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[tuple[Any, ...], _Settings] = {}
        self._prepared: dict[tuple[Any, ...], requests.PreparedRequest] = {}

    def get_kept(
        self,
        url: str,
        params: Mapping[str, Any],
        headers: Mapping[str, str],
        **settings: Any,
    ) -> requests.Response:
        """``get(url, params=..., headers=..., allow_redirects=False, **settings)``, the
        request prepared as the last time it was sent with the same arguments.

        A poll repeats most of its GETs (an unsettled action's list and events):
        preparing one (the URL parsed and quoted, headers and settings merged,
        the cookies looked up) is about a third of its CPU in the request's
        thread. The copy kept is used only while the session holds no cookie
        (a cookie the server set is sent as usual); several threads may read
        and fill it (each takes a copy).
        """
        try:
            key = (url, tuple(params.items()), tuple(headers.items()))
            kept = None if self.cookies else self._prepared.get(key)
        except TypeError:  # an unhashable parameter: prepared as usual
            return self.get(url, params=params, headers=headers, allow_redirects=False, **settings)
        if kept is None:
            kept = self.prepare_request(
                requests.Request("GET", url, params=dict(params), headers=dict(headers))
            )
            if not self.cookies:
                if len(self._prepared) >= KEPT_REQUESTS:
                    self._prepared.clear()
                self._prepared[key] = kept
        stream, verify = settings.pop("stream", None), settings.pop("verify", None)
        environment = self.merge_environment_settings(kept.url, {}, stream, verify, None)
        return self.send(kept.copy(), allow_redirects=False, **settings, **environment)

    def merge_environment_settings(
        self, url: str | bytes | None, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> _Settings:
        """What ``requests`` would work out, from the copy kept for this origin."""
        if proxies or not isinstance(url, str) or not _hashable(verify, cert, stream):
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc, stream, verify, cert)
        kept = self._environment.get(key)
        if kept is None:
            if len(self._environment) >= MAX_ORIGINS:
                self._environment.clear()
            settings = super().merge_environment_settings(url, proxies, stream, verify, cert)
            kept = self._environment[key] = settings
        fresh = kept.copy()
        fresh["proxies"] = dict(kept["proxies"])
        return fresh


def _hashable(*values: Any) -> bool:
    try:
        hash(values)
    except TypeError:
        return False
    return True


class NovaHttp:
    """Keep-alive GETs to one compute endpoint, bounded like :mod:`tui.backends.http`."""

    def __init__(
        self,
        backend: str,
        endpoint: str,
        *,
        verify: bool | str = True,
        timeout: float = 15.0,
        connections: int = 8,
        stats: RequestStats | None = None,
    ) -> None:
        self.backend = backend
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout
        self.stats = stats
        session = _OriginSession()
        session.headers.update({"Accept": "application/json", "User-Agent": "actiondeck"})
        session.auth = _no_netrc
        self._verify = verify
        """Given with every request: a session-wide path would lose to ``REQUESTS_CA_BUNDLE``."""
        size = max(1, connections)
        adapter = TrackingAdapter(pool_connections=1, pool_maxsize=size)
        for scheme in ("http://", "https://"):
            session.mount(scheme, adapter)
        self._session = session

    def close(self) -> None:
        """Close every kept-alive connection."""
        self._session.close()

    def url_of(self, path: str) -> str:
        """The absolute URL of ``path`` (relative to the endpoint, or already absolute)."""
        if "://" in path:
            return path
        return f"{self.endpoint}/{path.lstrip('/')}"

    async def get_json(
        self, path: str, *, params: Mapping[str, Any] | None = None, headers: dict[str, str]
    ) -> Any:
        """GET ``path`` and return its decoded JSON body.

        Raises:
            BackendError: a typed subclass for every failure (see the module docstring).
        """
        url = self.url_of(path)
        secrets = tuple(header_secrets(headers))
        query = f"{url}?{urlencode(params)}" if params else url
        # Recorded (and redacted) only when something goes wrong: not on the hot path.
        record: Record = functools.cache(lambda: Request.of("GET", path, query, secrets))

        def late() -> BackendError:
            detail = f"timed out (no complete answer within {self.timeout:g}s)"
            return _failure(BackendTimeout, self.backend, record(), detail, secrets)

        def work() -> Any:
            return self._exchange(path, url, params, headers, record, secrets, late)

        began = time.perf_counter()
        try:
            return await run_exchange(self.backend, self.timeout, work, late=late)
        finally:
            if self.stats is not None:
                self.stats.record(time.perf_counter() - began)

    # -- in the exchange's thread ------------------------------------------------------

    def _exchange(
        self,
        path: str,
        url: str,
        params: Mapping[str, Any] | None,
        headers: dict[str, str],
        record: Record,
        secrets: tuple[str, ...],
        late: Late,
    ) -> Any:
        exchange = current_exchange(self.timeout)
        left = exchange.remaining()
        if left <= 0:
            raise late()
        try:
            response = self._session.get_kept(
                url,
                params or {},
                headers,
                timeout=(left, left),
                verify=self._verify,
                stream=True,
            )
        except requests.RequestException as exc:
            raise self._transport_failure(exc, exchange, record, secrets, late) from None
        try:
            status = response.status_code
            if 300 <= status < 400:  # the record is redacted, so made only when needed
                what = record()
                refuse_redirect(status, response.headers, url, self.backend, what, secrets=secrets)
            body = self._read_body(response, exchange, record, secrets, late)
            # requests' own flag that the body is read (the connection goes back to the
            # pool); private, so not in its stubs
            response._content_consumed = True  # type: ignore[attr-defined]
        finally:
            response.close()
        received = _Received(status, response.headers, body)
        if status >= 400:
            raise_for_status(received, self.backend, record(), secrets)
        return decode_json(received, self.backend, path, secrets, request=record)

    def _read_body(
        self,
        response: requests.Response,
        exchange: Exchange,
        record: Record,
        secrets: tuple[str, ...],
        late: Late,
    ) -> bytes:
        declared = response.headers.get("content-length", "")
        status = response.status_code
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            detail = f"answer too large ({int(declared)} bytes)"
            raise too_large(status, self.backend, record(), detail, secrets)
        chunks: list[bytes] = []
        size = 0
        while True:
            if exchange.remaining() <= 0:
                raise late()
            chunk = self._read_chunk(response, exchange, record, secrets, late)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                detail = f"answer larger than {MAX_BODY_BYTES} bytes"
                raise too_large(status, self.backend, record(), detail, secrets)
            chunks.append(chunk)

    def _read_chunk(
        self,
        response: requests.Response,
        exchange: Exchange,
        record: Record,
        secrets: tuple[str, ...],
        late: Late,
    ) -> bytes:
        try:
            return bytes(response.raw.read1(READ_SIZE, decode_content=True))
        except urllib3.exceptions.DecodeError:
            reason = f"{record().path}: body does not decompress"
            status = response.status_code
            raise BadResponseError(
                self.backend, reason, status=status, request=record(), secrets=secrets
            ) from None
        except urllib3.exceptions.ReadTimeoutError:
            if exchange.remaining() <= 0:
                raise late() from None
            detail = "timed out (ReadTimeout)"
            raise _failure(BackendTimeout, self.backend, record(), detail, secrets) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            if exchange.remaining() <= 0:
                raise late() from None
            detail = f"connection dropped ({_first_line(_root_cause(exc))})"
            raise _failure(UnreachableError, self.backend, record(), detail, secrets) from None

    def _transport_failure(
        self,
        exc: requests.RequestException,
        exchange: Exchange,
        record: Record,
        secrets: tuple[str, ...],
        late: Late,
    ) -> BackendError:
        if exchange.remaining() <= 0:
            return late()  # aborted by the deadline (or the caller stopped waiting)
        if isinstance(exc, requests.Timeout):
            name = "ConnectTimeout" if isinstance(exc, requests.ConnectTimeout) else "ReadTimeout"
            return _failure(BackendTimeout, self.backend, record(), f"timed out ({name})", secrets)
        detail = describe_transport_error(exc)
        return _failure(UnreachableError, self.backend, record(), detail, secrets)


def describe_transport_error(exc: BaseException) -> str:
    """A short human reason for a ``requests`` failure, without URLs or headers.

    The same words as :func:`tui.backends.http.describe_transport_error`:
    ``TLS error``, ``cannot connect`` or ``connection dropped`` and the root cause.
    """
    root = _root_cause(exc)
    text = _first_line(root)
    if isinstance(exc, requests.exceptions.SSLError) or "certificate" in text.lower():
        return f"TLS error ({text})"
    if _caused_by(exc, urllib3.exceptions.NewConnectionError) or isinstance(
        exc, requests.exceptions.ConnectTimeout
    ):
        return f"cannot connect ({text})"
    if isinstance(exc, requests.ConnectionError):
        return f"connection dropped ({text})"
    return f"{type(exc).__name__} ({text})"


def _causes(exc: BaseException) -> Iterable[BaseException]:
    """``exc`` and what caused it, outermost first (bounded)."""
    current: BaseException | None = exc
    for _ in range(MAX_CAUSES):
        if current is None:
            return
        yield current
        inner = getattr(current, "reason", None)  # urllib3's MaxRetryError
        if not isinstance(inner, BaseException):
            inner = next((a for a in current.args if isinstance(a, BaseException)), None)
        current = inner or current.__cause__ or current.__context__


def _root_cause(exc: BaseException) -> BaseException:
    """The innermost cause of ``exc`` (an ``OSError`` such as "Connection refused")."""
    return list(_causes(exc))[-1]


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    return any(isinstance(cause, kind) for cause in _causes(exc))


def _first_line(exc: BaseException) -> str:
    """The first line of ``exc``'s message, bounded (its type's name when it has none).

    urllib3 names the connection object first (``HTTPConnection(host=..., port=...):``):
    that part says nothing the request does not already say, and is left out.
    """
    text = (str(exc) or type(exc).__name__).strip().splitlines()[0]
    head, sep, rest = text.partition("): ")
    if sep and "Connection(" in head:
        text = rest
    return text[:160]


def _failure(
    kind: type[BackendError], backend: str, request: Request, detail: str, secrets: Iterable[str]
) -> BackendError:
    """An error about ``request`` that got no usable answer: ``GET /path: detail``."""
    return kind(backend, f"{request}: {detail}", request=request, detail=detail, secrets=secrets)


__all__ = ["NovaHttp", "describe_transport_error"]
