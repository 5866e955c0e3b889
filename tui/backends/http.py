"""Shared HTTP plumbing for backends: one client factory and one request helper.

The helper turns every transport failure and every unusable answer into a
typed :mod:`tui.backends.base` error whose message names the backend, the
request path and what went wrong, and never echoes credentials or headers.

Every request has one overall deadline (connect, TLS, headers and the whole
body) equal to the client's timeout, so a server dripping bytes cannot hold
it longer. Redirects are never followed: a 3xx answer is a
:class:`~tui.backends.base.RedirectError` naming only the target's origin, so
no token or password travels to another host, and its body is never read.
"""

from __future__ import annotations

import asyncio
import ssl
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from tui.backends.base import (
    AuthError,
    BackendError,
    BackendTimeout,
    BadResponseError,
    NotFoundError,
    RateLimitedError,
    RedirectError,
    UnreachableError,
)
from tui.backends.json_body import JsonLimitError, loads

MAX_BODY_BYTES = 64 * 1024 * 1024
"""Answers larger than this are refused rather than parsed."""

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)

THREAD_DECODE_BYTES = 512 * 1024
"""Bodies larger than this are decoded in a worker thread."""


def make_client(
    base_url: str,
    *,
    headers: dict[str, str] | None = None,
    auth: httpx.Auth | tuple[str, str] | None = None,
    verify: bool | str | ssl.SSLContext = True,
    timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
) -> httpx.AsyncClient:
    """Create the AsyncClient a backend uses for its whole life.

    ``verify`` may be a CA bundle path: it becomes an SSL context trusting it.
    Proxy settings from the environment are honoured, as users expect.
    Redirects are never followed (see the module docstring).
    """
    if isinstance(verify, str):
        verify = ssl.create_default_context(cafile=str(Path(verify).expanduser()))
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/"),
        headers={"Accept": "application/json", "User-Agent": "actiondeck", **(headers or {})},
        auth=auth,
        verify=verify,
        timeout=timeout,
        follow_redirects=False,
        limits=httpx.Limits(max_connections=8, max_keepalive_connections=4),
    )


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
    if len(response.content) > THREAD_DECODE_BYTES:
        # A big body takes a while to decode: let the event loop breathe meanwhile.
        return await asyncio.to_thread(decode_json, response, backend, path)
    return decode_json(response, backend, path)


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
    limit = asyncio.timeout(seconds)
    try:
        async with limit:
            response = await _exchange(client, backend, method, path, **kwargs)
    except TimeoutError:
        if not limit.expired():
            raise
        reason = f"{method} {path}: timed out (no complete answer within {seconds:g}s)"
        raise BackendTimeout(backend, reason) from None
    except httpx.TimeoutException as exc:
        reason = f"{method} {path}: timed out ({type(exc).__name__})"
        raise BackendTimeout(backend, reason) from None
    except httpx.TransportError as exc:
        reason = f"{method} {path}: {describe_transport_error(exc)}"
        raise UnreachableError(backend, reason) from None
    raise_for_status(response, backend, f"{method} {path}")
    return response


async def _exchange(
    client: httpx.AsyncClient, backend: str, method: str, path: str, **kwargs: Any
) -> httpx.Response:
    """Stream one answer: refuse redirects before the body, then read it capped."""
    async with client.stream(method, path, **kwargs) as streamed:
        what = f"{method} {path}"
        refuse_redirect(streamed.status_code, streamed.headers, str(streamed.url), backend, what)
        body = await _read_capped(streamed, backend, path)
        return httpx.Response(
            streamed.status_code,
            headers=[(k, v) for k, v in streamed.headers.items() if k != "content-encoding"],
            content=body,
            request=streamed.request,
        )


def overall_deadline(client: httpx.AsyncClient) -> float:
    """The whole-request deadline of ``client``: its longest configured timeout."""
    timeout = client.timeout
    phases = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    limits = [phase for phase in phases if phase is not None]
    return max(limits) if limits else float(DEFAULT_TIMEOUT.read or 15.0)


def refuse_redirect(status: int, headers: Any, url: str, backend: str, what: str) -> None:
    """Raise :class:`RedirectError` for a 3xx answer, naming only the target's origin."""
    if not 300 <= status < 400:
        return
    location = headers.get("location") if headers is not None else None
    if not location:
        reason = f"{what}: redirect (HTTP {status}) without a target; not followed"
        raise RedirectError(backend, reason)
    target = origin_of(urljoin(url, str(location)))
    reason = f"{what}: redirected (HTTP {status}) to {target}; not followed"
    raise RedirectError(backend, reason, target)


