"""One redaction for every backend: what may go into an error message or a request URL.

:func:`redact` masks, in any text:

* each known secret (a token, a password, an application-credential secret),
  also in the forms it takes on the way to a message: percent-encoded (upper
  or lower case hex, ``+`` for spaces), JSON-escaped, wrapped across lines
  (whitespace between its characters), and cut short at the end of the text
  (a message truncated inside the secret);
* the user and password part of every URL (``https://u:p@host`` → ``https://***@host``);
* the values of credential headers (``X-Auth-Token``, ``Authorization``,
  ``X-APITOKEN``, ...) and of credential query parameters (``?token=``,
  ``&password=``, ...).

:func:`redact_url` gives the URL a :class:`~tui.backends.base.BackendError`
records: no userinfo, no fragment, credential query values masked.

Pure: no I/O, no knowledge of any backend.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

MASK = "***"
"""What a secret becomes."""

MIN_CUT = 4
"""A secret's beginning this long (or the whole secret if shorter) ending a text is masked."""

CREDENTIAL_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-auth-token",
        "x-subject-token",
        "x-apitoken",
        "x-api-key",
        "cookie",
        "set-cookie",
    }
)
"""Headers whose value is a credential (lower case)."""

_SECRET_PARAMS = (
    "password|passwd|pass|token|access_token|refresh_token|id_token|api_key|apikey|"
    "key|secret|client_secret|signature|sig|auth|x-auth-token|apitoken"
)

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{0,15}://)[^/\s@?#]*@")
_HEADER = re.compile(
    r"(?i)\b(authorization|proxy-authorization)([\"']?\s*[:=]\s*[\"']?)"
    r"(?:(basic|bearer|digest|negotiate|token)\s+)?[^\s\"',;}\]]+"
)
_TOKEN_HEADER = re.compile(
    r"(?i)\b(x-auth-token|x-subject-token|x-apitoken|x-api-key|cookie|set-cookie)"
    r"([\"']?\s*[:=]\s*[\"']?)[^\s\"',;}\]]+"
)
_QUERY = re.compile(rf"(?i)([?&;](?:{_SECRET_PARAMS})=)[^&\s#\"']+")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every secret, URL userinfo and credential value replaced by ``***``."""
    text = _mask_secrets(text, [secret for secret in secrets if secret])
    text = _USERINFO.sub(rf"\1{MASK}@", text)
    text = _HEADER.sub(_header_mask, text)
    text = _TOKEN_HEADER.sub(rf"\1\2{MASK}", text)
    return _QUERY.sub(rf"\1{MASK}", text)


def redact_url(url: str, secrets: Iterable[str] = ()) -> str:
    """``url`` without user, password or fragment; credential query values masked."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return redact(url, secrets)
    host = f"[{host}]" if ":" in host else host
    netloc = host + (f":{port}" if port else "")
    bare = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return redact(bare, secrets)


def _header_mask(match: re.Match[str]) -> str:
    scheme = f"{match[3]} " if match[3] else ""
    return f"{match[1]}{match[2]}{scheme}{MASK}"


def _mask_secrets(text: str, secrets: list[str]) -> str:
    if not secrets:
        return text
    forms = {form for secret in secrets for form in _forms(secret)}
    patterns = [_spread(form) for form in sorted(forms, key=len, reverse=True)]
    text = re.sub("|".join(patterns), MASK, text, flags=re.IGNORECASE)
    return _mask_cut(text, secrets)


def _forms(secret: str) -> set[str]:
    """The spellings a secret takes in messages (raw, percent-encoded, JSON-escaped)."""
    encoded = {quote(secret, safe=""), quote(secret), quote_plus(secret)}
    escaped = {json.dumps(secret, ensure_ascii=False)[1:-1], json.dumps(secret)[1:-1]}
    return {secret, *encoded, *escaped}


def _spread(form: str) -> str:
    r"""A pattern for ``form`` that also matches it wrapped: ``\s*`` between its characters."""
    return r"\s*".join(re.escape(char) for char in form)


def _mask_cut(text: str, secrets: list[str]) -> str:
    """Mask a secret's beginning that ends ``text`` (a message cut inside the secret).

    Whitespace is skipped on both sides and case ignored, as in the whole-secret match.
    """
    for secret in sorted(secrets, key=len, reverse=True):
        wanted = [char.lower() for char in secret if not char.isspace()]
        floor = max(1, sum(not char.isspace() for char in secret[:MIN_CUT]))
        ends, tail = _tail(text, len(wanted))
        for size in range(min(len(wanted) - 1, len(tail)), floor - 1, -1):
            if tail[len(tail) - size :] == wanted[:size]:
                return text[: ends[len(ends) - size]] + MASK
    return text


def _tail(text: str, count: int) -> tuple[list[int], list[str]]:
    """The last ``count`` non-space characters of ``text`` (lower case) and where they are."""
    where: list[int] = []
    chars: list[str] = []
    index = len(text) - 1
    while index >= 0 and len(chars) < count:
        if not text[index].isspace():
            where.append(index)
            chars.append(text[index].lower())
        index -= 1
    return where[::-1], chars[::-1]


__all__ = ["CREDENTIAL_HEADERS", "MASK", "redact", "redact_url"]
