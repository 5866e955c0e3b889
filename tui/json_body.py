"""Decode a JSON body under the payload rules every backend relies on.

* **Depth**: a document nested deeper than :data:`MAX_DEPTH` arrays/objects is
  refused, so that nothing that later walks a payload recursively (comparing
  actions, ``--json`` output, the raw-JSON view) can hit Python's recursion
  limit.
* **Numbers**: ``NaN``, ``Infinity`` and ``-Infinity`` (which Python's decoder
  accepts although JSON has no such literals) and numbers outside the range of
  a double (``1e400``, ``10**400``) become ``null``, like any other
  unreadable value. Every number that comes out is a finite float or an
  integer that converts to one.

Bodies are decoded by :mod:`msgspec` (in C, about three times as fast as
:mod:`json`) where that gives the same value; what it refuses (non-finite
literals, numbers beyond a double, lone surrogates, other encodings than
UTF-8) and bodies that may hold an integer beyond a double are decoded by
:mod:`json` under the rules above, which also says what is wrong with a body
that is not JSON at all.

Pure: no I/O, no knowledge of backends; errors are :class:`JsonLimitError`.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import msgspec

MAX_DEPTH = 200
"""Deepest nesting of arrays and objects accepted (real APIs use fewer than 20)."""

_MAX_INT_CHARS = 320
"""Integer literals longer than this cannot fit a double: no need to convert them."""

_LONG_RUN = 309
"""A digit run this long may be an integer beyond a double (1.8e308 has 309 digits).

Only bodies holding one are decoded with the (slower) integer hook."""

_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_RUN_OF_ZEROS = b"0" * _LONG_RUN


def _has_long_digit_run(data: bytes) -> bool:
    """True when ``data`` holds :data:`_LONG_RUN` digits in a row.

    Two passes in C (every digit becomes ``0``, then a substring search):
    a regular expression took 20 times longer on a page of 2,000 actions.
    """
    return len(data) >= _LONG_RUN and _RUN_OF_ZEROS in data.translate(_DIGITS_AS_ZERO)


class JsonLimitError(ValueError):
    """A body is JSON but breaks one of the payload rules (the message says which)."""


def _float(text: str) -> float | None:
    number = float(text)
    return number if math.isfinite(number) else None


def _int(text: str) -> int | None:
    if len(text) > _MAX_INT_CHARS:
        return None
    number = int(text)
    return number if abs(number) <= sys.float_info.max else None


def _constant(_text: str) -> None:
    return None


_REFUSED_BY_MSGSPEC = (msgspec.DecodeError, msgspec.ValidationError, RecursionError)
"""What :mod:`msgspec` raises for a body it does not decode (:mod:`json` then decides)."""


def decodes_alike(data: bytes) -> bool:
    """True when :mod:`msgspec` decodes every JSON text in ``data`` as the rules do.

    It then refuses (raises) what :func:`loads` would refuse or decode
    otherwise, except two things it checks only in what it decodes, not in
    what it skips or keeps undecoded: UTF-8 (checked here) and the depth
    (left to the caller: :func:`containers_bound`). A body with a digit run
    long enough for an integer beyond a double is not decoded alike (the
    rules make such an integer ``null``).
    """
    if _has_long_digit_run(data):
        return False
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def containers_bound(data: bytes) -> int:
    """How many arrays and objects ``data`` opens at most (brackets inside strings count too).

    No document in ``data`` nests deeper than this.
    """
    return data.count(b"[") + data.count(b"{")


def loads(content: bytes | str) -> Any:
    """Decode ``content`` under the payload rules.

    Raises:
        JsonLimitError: the document is nested deeper than :data:`MAX_DEPTH`.
        ValueError: it is not JSON (``json.JSONDecodeError``) or not UTF-8 text.
    """
    data = content.encode() if isinstance(content, str) else content
    if decodes_alike(data):
        try:
            value = msgspec.json.decode(data)
        except _REFUSED_BY_MSGSPEC:
            pass
        else:
            if containers_bound(data) > MAX_DEPTH and not _within_depth(value, MAX_DEPTH):
                raise JsonLimitError(f"JSON nested deeper than {MAX_DEPTH} levels")
            return value
    return _loads_by_the_rules(data)


def _loads_by_the_rules(data: bytes) -> Any:
    """Decode ``data`` with :mod:`json`, each rule applied by a hook or a walk."""
    hooks: dict[str, Any] = {"parse_float": _float, "parse_constant": _constant}
    if _has_long_digit_run(data):
        hooks["parse_int"] = _int
    try:
        value = json.loads(data, **hooks)
    except RecursionError:
        raise JsonLimitError(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    if not _within_depth(value, MAX_DEPTH):
        raise JsonLimitError(f"JSON nested deeper than {MAX_DEPTH} levels")
    return value


def _within_depth(value: Any, limit: int) -> bool:
    """True when ``value`` nests at most ``limit`` containers deep.

    Walks level by level without recursion; decoded JSON holds only plain
    ``dict`` and ``list`` containers, so exact type checks suffice (and are fast).
    """
    level = [value] if type(value) is dict or type(value) is list else []
    depth = 1
    while level:
        if depth > limit:
            return False
        below: list[Any] = []
        add = below.append
        for container in level:
            for child in container.values() if type(container) is dict else container:
                kind = type(child)
                if kind is dict or kind is list:
                    add(child)
        level, depth = below, depth + 1
    return True


__all__ = ["MAX_DEPTH", "JsonLimitError", "containers_bound", "decodes_alike", "loads"]
