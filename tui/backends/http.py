"""Shared HTTP plumbing for backends: one client factory and one request helper.

The helper turns every transport failure and every unusable answer into a
typed :mod:`tui.backends.base` error that carries the backend's name, the HTTP
status, the request (method and redacted URL) and a message naming the
request path and what went wrong. Every credential the client sends (the
values of its credential headers, a basic-auth password, ``secrets`` given to
:func:`make_client`) is redacted from every message and URL.

Every request has one overall deadline (connect, TLS, headers and the whole
body) equal to the client's timeout, so a server dripping bytes cannot hold
it longer. Redirects are never followed: a 3xx answer is a
:class:`~tui.backends.base.RedirectError` naming only the target's origin, so
no token or password travels to another host, and its body is never read.

A client may keep :class:`~tui.backends.base.RequestStats` (``make_client(stats=...)``): every
request it sends is counted and timed there, so the operator can see how hard
a backend is hitting its API. A client keeps as many idle connections as it
may open (``connections``), so concurrent requests reuse them.

A poll sends the same few GETs every few seconds. A client made by
:func:`make_client` where the environment names no proxy keeps each such
request as httpx built it (URL joined and parsed, headers and credentials
merged) and hands it straight to the client's own transport: the same
connections, deadline and checks, without building it again and passing it
through the client's auth and redirect machinery each time (about a third of
a request's CPU on the event loop). Anything else (a proxy in the
environment, cookies the server set, another method) goes the usual way.

What an answer means (error statuses, redirects, JSON bodies) is read by
:mod:`tui.backends.answers`, shared with the OpenStack family's own stack;
its names are re-exported here.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import ssl
import time
import urllib.request
import weakref
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import httpx

from tui.backends.answers import (
    MAX_BODY_BYTES,
    decode_json,
    expect,
    header_secrets,
    origin_of,
    raise_for_status,
    refuse_redirect,
    too_large,
)
from tui.backends.base import (
    RATE_WINDOW,
    BackendError,
    BackendTimeout,
    Request,
    RequestStats,
    UnreachableError,
)

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)

THREAD_DECODE_BYTES = 512 * 1024
"""Bodies larger than this are decoded in a worker thread."""

THREAD_PARSE_BYTES = 512 * 1024
"""Bodies larger than this are decoded and parsed in a worker thread (:func:`get_parsed`).

In a thread a parse still holds the interpreter lock, but the loop takes
it back every few milliseconds to handle a key. That is worth its cost
only for a big body: a page of a thousand Seeweb actions (270 KB), read
from its bytes, is parsed in 3.6-3.9 ms, and handing it to a thread made
the console wait for it while the thread and the loop traded the lock.
With pages parsed on the loop, 100,000 demo actions loaded in 1.57-1.63 s
against 1.66-1.76 s (four alternated starts each). A Seeweb page the fast
reader refuses is decoded and parsed by the rules, about twice as slow
(5.8-7.1 ms a thousand actions): 11-14 ms for a body at this bound.
"""

Parsed = TypeVar("Parsed")

Recorder = Callable[[], Request]
"""Makes the record (:class:`~tui.backends.base.Request`) of the request under way, on demand."""

_CLIENT_SECRETS: weakref.WeakKeyDictionary[httpx.AsyncClient, tuple[str, ...]] = (
    weakref.WeakKeyDictionary()
)
"""The credentials each client made by :func:`make_client` sends (redacted from errors)."""

_CLIENT_STATS: weakref.WeakKeyDictionary[httpx.AsyncClient, RequestStats] = (
    weakref.WeakKeyDictionary()
)

KEPT_REQUESTS = 32
"""Built requests a client keeps for :class:`_Direct` (then forgotten, and built anew)."""


class _Direct:
    """A client's own transport and the GETs built for it (see the module docstring)."""

    __slots__ = ("_auth", "_built", "transport")

    def __init__(self, transport: httpx.AsyncHTTPTransport, auth: str | None) -> None:
        self.transport = transport
        self._auth = auth
        """The ``Authorization`` the client's basic auth adds to every request, if any."""
        self._built: dict[tuple[str, Any, Any], httpx.Request] = {}

    def request(
        self, client: httpx.AsyncClient, path: str, kwargs: Mapping[str, Any]
    ) -> httpx.Request | None:
        """The GET of ``path`` as ``client`` sends it (``None``: to be sent the usual way)."""
        if client.cookies or not kwargs.keys() <= {"params", "headers"}:
            return None
        params, headers = kwargs.get("params"), kwargs.get("headers")
        try:
            key = (path, _frozen(params), _frozen(headers))
            built = self._built.get(key)
        except TypeError:  # a list among the params: not kept
            return None
        if built is None:
            if len(self._built) >= KEPT_REQUESTS:
                self._built.clear()
            built = client.build_request("GET", path, params=params, headers=headers)
            if self._auth is not None:
                built.headers["Authorization"] = self._auth
            self._built[key] = built
        return built


