"""Turn a validated config into live backends (secrets resolved here, nowhere else).

Each entry is built by its family's ``build()``, found in
:data:`tui.backends.REGISTRY` by its ``type``; the family imports its
implementation only then, so a config without OpenStack never pays for
importing keystoneauth1 and openstacksdk. Secrets reach ``build()`` as a
resolver over :func:`tui.config.resolve_secret`.
"""

from __future__ import annotations

from tui.backends import REGISTRY
from tui.backends.base import Backend
from tui.backends.settings import BackendSettings
from tui.backends.spec import BackendSetupError, SecretResolver
from tui.config import Config, ConfigError, resolve_secret


def build_backends(config: Config) -> list[Backend]:
    """One backend per configured entry, in config order.

    Raises:
        ConfigError: a secret cannot be resolved, or an entry cannot make a backend.
    """
    return [build_backend(entry) for entry in config.backends]


def build_backend(entry: BackendSettings) -> Backend:
    """The backend for one config entry, built by the family its type names.

    Raises:
        ConfigError: the type is not registered, a secret cannot be resolved, or
            the family cannot make a backend from the entry.
    """
    spec = REGISTRY.get(entry.type)
    if spec is None or not isinstance(entry, spec.settings):
        raise ConfigError(f"backend {entry.name!r}: no backend type {entry.type!r}")
    try:
        return spec.build(entry, _secrets_of(entry))
    except BackendSetupError as error:
        raise ConfigError(f"backend {entry.name!r}: {error.reason}") from None


def make_now(backends: list[Backend]) -> None:
    """Make now what the backends would make at their first request (a session, a client).

    For a command that uses its backends at once: the work is the same, done
    while its start is still light (:mod:`tui.cli.startup`). The console leaves
    it to the first request.

    Raises:
        ConfigError: a backend's library refuses its settings after all.
    """
    for backend in backends:
        make = getattr(backend, "make_now", None)
        if not callable(make):
            continue
        try:
            make()
        except BackendSetupError as error:
            raise ConfigError(f"backend {backend.name!r}: {error.reason}") from None


def _secrets_of(entry: BackendSettings) -> SecretResolver:
    """A resolver for ``entry``'s secret fields."""

    def secret(field: str, *, required: bool = True) -> str | None:
        return resolve_secret(entry, field, required=required)

    return secret
