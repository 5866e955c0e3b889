"""The schema of a Seeweb ``[[backends]]`` entry: what the config file may say (pydantic)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from tui.backends.seeweb import spec
from tui.backends.settings_schema import BackendSettings, HttpUrl


class SeewebSettings(BackendSettings):
    """A Seeweb ECS account."""

    PLAIN = spec.SeewebSettings

    type: Literal["seeweb"]
    url: HttpUrl = spec.DEFAULT_URL
    token: SecretStr | None = None
    token_env: str | None = None
    token_command: str | None = None
    page_size: int = Field(default=50, ge=1, le=1000)