def _frozen(values: Mapping[str, Any] | None) -> tuple[tuple[str, Any], ...] | None:
    """``values`` as a hashable key (raises TypeError for an unhashable value)."""
    if values is None:
        return None
    frozen = tuple(values.items())
    hash(frozen)
    return frozen


_CLIENT_DIRECT: weakref.WeakKeyDictionary[httpx.AsyncClient, _Direct] = weakref.WeakKeyDictionary()


class BodyMemo(Generic[Parsed]):
    """What the last body of one repeated request was parsed into, by the body's digest.

    A poll that gets byte for byte the body it got last time is given what was
    made of it then (the same object), instead of decoding and parsing it
    again (:func:`get_parsed`). One slot, used on the event loop only; only a
    successful parse is kept, so an unreadable answer is decoded, parsed and
    reported each time it arrives. The parsed value is shared: whoever reads
    it must not change it.
    """

    __slots__ = ("_digest", "_parsed")

    def __init__(self) -> None:
        self._digest: bytes | None = None
        self._parsed: Parsed | None = None

    @staticmethod
    def digest(body: bytes) -> bytes:
        """The digest a body is known by (16 bytes, whatever its size)."""
        return hashlib.blake2b(body, digest_size=16).digest()

    def recall(self, digest: bytes) -> tuple[bool, Parsed | None]:
        """(True, what was parsed) when the last body kept had ``digest``; else (False, None)."""
        if digest == self._digest:
            return True, self._parsed
        return False, None

    def keep(self, digest: bytes, parsed: Parsed) -> None:
        """Remember ``parsed`` as what the body of ``digest`` is made into."""
        self._digest, self._parsed = digest, parsed


def make_client(
    base_url: str,
    *,
    headers: dict[str, str] | None = None,
    auth: httpx.Auth | tuple[str, str] | None = None,
    verify: bool | str | ssl.SSLContext = True,
    timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    secrets: Iterable[str] = (),
    connections: int = 8,
    stats: RequestStats | None = None,
) -> httpx.AsyncClient:
    """Create the AsyncClient a backend uses for its whole life.

    At most ``connections`` are open at once, and as many stay open when idle
    (a backend sending that many requests concurrently reuses them all).
    ``stats`` counts and times every request sent with the client.

    ``verify`` may be a CA bundle path: it becomes an SSL context trusting it.
    A client of an ``http://`` URL loads no CA bundle (:func:`_trusting_nothing`).
    Proxy settings from the environment are honoured, as users expect.
    Redirects are never followed (see the module docstring). The client's
    credentials (credential headers, a ``(user, password)`` auth, ``secrets``)
    are remembered, so that no error about its requests can contain them.
    """
    if isinstance(verify, str):
        verify = ssl.create_default_context(cafile=str(Path(verify).expanduser()))
    elif verify is True and urlsplit(base_url).scheme.lower() == "http":
        verify = _trusting_nothing()
    known = [*secrets, *header_secrets(headers or {})]
    basic = None
    if isinstance(auth, tuple):
        basic = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        known.extend((auth[1], basic))
    limits = httpx.Limits(
        max_connections=max(1, connections), max_keepalive_connections=max(1, connections)
    )
    # A transport given to the client turns off the environment's proxies: given only
    # where the environment names none (then it is the one httpx would have made).
    transport = None
    if (auth is None or basic is not None) and _no_proxy_in_environment():
        transport = httpx.AsyncHTTPTransport(verify=verify, limits=limits)
    client = httpx.AsyncClient(
        base_url=base_url.rstrip("/"),
        headers={"Accept": "application/json", "User-Agent": "actiondeck", **(headers or {})},
        auth=auth,
        verify=verify,
        timeout=timeout,
        follow_redirects=False,
        limits=limits,
        transport=transport,
    )
    _CLIENT_SECRETS[client] = tuple(secret for secret in known if secret)
    if stats is not None:
        _CLIENT_STATS[client] = stats
    if transport is not None:
        _CLIENT_DIRECT[client] = _Direct(transport, f"Basic {basic}" if basic else None)
    return client


def _no_proxy_in_environment() -> bool:
    """True when the environment names no proxy for any scheme (httpx would mount none)."""
    return not any(scheme != "no" for scheme in urllib.request.getproxies())


