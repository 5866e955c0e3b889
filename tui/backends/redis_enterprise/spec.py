"""The Redis Enterprise family as the rest of the program sees it: settings, build, capabilities.

Light on purpose: the client (:mod:`tui.backends.redis_enterprise.backend`) is
imported only when a backend is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from tui.backends.base import Backend
from tui.backends.settings import BackendSettings, Secret
from tui.backends.spec import (
    BackendSpec,
    Capabilities,
    DetailKind,
    SecretResolver,
    curl_command,
    double_quoted,
    env_reference,
)

TYPE = "redis-enterprise"
"""The config tag and every Redis Enterprise action's ``backend_type``."""


@dataclass(frozen=True, kw_only=True)
class RedisEnterpriseSettings(BackendSettings):
    """A Redis Enterprise Software cluster (REST API, usually port 9443; validated by
    :mod:`~tui.backends.redis_enterprise.schema`)."""

    type: str = TYPE
    url: str
    username: str
    password: Secret | None = None
    password_env: str | None = None
    password_command: str | None = None


def schema() -> type[Any]:
    """The pydantic model of a Redis Enterprise entry (imported only to read a config file)."""
    from tui.backends.redis_enterprise.schema import RedisEnterpriseSettings as Schema

    return Schema


def build(settings: RedisEnterpriseSettings, secret: SecretResolver) -> Backend:
    """A :class:`~tui.backends.redis_enterprise.backend.RedisEnterpriseBackend` for ``settings``."""
    from tui.backends.redis_enterprise.backend import RedisEnterpriseBackend

    return RedisEnterpriseBackend(
        settings.name,
        url=settings.url,
        username=settings.username,
        password=secret("password") or "",
        verify=settings.tls_verify(),
        timeout=settings.timeout,
    )


def native_command(settings: RedisEnterpriseSettings, action_id: str) -> str:
    """``curl -sS -u "ops@example.com:$RE_PASSWORD" 'https://…:9443/v1/actions/UID'``."""
    password = env_reference(settings.password_env, "RE_PASSWORD")
    url = f"{settings.url.rstrip('/')}/v1/actions/{quote(action_id, safe='')}"
    return curl_command(settings, url, ["-u", double_quoted(f"{settings.username}:", password)])


SPEC = BackendSpec(
    type=TYPE,
    settings=RedisEnterpriseSettings,
    build=build,
    schema=schema,
    secret_fields=("password",),
    capabilities=Capabilities(
        detail=DetailKind.PENDING,
        heartbeat=True,
        heavy_first_poll=True,  # every action of the cluster, from two listings and a sweep
    ),
    native_command=native_command,
)
