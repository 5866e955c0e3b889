"""The schema of a Redis Enterprise ``[[backends]]`` entry: what the config file may say."""

from __future__ import annotations

from typing import Literal

from pydantic import SecretStr

from tui.backends.redis_enterprise import spec
from tui.backends.settings_schema import BackendSettings, HttpUrl


class RedisEnterpriseSettings(BackendSettings):
    """A Redis Enterprise Software cluster (REST API, usually port 9443)."""

    PLAIN = spec.RedisEnterpriseSettings

    type: Literal["redis-enterprise"]
    url: HttpUrl
    username: str
    password: SecretStr | None = None
    password_env: str | None = None
    password_command: str | None = None
