"""What a backend family tells the program: its settings, how to build it, what it can do.

Each family package (``seeweb/``, ``openstack/``, ``redis_enterprise/``) exports one
:class:`BackendSpec` as ``SPEC``; :data:`tui.backends.REGISTRY` lists them. The
config reads its discriminated union, its tags and its secret fields from the
registry, :mod:`tui.connect` calls ``build()``, and the console and the CLI ask
:class:`Capabilities` instead of testing a backend's type.

This module is light: it imports no backend implementation, no HTTP client and
nothing of the settings file (secrets reach ``build()`` already resolvable
through a :class:`SecretResolver`).
"""

from __future__ import annotations

import builtins
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from tui.backends.base import Backend
from tui.backends.settings import BackendSettings


class DetailKind(StrEnum):
    """Which backend-specific section the detail pane shows."""

    LIFECYCLE = "lifecycle"
    """created → started → finished, with progress (Seeweb)."""
    EVENTS = "events"
    """Nested events, retries grouped, tracebacks (Nova)."""
    PENDING = "pending"
    """State machine and per-shard pending operations (Redis Enterprise); the
    section leads with state, node and object, so the fields leave them out."""


@dataclass(frozen=True)
class Capabilities:
    """What the console and the CLI may rely on, per backend type."""

    server_search: bool = False
    """The list endpoint can search by resource on the server."""
    detail: DetailKind = DetailKind.LIFECYCLE
    """The detail pane's section for this type's actions (an action with events
    shows them whatever its type)."""
    heartbeat: bool = False
    """In-flight actions carry a heartbeat in ``updated_at``; a stale one means
    the action is stuck (:mod:`tui.stuck`)."""
    heavy_first_poll: bool = False
    """The first poll costs this process much (OpenStack: a client library to import, a
    token, every server swept; Redis Enterprise: every action of the cluster, read and
    parsed at once): when another backend's first poll is light, the console starts
    this one once the first rows are drawn (:class:`tui.poller.Poller`'s ``held``)."""


class SecretResolver(Protocol):
    """Resolves one secret field of a backend's settings (``token``, ``password``…).

    Given by :mod:`tui.connect`, which resolves ``FIELD_env``, ``FIELD_command``
    or the plain ``FIELD`` in one place; raises the config's error when a
    required secret cannot be had.
    """

    def __call__(self, field: str, *, required: bool = True) -> str | None:
        """The secret's value, or ``None`` when it is optional and not given."""
        ...


class BackendSetupError(Exception):
    """The settings validate but cannot make a backend (e.g. an unknown clouds.yaml cloud).

    :mod:`tui.connect` reports it as a config error naming the backend.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BackendSpec:
    """One backend family: everything the program needs to know about it, in one place."""

    type: str
    """The config tag (``type = "seeweb"``), also each action's ``backend_type``."""
    settings: builtins.type[BackendSettings]  # ``type`` is a field here
    """The plain class of one ``[[backends]]`` entry of this type, as the program holds it."""
    build: Callable[[Any, SecretResolver], Backend]
    """Makes the backend from validated settings (an instance of :attr:`settings`);
    imports the implementation only when called. Raises :class:`BackendSetupError`."""
    schema: Callable[[], builtins.type[Any]]
    """The pydantic model that validates an entry of this type and makes :attr:`settings`
    of it (its ``PLAIN``), imported only when called: only to read a config file."""
    secret_fields: tuple[str, ...] = ()
    """Fields that hold a secret; each also has ``FIELD_env`` and ``FIELD_command``."""
    capabilities: Capabilities = field(default_factory=Capabilities)
    native_command: Callable[[Any, str], str] | None = None
    """The shell command of the family's own client that shows one action, given the
    settings and the action's id (already neutralised): never a secret, only the name
    of the environment variable that holds it. ``None``: the family has no such command."""


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def env_reference(name: str | None, default: str) -> str:
    """``$NAME`` for a secret's environment variable (``$DEFAULT`` when unset or odd)."""
    return f"${name}" if name and _ENV_NAME.match(name) else f"${default}"


def double_quoted(text: str, variable: str = "") -> str:
    """``"text$NAME"`` for a POSIX shell: ``text`` taken literally, ``variable`` expanded.

    Args:
        text: literal text (``"``, ``\\``, ``$`` and backquotes are escaped).
        variable: a ``$NAME`` from :func:`env_reference`, appended unescaped.
    """
    escaped = re.sub(r'(["\\$`])', r"\\\1", text)
    return f'"{escaped}{variable}"'


def curl_command(settings: Any, url: str, auth: list[str]) -> str:
    """``curl -sS AUTH [TLS options] URL`` with the settings' TLS choices."""
    parts = ["curl", "-sS", *auth]
    if settings.ca_cert:
        parts += ["--cacert", shlex.quote(str(settings.ca_cert))]
    elif not settings.verify:
        parts.append("-k")
    return " ".join([*parts, shlex.quote(url)])
