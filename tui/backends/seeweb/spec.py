"""The Seeweb family as the rest of the program sees it: settings, build, capabilities.

Light on purpose: the client (:mod:`tui.backends.seeweb.backend`) is imported
only when a backend is built.
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

TYPE = "seeweb"
"""The config tag and every Seeweb action's ``backend_type``."""

DEFAULT_URL = "https://api.seeweb.it/ecs/v2"


@dataclass(frozen=True, kw_only=True)
class SeewebSettings(BackendSettings):
    """A Seeweb ECS account (validated by :mod:`~tui.backends.seeweb.schema`)."""

    type: str = TYPE
    url: str = DEFAULT_URL
    token: Secret | None = None
    token_env: str | None = None
    token_command: str | None = None
    page_size: int = 50


def schema() -> type[Any]:
    """The pydantic model of a Seeweb entry (imported only to read a config file)."""
    from tui.backends.seeweb.schema import SeewebSettings as Schema

    return Schema


def build(settings: SeewebSettings, secret: SecretResolver) -> Backend:
    """A :class:`~tui.backends.seeweb.backend.SeewebBackend` for ``settings``."""
    from tui.backends.seeweb.backend import SeewebBackend

    return SeewebBackend(
        settings.name,
        url=settings.url,
        token=secret("token") or "",
        verify=settings.tls_verify(),
        timeout=settings.timeout,
        page_size=settings.page_size,
    )


def native_command(settings: SeewebSettings, action_id: str) -> str:
    """``curl -sS -H "X-APITOKEN: $SEEWEB_TOKEN" 'https://…/actions/709'`` (no secret)."""
    token = env_reference(settings.token_env, "SEEWEB_TOKEN")
    url = f"{settings.url.rstrip('/')}/actions/{quote(action_id, safe='')}"
    return curl_command(settings, url, ["-H", double_quoted("X-APITOKEN: ", token)])


SPEC = BackendSpec(
    type=TYPE,
    settings=SeewebSettings,
    build=build,
    schema=schema,
    secret_fields=("token",),
    capabilities=Capabilities(server_search=True, detail=DetailKind.LIFECYCLE),
    native_command=native_command,
)
