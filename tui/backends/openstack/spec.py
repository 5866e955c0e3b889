"""The OpenStack family as the rest of the program sees it: settings, build, capabilities.

Light on purpose: keystoneauth1, openstacksdk and the Nova client are imported
only when a backend is built, so a config without OpenStack never loads them.
"""

from __future__ import annotations

import shlex
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from tui.backends.base import Backend
from tui.backends.openstack.credentials import (
    AppCredentialOptions,
    CatalogOptions,
    OpenStackCredentials,
    ProjectOptions,
    UserOptions,
)
from tui.backends.settings import BackendSettings, HttpUrl
from tui.backends.spec import (
    BackendSetupError,
    BackendSpec,
    Capabilities,
    DetailKind,
    SecretResolver,
)

TYPE = "openstack"
"""The config tag and every Nova action's ``backend_type``."""


class OpenStackSettings(
    BackendSettings, UserOptions, ProjectOptions, AppCredentialOptions, CatalogOptions
):
    """An OpenStack cloud: a clouds.yaml cloud, or inline Keystone v3 credentials.

    The Keystone options (user, project, application credential, region) come
    from :mod:`~tui.backends.openstack.credentials`.
    """

    type: Literal["openstack"]
    cloud: str | None = None
    """A cloud from clouds.yaml, resolved as ``openstack --os-cloud NAME`` does."""
    auth_url: HttpUrl | None = None
    password: SecretStr | None = None
    password_env: str | None = None
    password_command: str | None = None
    application_credential_secret: SecretStr | None = None
    application_credential_secret_env: str | None = None
    application_credential_secret_command: str | None = None
    interface: Literal["public", "internal", "admin"] = "public"
    servers: list[str] | None = None
    """Only these servers (ids or names); all servers of the project when omitted."""
    full_sweep_every: int = Field(default=30, ge=1, le=10_000)
    """Every this many polls, read every server's actions (the others read only the
    servers that changed): how stale an event-only change can get, in polls."""

    @model_validator(mode="after")
    def _cloud_or_auth_url(self) -> OpenStackSettings:
        if not self.cloud and not self.auth_url:
            raise ValueError("give either 'cloud' (a clouds.yaml cloud) or 'auth_url'")
        return self


def build(settings: OpenStackSettings, secret: SecretResolver) -> Backend:
    """An :class:`~tui.backends.openstack.backend.OpenStackBackend` for ``settings``.

    Raises:
        BackendSetupError: the cloud or the credentials cannot make a session.
    """
    from tui.backends.openstack.auth import (
        OpenStackConfigError,
        session_from_cloud,
        session_from_credentials,
    )
    from tui.backends.openstack.backend import OpenStackBackend

    try:
        if settings.cloud:
            resolved = session_from_cloud(
                settings.name, settings.cloud, region_name=settings.region_name
            )
        else:
            credentials = OpenStackCredentials.taking_options(
                settings,
                auth_url=settings.auth_url or "",
                password=secret("password", required=False),
                application_credential_secret=secret(
                    "application_credential_secret", required=False
                ),
                verify=settings.tls_verify(),
            )
            resolved = session_from_credentials(settings.name, credentials)
    except OpenStackConfigError as error:
        raise BackendSetupError(error.reason) from None
    return OpenStackBackend.from_resolved(
        settings.name,
        resolved,
        servers=settings.servers,
        timeout=settings.timeout,
        full_sweep_every=settings.full_sweep_every,
    )


_CLI_OPTIONS = (
    ("auth_url", "--os-auth-url"),
    ("username", "--os-username"),
    ("user_id", "--os-user-id"),
    ("project_name", "--os-project-name"),
    ("project_id", "--os-project-id"),
    ("user_domain_name", "--os-user-domain-name"),
    ("project_domain_name", "--os-project-domain-name"),
    ("region_name", "--os-region-name"),
)
"""Inline settings the ``openstack`` client takes as options (none of them a secret)."""


def native_command(settings: OpenStackSettings, action_id: str) -> str:
    """``openstack --os-cloud CLOUD server event show SERVER REQUEST``.

    Without a cloud the inline settings become ``--os-…`` options; the password
    stays in ``$OS_PASSWORD``, where the client reads it.
    """
    server, _, request = action_id.partition("/")
    where = ["--os-cloud", settings.cloud] if settings.cloud else []
    if not settings.cloud:
        for key, option in _CLI_OPTIONS:
            value = getattr(settings, key, None)
            if value:
                where += [option, str(value)]
    return shlex.join(["openstack", *where, "server", "event", "show", server, request])


SPEC = BackendSpec(
    type=TYPE,
    settings=OpenStackSettings,
    build=build,
    secret_fields=("password", "application_credential_secret"),
    capabilities=Capabilities(detail=DetailKind.EVENTS),
    native_command=native_command,
)
