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

Pure: no I/O, no knowledge of backends; errors are :class:`JsonLimitError`.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

MAX_DEPTH = 200
"""Deepest nesting of arrays and objects accepted (real APIs use fewer than 20)."""

_MAX_INT_CHARS = 320
"""Integer literals longer than this cannot fit a double: no need to convert them."""


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


def loads(content: bytes | str) -> Any:
    """Decode ``content`` under the payload rules.

    Raises:
        JsonLimitError: the document is nested deeper than :data:`MAX_DEPTH`.
        ValueError: it is not JSON (``json.JSONDecodeError``) or not UTF-8 text.
    """
    try:
        value = json.loads(content, parse_float=_float, parse_int=_int, parse_constant=_constant)
    except RecursionError:
        raise JsonLimitError(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    if not _within_depth(value, MAX_DEPTH):
        raise JsonLimitError(f"JSON nested deeper than {MAX_DEPTH} levels")
    return value


def _within_depth(value: Any, limit: int) -> bool:
    """True when ``value`` nests at most ``limit`` containers deep (iterative walk)."""
    if not isinstance(value, dict | list):
        return True
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        container, depth = stack.pop()
        if depth > limit:
            return False
        children = container.values() if isinstance(container, dict) else container
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return True


__all__ = ["MAX_DEPTH", "JsonLimitError", "loads"]
