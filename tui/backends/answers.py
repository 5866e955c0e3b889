"""What an HTTP answer means, whatever transport carried it.

The rules every backend's HTTP follows, written once for both transports
(:mod:`tui.backends.http` with httpx; the OpenStack family's
``requests``-based :mod:`~tui.backends.openstack.transport`): an error status
becomes the typed :mod:`tui.backends.base` error with the server's own
message (redacted, then shortened) and ``Retry-After``; a 3xx becomes a
:class:`~tui.backends.base.RedirectError` naming only the target's origin; a
body that is not JSON becomes a :class:`~tui.backends.base.BadResponseError`
saying what arrived instead.

An answer is anything with a ``status_code``, ``headers`` (read with
``.get`` by lower-case name), the ``content`` bytes and a ``reason_phrase``
(:class:`Answer`): an ``httpx.Response`` is one. This module imports no
HTTP library and does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from tui.backends.base import (
    BadResponseError,
    RateLimitedError,
    RedirectError,
    Request,
    http_error_type,
)
from tui.backends.redact import CREDENTIAL_HEADERS, redact
from tui.json_body import JsonLimitError, loads

MAX_BODY_BYTES = 64 * 1024 * 1024
"""Answers larger than this are refused rather than parsed."""


class Answer(Protocol):
    """The parts of an HTTP answer these rules read."""

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        ...

    @property
    def headers(self) -> Mapping[str, str]:
        """The headers (``get`` by lower-case name)."""
        ...

    @property
    def content(self) -> bytes:
        """The whole (decompressed) body."""
        ...

    @property
    def reason_phrase(self) -> str:
        """The standard phrase of the status (never the server's own text)."""
        ...


def header_secrets(headers: Mapping[str, str]) -> list[str]:
    """The credential values among ``headers`` (also without an ``Authorization`` scheme)."""
    found: list[str] = []
    for name, value in headers.items():
        if name.lower() in CREDENTIAL_HEADERS and value:
            found.append(value)
            scheme, _, rest = value.partition(" ")
            if rest and scheme.isalpha():
                found.append(rest)
    return found


def refuse_redirect(
    status: int,
    headers: Any,
    url: str,
    backend: str,
    request: Request,
    *,
    service: str = "",
    secrets: Iterable[str] = (),
) -> None:
    """Raise :class:`RedirectError` for a 3xx answer, naming only the target's origin.

    ``service`` prefixes the message (``identity service: ``); such a message is
    its own detail.
    """
    if not 300 <= status < 400:
        return
    location = headers.get("location") if headers is not None else None
    target = origin_of(urljoin(url, str(location))) if location else None
    if target is None:
        detail = f"redirect (HTTP {status}) without a target; not followed"
    else:
        detail = f"redirected (HTTP {status}) to {target}; not followed"
    reason = f"{service}{request}: {detail}"
    raise RedirectError(
        backend,
        reason,
        target,
        status=status,
        request=request,
        detail=None if service else detail,
        secrets=secrets,
    )


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


def too_large(
    status: int, backend: str, request: Request, detail: str, secrets: Iterable[str]
) -> BadResponseError:
    """The error for a body past :data:`MAX_BODY_BYTES` (``detail`` says how large)."""
    reason = f"{request.path}: {detail}"
    return BadResponseError(backend, reason, status=status, request=request, secrets=secrets)


def raise_for_status(
    response: Answer,
    backend: str,
    request: Request | str,
    secrets: Iterable[str] = (),
) -> None:
    """Raise the typed error matching an error status; do nothing on 2xx/3xx.

    ``request`` may be given as text (``GET /path``).
    """
    status = response.status_code
    if status < 400:
        return
    if isinstance(request, str):
        method, _, path = request.partition(" ")
        request = Request.of(method, path or "/", secrets=secrets)
    detail = f"HTTP {status}{_error_detail(response, secrets)}"
    reason = f"{request}: {detail}"
    kind = http_error_type(status)
    if kind is RateLimitedError:
        wait = retry_after_seconds(response)
        raise RateLimitedError(
            backend, reason, wait, status=status, request=request, detail=detail, secrets=secrets
        )
    raise kind(backend, reason, status=status, request=request, detail=detail, secrets=secrets)


def _error_detail(response: Answer, secrets: Iterable[str] = ()) -> str:
    """The server's own error message when it sent a JSON one, redacted, then shortened.

    Redacted before it is cut, so a secret the server echoed cannot survive in part.
    """
    try:
        body = loads(response.content)
    except (ValueError, UnicodeDecodeError):
        page = " (an HTML page, not JSON)" if _looks_like_html(response) else ""
        return f" {response.reason_phrase}{page}".rstrip()
    message = _find_message(body)
    return f" {response.reason_phrase}: {redact(message, secrets)[:200]}" if message else ""


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


def retry_after_seconds(response: Answer) -> float | None:
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


def decode_json(
    response: Answer,
    backend: str,
    path: str,
    secrets: Iterable[str] = (),
    request: Request | Callable[[], Request] | None = None,
) -> Any:
    """Decode a JSON body, or raise :class:`BadResponseError` saying what arrived instead.

    The payload rules of :mod:`tui.json_body` apply: too-deep documents are
    refused, non-finite and out-of-range numbers become ``None``. The error
    names ``request`` (or what ``request()`` makes, called only for a refused
    body), else the request ``response`` says it answers.
    """
    try:
        return loads(response.content)
    except JsonLimitError as exc:
        reason = f"{path}: {exc}"
    except (ValueError, UnicodeDecodeError):
        kind = "HTML page" if _looks_like_html(response) else "body"
        reason = f"{path}: expected JSON, got a {kind} ({len(response.content)} bytes)"
    status = response.status_code
    named = request() if callable(request) else request
    named = named or _request_of(response, path, secrets)
    raise BadResponseError(backend, reason, status=status, request=named, secrets=secrets)


def _request_of(response: Answer, path: str, secrets: Iterable[str]) -> Request | None:
    """The request ``response`` answers, when it knows it."""
    try:
        sent = getattr(response, "request", None)
    except RuntimeError:  # an httpx.Response built without a request
        return None
    if sent is None:
        return None
    return Request.of(str(sent.method), path, str(sent.url), secrets)


def _looks_like_html(response: Answer) -> bool:
    """True when a body is an HTML page (a proxy or load balancer answered)."""
    content_type = response.headers.get("content-type", "")
    return "html" in content_type or response.content.lstrip()[:1] == b"<"


def expect(condition: bool, backend: str, path: str, what: str) -> None:
    """Raise :class:`BadResponseError` unless the payload has the expected shape."""
    if not condition:
        raise BadResponseError(backend, f"{path}: unexpected payload ({what})")


__all__ = [
    "MAX_BODY_BYTES",
    "Answer",
    "decode_json",
    "expect",
    "header_secrets",
    "origin_of",
    "raise_for_status",
    "refuse_redirect",
    "retry_after_seconds",
    "too_large",
]