def origin_of(url: str) -> str:
    """``scheme://host:port`` of ``url``: no user, password, path or query."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "?", parts.port
    except ValueError:
        return "an unparseable URL"
    scheme = parts.scheme.lower() or "?"
    port = port or {"http": 80, "https": 443}.get(scheme)
    host = f"[{host}]" if ":" in host else host
    text = f"{scheme}://{host}" + (f":{port}" if port else "")
    return "".join(ch if ch.isprintable() and ch.isascii() else "?" for ch in text)[:200]


async def _read_capped(response: httpx.Response, backend: str, path: str) -> bytes:
    """Read the (decompressed) body, refusing it once it passes MAX_BODY_BYTES."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BadResponseError(backend, f"{path}: answer too large ({int(declared)} bytes)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BadResponseError(backend, f"{path}: answer larger than {MAX_BODY_BYTES} bytes")
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


def raise_for_status(response: httpx.Response, backend: str, what: str) -> None:
    """Raise the typed error matching an error status; do nothing on 2xx/3xx."""
    status = response.status_code
    if status < 400:
        return
    reason = f"{what}: HTTP {status}{_error_detail(response)}"
    if status in (401, 403):
        raise AuthError(backend, reason)
    if status == 404:
        raise NotFoundError(backend, reason)
    if status == 429:
        raise RateLimitedError(backend, reason, retry_after_seconds(response))
    raise BadResponseError(backend, reason)


def _error_detail(response: httpx.Response) -> str:
    """The server's own error message when it sent a JSON one, shortened."""
    try:
        body = loads(response.content)
    except (ValueError, UnicodeDecodeError):
        page = " (an HTML page, not JSON)" if _looks_like_html(response) else ""
        return f" {response.reason_phrase}{page}".rstrip()
    message = _find_message(body)
    return f" {response.reason_phrase}: {message[:200]}" if message else ""


def _find_message(body: Any, depth: int = 0) -> str | None:
    if depth > 3 or not isinstance(body, dict):
        return None
    for key in ("message", "error_msg", "error_message", "title"):
        if isinstance(body.get(key), str):
            return str(body[key])
    for value in body.values():
        found = _find_message(value, depth + 1)
        if found:
            return found
    return None


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Read ``Retry-After`` (seconds or HTTP date), or Nova's ``retryAfter`` in the body."""
    header = response.headers.get("retry-after", "").strip()
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            try:
                when = parsedate_to_datetime(header)
                return max(0.0, (when - datetime.now(UTC)).total_seconds())
            except (TypeError, ValueError):
                return None
    return None


def decode_json(response: httpx.Response, backend: str, path: str) -> Any:
    """Decode a JSON body, or raise :class:`BadResponseError` saying what arrived instead.

    The payload rules of :mod:`tui.backends.json_body` apply: too-deep documents are
    refused, non-finite and out-of-range numbers become ``None``.
    """
    try:
        return loads(response.content)
    except JsonLimitError as exc:
        raise BadResponseError(backend, f"{path}: {exc}") from None
    except (ValueError, UnicodeDecodeError):
        kind = "HTML page" if _looks_like_html(response) else "body"
        raise BadResponseError(
            backend, f"{path}: expected JSON, got a {kind} ({len(response.content)} bytes)"
        ) from None


def _looks_like_html(response: httpx.Response) -> bool:
    """True when a body is an HTML page (a proxy or load balancer answered)."""
    content_type = response.headers.get("content-type", "")
    return "html" in content_type or response.content.lstrip()[:1] == b"<"


def expect(condition: bool, backend: str, path: str, what: str) -> None:
    """Raise :class:`BadResponseError` unless the payload has the expected shape."""
    if not condition:
        raise BadResponseError(backend, f"{path}: unexpected payload ({what})")


__all__ = [
    "MAX_BODY_BYTES",
    "BackendError",
    "decode_json",
    "expect",
    "get_json",
    "make_client",
    "origin_of",
    "overall_deadline",
    "raise_for_status",
    "refuse_redirect",
    "send",
]
