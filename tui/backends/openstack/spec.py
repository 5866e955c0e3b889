"""The OpenStack family as the rest of the program sees it: settings, build, capabilities.

Light on purpose: keystoneauth1, openstacksdk and the Nova client are imported
only when a backend is built from a ``clouds.yaml`` cloud or sends its first
request, so a config without OpenStack never loads them.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from tui.backends.base import Backend
from tui.backends.openstack.credentials import (
    AppCredentialOptions,
    CatalogOptions,
    OpenStackCredentials,
    ProjectOptions,
    UserOptions,
)
from tui.backends.settings import BackendSettings, Secret
from tui.backends.spec import (
    BackendSetupError,
    BackendSpec,
    Capabilities,
    DetailKind,
    SecretResolver,
)

TYPE = "openstack"
"""The config tag and every Nova action's ``backend_type``."""


@dataclass(frozen=True, kw_only=True)
class OpenStackSettings(
    BackendSettings, UserOptions, ProjectOptions, AppCredentialOptions, CatalogOptions
):
    """An OpenStack cloud: a clouds.yaml cloud, or inline Keystone v3 credentials.

    The Keystone options (user, project, application credential, region) come
    from :mod:`~tui.backends.openstack.credentials`; the config file is validated
    by :mod:`~tui.backends.openstack.schema`.
    """

    type: str = TYPE
    cloud: str | None = None
    """A cloud from clouds.yaml, resolved as ``openstack --os-cloud NAME`` does."""
    auth_url: str | None = None
    password: Secret | None = None
    password_env: str | None = None
    password_command: str | None = None
    application_credential_secret: Secret | None = None
    application_credential_secret_env: str | None = None
    application_credential_secret_command: str | None = None
    servers: list[str] | None = None
    """Only these servers (ids or names); all servers of the project when omitted."""
    full_sweep_every: int = 30
    """Every this many polls, read every server's actions (the others read only the
    servers that changed): how stale an event-only change can get, in polls."""


def schema() -> type[Any]:
    """The pydantic model of an OpenStack entry (imported only to read a config file)."""
    from tui.backends.openstack.schema import OpenStackSettings as Schema

    return Schema


def build(settings: OpenStackSettings, secret: SecretResolver) -> Backend:
    """The OpenStack backend for ``settings``.

    Inline credentials are checked here with keystoneauth1's rules
    (:mod:`~tui.backends.openstack.plugins`) and the session is made at the
    first request (:mod:`~tui.backends.openstack.deferred`), so keystoneauth1
    is not imported at start; a ``clouds.yaml`` cloud is resolved at once.

    Raises:
        BackendSetupError: the cloud or the credentials cannot make a session.
    """
    options = {"servers": settings.servers, "full_sweep_every": settings.full_sweep_every}
    if settings.cloud:
        return _from_cloud(settings, settings.cloud, options)
    from tui.backends.openstack.deferred import DeferredOpenStackBackend
    from tui.backends.openstack.plugins import NO_SECRET, choose_plugin, first_line, refusal

    credentials = OpenStackCredentials.taking_options(
        settings,
        auth_url=settings.auth_url or "",
        password=secret("password", required=False),
        application_credential_secret=secret("application_credential_secret", required=False),
        verify=settings.tls_verify(),
    )
    chosen = choose_plugin(credentials)
    reason = NO_SECRET if chosen is None else refusal(*chosen)
    if reason is not None:
        raise BackendSetupError(first_line(reason, credentials.secrets))
    return DeferredOpenStackBackend(settings.name, credentials, timeout=settings.timeout, **options)


def _from_cloud(settings: OpenStackSettings, cloud: str, options: dict[str, Any]) -> Backend:
    """The backend of a ``clouds.yaml`` cloud (reads the files and imports keystoneauth1 now)."""
    from tui.backends.openstack.auth import OpenStackConfigError, session_from_cloud
    from tui.backends.openstack.backend import OpenStackBackend

    try:
        resolved = session_from_cloud(settings.name, cloud, region_name=settings.region_name)
    except OpenStackConfigError as error:
        raise BackendSetupError(error.reason) from None
    return OpenStackBackend.from_resolved(
        settings.name, resolved, timeout=settings.timeout, **options
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
    schema=schema,
    secret_fields=("password", "application_credential_secret"),
    capabilities=Capabilities(detail=DetailKind.EVENTS, heavy_first_poll=True),
    native_command=native_command,
)
