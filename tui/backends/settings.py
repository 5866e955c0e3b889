"""The fields every ``[[backends]]`` entry has, as the program holds them once read.

A family's settings (in its ``spec.py``) extend :class:`BackendSettings` with
its own keys. These are plain frozen classes: the config file is validated by
the pydantic models of :mod:`tui.backends.settings_schema` and each family's
``schema.py``, which make these once valid, and the embedded simulator makes
them directly, so a console on the demo never imports pydantic. This module
reads no file and resolves no secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class Secret:
    """A secret from the config file: its value never shows in a repr or a message."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        """Hold ``value``."""
        self._value = value

    def get_secret_value(self) -> str:
        """The secret itself (for the one place that resolves secrets)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, kw_only=True)
class BackendSettings:
    """What every backend entry has: a name, a timeout and TLS settings.

    Each family adds its keys (its schema narrows ``type`` to its tag).
    """

    type: str
    """The family's tag, a :data:`tui.backends.REGISTRY` key."""
    name: str
    """Used in action refs (``NAME:ID``) and filters; letters, digits, ``_ . -``."""
    timeout: float = 15.0
    """Seconds to wait for one answer."""
    verify: bool = True
    """Verify TLS certificates. Turn off only for a cluster you trust."""
    ca_cert: Path | None = None
    """A CA bundle to trust instead of the system ones."""

    def tls_verify(self) -> bool | str:
        """What to pass to the HTTP client as ``verify``."""
        if not self.verify:
            return False
        return str(self.ca_cert.expanduser()) if self.ca_cert else True
