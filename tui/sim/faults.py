"""Fault knobs: make a simulated API misbehave the way real ones do."""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields
from fnmatch import fnmatchcase


@dataclass
class Faults:
    """What the next answers of one simulated API should suffer.

    All knobs off means a healthy API. ``remaining`` limits how many requests
    are affected (``None`` = until changed), so tests can check recovery.
    """

    latency: float = 0.0
    """Seconds to wait before answering."""
    status: int | None = None
    """Answer with this HTTP status (401, 403, 404, 429, 500, 503...) and a JSON error."""
    retry_after: float | None = None
    """``Retry-After`` seconds sent with a 429."""
    html: bool = False
    """Answer 502 with an HTML error page, as a proxy would."""
    malformed: bool = False
    """Answer 200 with truncated, invalid JSON."""
    oversized: int = 0
    """Answer 200 with a JSON body padded to at least this many bytes."""
    reset: bool = False
    """Close the connection without answering."""
    body: bytes | None = None
    """Answer 200 with exactly these bytes as ``application/json`` (payload faults)."""
    path: str | None = None
    """Only requests whose path matches this glob suffer the faults (``None`` = all):
    ``/ecs/v2/actions`` is that path only, ``/v1/*`` a prefix."""
    expire_tokens: bool = False
    """Identity: every token already issued is rejected once (forces re-authentication)."""
    hostile_text: bool = False
    """Every string in every JSON body carries terminal attacks (see :mod:`tui.sim.hostile`)."""
    remaining: int | None = None
    """How many requests the faults apply to; ``None`` = all."""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Back to a healthy API."""
        healthy = Faults()
        for spec in fields(self):
            setattr(self, spec.name, getattr(healthy, spec.name))

    def update(self, **knobs: object) -> None:
        """Set several knobs at once (unknown names raise ``TypeError``)."""
        names = {spec.name for spec in fields(self)}
        for key, value in knobs.items():
            if key not in names:
                raise TypeError(f"unknown fault knob {key!r}")
            setattr(self, key, value)

    def describe(self) -> dict[str, object]:
        """The knobs that are on, as JSON-able values (a body as its size)."""
        healthy = Faults()
        found: dict[str, object] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if value != getattr(healthy, spec.name):
                found[spec.name] = len(value) if isinstance(value, bytes) else value
        return found

    @property
    def active(self) -> bool:
        """True when any request-level knob is on."""
        return bool(
            self.latency
            or self.status
            or self.html
            or self.malformed
            or self.oversized
            or self.reset
            or self.body is not None
        )

    def take(self, path: str = "/") -> bool:
        """Consume one affected request to ``path``; False once ``remaining`` has run out."""
        with self._lock:
            if not self.active or (self.path is not None and not fnmatchcase(path, self.path)):
                return False
            if self.remaining is None:
                return True
            if self.remaining <= 0:
                self.clear()
                return False
            self.remaining -= 1
            return True
