"""The schema of an OpenStack ``[[backends]]`` entry: what the config file may say (pydantic).

The Keystone option groups restate :mod:`~tui.backends.openstack.credentials`'s
(a test holds their keys and defaults equal).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator

from tui.backends.openstack import spec
from tui.backends.settings_schema import BackendSettings, HttpUrl, Strict


class _Options(Strict):
    """A group of Keystone options (mixed into :class:`OpenStackSettings` only)."""


class UserOptions(_Options):
    """Who authenticates (by name within a domain, or by id)."""

    username: str | None = None
    user_id: str | None = None
    user_domain_name: str | None = None
    user_domain_id: str | None = None


class ProjectOptions(_Options):
    """The project a password token is scoped to (an application credential has its own)."""

    project_name: str | None = None
    project_id: str | None = None
    project_domain_name: str | None = None
    project_domain_id: str | None = None


class AppCredentialOptions(_Options):
    """An application credential, by id, or by name with the user's name and domain."""

    application_credential_id: str | None = None
    application_credential_name: str | None = None


class CatalogOptions(_Options):
    """Where compute is found in the catalog."""

    region_name: str | None = None
    interface: str = "public"


class OpenStackSettings(
    BackendSettings, UserOptions, ProjectOptions, AppCredentialOptions, CatalogOptions
):
    """An OpenStack cloud: a clouds.yaml cloud, or inline Keystone v3 credentials."""

    PLAIN = spec.OpenStackSettings

    type: Literal["openstack"]
    cloud: str | None = None
    auth_url: HttpUrl | None = None
    password: SecretStr | None = None
    password_env: str | None = None
    password_command: str | None = None
    application_credential_secret: SecretStr | None = None
    application_credential_secret_env: str | None = None
    application_credential_secret_command: str | None = None
    interface: Literal["public", "internal", "admin"] = "public"
    servers: list[str] | None = None
    full_sweep_every: int = Field(default=30, ge=1, le=10_000)

    @model_validator(mode="after")
    def _cloud_or_auth_url(self) -> OpenStackSettings:
        if not self.cloud and not self.auth_url:
            raise ValueError("give either 'cloud' (a clouds.yaml cloud) or 'auth_url'")
        return self
