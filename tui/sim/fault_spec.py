"""Fault knobs as text: ``BACKEND=FAULT[:ARG][,FAULT[:ARG]…]``, for the command line and
the control endpoint (``POST /__sim/faults``).

``BACKEND`` is ``seeweb``, ``openstack`` (Keystone and Nova), ``redis`` or
``all``. Each ``FAULT`` sets knobs of :class:`~tui.sim.faults.Faults`:

=================  =========================================================
``ok``             healthy again (every knob off)
``NNN``            answer HTTP NNN (401, 403, 404, 500, 503…) with a JSON error
``429:S``          answer 429 with ``Retry-After: S``
``latency:S``      wait S seconds before answering
``html``           a 502 HTML page, as a proxy sends
``malformed``      truncated, invalid JSON
``oversized:N``    a JSON body of at least N bytes
``reset``          close the connection without answering
``expire-tokens``  Keystone: every token issued so far is refused once
``hostile``        every string of every JSON body carries terminal attacks
``body:PATH``      answer 200 with the bytes of the file PATH
``path:GLOB``      only requests whose path matches GLOB (``/compute/*``)
``times:N``        only the next N affected requests
=================  =========================================================

Several faults for one backend are joined by commas (``openstack=403,path:/compute/*``).
Pure parsing: nothing here serves, and errors are :class:`FaultSpecError`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

BACKENDS = ("seeweb", "openstack", "redis")
"""Names the simulator's APIs go by in a fault spec (``all`` means each)."""


class FaultSpecError(ValueError):
    """A fault spec that cannot be read; the message says what is expected."""


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FaultSpecError(f"{what} must be a number, not {text!r}") from None
    if value < 0:
        raise FaultSpecError(f"{what} must not be negative")
    return value


def _count(text: str, what: str) -> int:
    if not text.isdigit():
        raise FaultSpecError(f"{what} must be a whole number, not {text!r}")
    return int(text)


def _body(arg: str) -> dict[str, Any]:
    try:
        return {"body": Path(arg).read_bytes()}
    except OSError as error:
        raise FaultSpecError(f"body: cannot read {arg!r} ({error.strerror})") from None


_NAMED: dict[str, Callable[[str], dict[str, Any]]] = {
    "latency": lambda arg: {"latency": _number(arg, "latency")},
    "html": lambda _: {"html": True},
    "malformed": lambda _: {"malformed": True},
    "oversized": lambda arg: {"oversized": _count(arg or "70000000", "oversized")},
    "reset": lambda _: {"reset": True},
    "expire-tokens": lambda _: {"expire_tokens": True},
    "hostile": lambda _: {"hostile_text": True},
    "body": _body,
    "path": lambda arg: {"path": arg or None},
    "times": lambda arg: {"remaining": _count(arg, "times")},
}
_NEEDS_ARG = {"latency", "body", "path", "times"}
KNOWN = ("ok", "NNN", "429:S", *sorted(_NAMED))
"""What may follow ``BACKEND=``, for messages."""


def parse_fault(text: str) -> dict[str, Any]:
    """The knobs one ``FAULT[:ARG]`` sets (``ok`` gives ``{}`` : the caller clears)."""
    name, _, arg = text.strip().partition(":")
    name = name.lower()
    if name == "ok":
        return {}
    if name.isdigit():
        status = int(name)
        if not 400 <= status <= 599:
            raise FaultSpecError(f"status {status} is not an HTTP error (400-599)")
        knobs: dict[str, Any] = {"status": status}
        if arg:
            knobs["retry_after"] = _number(arg, "Retry-After")
        return knobs
    if name not in _NAMED:
        raise FaultSpecError(f"unknown fault {name!r} (one of {', '.join(KNOWN)})")
    if name in _NEEDS_ARG and not arg:
        raise FaultSpecError(f"{name} needs a value ({name}:VALUE)")
    return _NAMED[name](arg)


def parse_spec(text: str) -> tuple[tuple[str, ...], bool, dict[str, Any]]:
    """``BACKEND=FAULT[,FAULT…]`` as (backends, clear first, knobs to set).

    ``ok`` anywhere in the list clears the backend's knobs before the others
    are set; the knobs of one spec replace nothing else.

    Raises:
        FaultSpecError: an unknown backend or fault, or a bad value.
    """
    target, sep, faults = text.strip().partition("=")
    target = target.strip().lower()
    if not sep or not target or not faults.strip():
        raise FaultSpecError(f"expected BACKEND=FAULT, not {text.strip()!r}")
    names: tuple[str, ...]
    if target == "all":
        names = BACKENDS
    elif target in BACKENDS:
        names = (target,)
    else:
        raise FaultSpecError(f"unknown backend {target!r} (one of {', '.join(BACKENDS)}, all)")
    clear = False
    knobs: dict[str, Any] = {}
    for part in faults.split(","):
        found = parse_fault(part)
        clear = clear or not found
        knobs.update(found)
    return names, clear, knobs


def parse_specs(text: str) -> list[tuple[tuple[str, ...], bool, dict[str, Any]]]:
    """Several specs, one a line or separated by whitespace or ``&`` (a form body)."""
    parts = text.replace("&", " ").split()
    if not parts:
        raise FaultSpecError("no fault given (expected BACKEND=FAULT)")
    return [parse_spec(part) for part in parts]