def _trusting_nothing() -> ssl.SSLContext:
    """A verifying TLS context with no trusted CA, for a client of an ``http://`` URL.

    Such a client never speaks TLS; httpx would still load the whole CA bundle
    for it (30-80 ms on every start). Should an https URL ever reach it, the
    certificate check fails: the request is refused, never unverified.
    """
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def client_secrets(
    client: httpx.AsyncClient, headers: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """Every credential a request of ``client`` with extra ``headers`` sends."""
    return (*_CLIENT_SECRETS.get(client, ()), *header_secrets(headers or {}))


async def get_json(
    client: httpx.AsyncClient,
    backend: str,
    path: str,
    *,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """GET ``path`` and return its decoded JSON body.

    Raises:
        BackendError: a typed subclass for every failure.
    """
    response = await send(client, backend, "GET", path, params=params, headers=headers)
    return await _decoded(response, backend, path, client_secrets(client, headers))


async def _decoded(
    response: httpx.Response, backend: str, path: str, secrets: tuple[str, ...]
) -> Any:
    """The decoded JSON body of ``response`` (a big one decoded in a worker thread)."""
    if len(response.content) > THREAD_DECODE_BYTES:
        # A big body takes a while to decode: let the event loop breathe meanwhile.
        return await asyncio.to_thread(decode_json, response, backend, path, secrets)
    return decode_json(response, backend, path, secrets)


async def get_parsed(
    client: httpx.AsyncClient,
    backend: str,
    path: str,
    parse: Callable[[Any], Parsed],
    *,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    memo: BodyMemo[Parsed] | None = None,
    in_thread: bool = True,
    read_bytes: Callable[[bytes], Parsed | None] | None = None,
) -> Parsed:
    """GET ``path``, decode its JSON body and return what ``parse`` makes of it.

    With ``read_bytes``, the body's bytes are first given to it: what it
    returns is the result, unless it returns ``None`` (it cannot read them as
    decoding and ``parse`` would); the body is then decoded and parsed.

    A body above :data:`THREAD_PARSE_BYTES` is decoded and parsed in a worker
    thread, so ``parse`` must be pure (it may raise typed backend errors);
    with ``in_thread=False``, ``parse`` runs on the event loop (a body above
    :data:`THREAD_DECODE_BYTES` is still decoded in a thread). With a
    ``memo``, a body equal to the last one ``memo`` kept is neither decoded
    nor parsed again: what was made of it then is returned.

    Raises:
        BackendError: a typed subclass for every failure (``parse``'s own included).
    """
    response = await send(client, backend, "GET", path, params=params, headers=headers)
    digest = b""
    if memo is not None:
        digest = memo.digest(response.content)
        known, parsed = memo.recall(digest)
        if known:
            return parsed  # type: ignore[return-value]  # kept by keep() below
    secrets = client_secrets(client, headers)

    def read() -> Parsed:
        if read_bytes is not None and (parsed := read_bytes(response.content)) is not None:
            return parsed
        return parse(decode_json(response, backend, path, secrets))

    if not in_thread:
        fast = read_bytes(response.content) if read_bytes is not None else None
        result = (
            fast if fast is not None else parse(await _decoded(response, backend, path, secrets))
        )
    elif len(response.content) > THREAD_PARSE_BYTES:
        result = await asyncio.to_thread(read)
    else:
        result = read()
    if memo is not None:
        memo.keep(digest, result)
    return result


async def send(
    client: httpx.AsyncClient,
    backend: str,
    method: str,
    path: str,
    **kwargs: Any,
) -> httpx.Response:
    """Send one request within its overall deadline; map failures to typed errors.

    Raises:
        BackendTimeout: no complete answer within the client's timeout.
        RedirectError: a 3xx answer (not followed, body not read).
        BackendError: another typed subclass for every other failure.
    """
    seconds = overall_deadline(client)
    secrets = client_secrets(client, kwargs.get("headers"))
    # Recorded (and redacted) only when something goes wrong: not on the hot path.
    request = functools.cache(
        lambda: Request.of(method, path, _url_of(client, path, kwargs.get("params")), secrets)
    )
    limit = asyncio.timeout(seconds)
    stats = _CLIENT_STATS.get(client)
    began = time.perf_counter()
    try:
        async with limit:
            response = await _exchange(client, backend, method, path, request, secrets, **kwargs)
    except TimeoutError:
        if not limit.expired():
            raise
        detail = f"timed out (no complete answer within {seconds:g}s)"
        raise _failure(BackendTimeout, backend, request(), detail, secrets) from None
    except httpx.TimeoutException as exc:
        detail = f"timed out ({type(exc).__name__})"
        raise _failure(BackendTimeout, backend, request(), detail, secrets) from None
    except httpx.TransportError as exc:
        detail = describe_transport_error(exc)
        raise _failure(UnreachableError, backend, request(), detail, secrets) from None
    finally:
        if stats is not None:
            stats.record(time.perf_counter() - began)
    if response.status_code >= 400:
        raise_for_status(response, backend, request(), secrets)
    return response


def _failure(
    kind: type[BackendError], backend: str, request: Request, detail: str, secrets: Iterable[str]
) -> BackendError:
    """An error about ``request`` that got no usable answer: ``GET /path: detail``."""
    return kind(backend, f"{request}: {detail}", request=request, detail=detail, secrets=secrets)


def _url_of(client: httpx.AsyncClient, path: str, params: Any) -> str:
    """The absolute URL ``client`` sends ``path`` with ``params`` to (for error records)."""
    try:
        merged = httpx.URL(path) if "://" in path else client.base_url.join(path.lstrip("/"))
        return str(merged.copy_merge_params(params) if params else merged)
    except (httpx.InvalidURL, TypeError, ValueError):
        return path


async def _exchange(
    client: httpx.AsyncClient,
    backend: str,
    method: str,
    path: str,
    request: Recorder,
    secrets: tuple[str, ...],
    **kwargs: Any,
) -> httpx.Response:
    """Stream one answer: refuse redirects before the body, then read it capped."""
    direct = _CLIENT_DIRECT.get(client) if method == "GET" else None
    built = direct.request(client, path, kwargs) if direct is not None else None
    if direct is not None and built is not None:
        return await _exchange_direct(client, direct.transport, built, backend, request, secrets)
    async with client.stream(method, path, **kwargs) as streamed:
        status, url = streamed.status_code, str(streamed.url)
        if 300 <= status < 400:
            refuse_redirect(status, streamed.headers, url, backend, request(), secrets=secrets)
        body = await _read_capped(streamed, backend, request, secrets)
        return httpx.Response(
            streamed.status_code,
            headers=[(k, v) for k, v in streamed.headers.items() if k != "content-encoding"],
            content=body,
            request=streamed.request,
        )


async def _exchange_direct(
    client: httpx.AsyncClient,
    transport: httpx.AsyncHTTPTransport,
    built: httpx.Request,
    backend: str,
    request: Recorder,
    secrets: tuple[str, ...],
) -> httpx.Response:
    """:func:`_exchange` of a kept request, through the client's transport itself."""
    streamed = await transport.handle_async_request(built)
    streamed.request = built
    try:
        status = streamed.status_code
        if 300 <= status < 400:
            url = str(built.url)
            refuse_redirect(status, streamed.headers, url, backend, request(), secrets=secrets)
        body = await _read_capped(streamed, backend, request, secrets)
    finally:
        await streamed.aclose()
    if "set-cookie" in streamed.headers:  # kept as the client keeps them (then sent as usual)
        client.cookies.extract_cookies(streamed)
    return httpx.Response(
        status,
        headers=[(k, v) for k, v in streamed.headers.items() if k != "content-encoding"],
        content=body,
        request=built,
    )


def overall_deadline(client: httpx.AsyncClient) -> float:
    """The whole-request deadline of ``client``: its longest configured timeout."""
    timeout = client.timeout
    phases = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    limits = [phase for phase in phases if phase is not None]
    return max(limits) if limits else float(DEFAULT_TIMEOUT.read or 15.0)


async def _read_capped(
    response: httpx.Response, backend: str, request: Recorder, secrets: Iterable[str]
) -> bytes:
    """Read the (decompressed) body, refusing it once it passes MAX_BODY_BYTES."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        detail = f"answer too large ({int(declared)} bytes)"
        raise too_large(response.status_code, backend, request(), detail, secrets)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            detail = f"answer larger than {MAX_BODY_BYTES} bytes"
            raise too_large(response.status_code, backend, request(), detail, secrets)
        chunks.append(chunk)
    return b"".join(chunks)


def describe_transport_error(exc: httpx.TransportError) -> str:
    """A short human reason for a transport failure, without URLs or headers."""
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if "certificate" in lowered or "ssl" in lowered:
        return f"TLS error ({text.splitlines()[0][:160]})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({text.splitlines()[0][:160]})"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return f"connection dropped ({text.splitlines()[0][:160]})"
    return f"{type(exc).__name__} ({text.splitlines()[0][:160]})"


__all__ = [
    "MAX_BODY_BYTES",
    "RATE_WINDOW",
    "BackendError",
    "BodyMemo",
    "RequestStats",
    "client_secrets",
    "decode_json",
    "expect",
    "get_json",
    "get_parsed",
    "header_secrets",
    "make_client",
    "origin_of",
    "overall_deadline",
    "raise_for_status",
    "refuse_redirect",
    "send",
]
