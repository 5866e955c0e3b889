"""Turn a validated config into live backends (secrets resolved here, nowhere else).

Backend modules are imported lazily, so a config without OpenStack never
pays for importing keystoneauth1 and openstacksdk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.backends.base import Backend
from tui.config import (
    Config,
    ConfigError,
    OpenStackConfig,
    RedisEnterpriseConfig,
    SeewebConfig,
    resolve_secret,
)

if TYPE_CHECKING:
    from tui.backends.openstack.auth import ResolvedSession


def build_backends(config: Config) -> list[Backend]:
    """One backend per configured entry, in config order.

    Raises:
        ConfigError: a secret cannot be resolved.
    """
    return [build_backend(entry) for entry in config.backends]


def build_backend(entry: SeewebConfig | OpenStackConfig | RedisEnterpriseConfig) -> Backend:
    """The backend for one config entry."""
    if isinstance(entry, SeewebConfig):
        return _seeweb(entry)
    if isinstance(entry, RedisEnterpriseConfig):
        return _redis(entry)
    return _openstack(entry)


def _seeweb(entry: SeewebConfig) -> Backend:
    from tui.backends.seeweb.backend import SeewebBackend

    return SeewebBackend(
        entry.name,
        url=entry.url,
        token=resolve_secret(entry, "token") or "",
        verify=entry.tls_verify(),
        timeout=entry.timeout,
        page_size=entry.page_size,
    )


def _redis(entry: RedisEnterpriseConfig) -> Backend:
    from tui.backends.redis_enterprise.backend import RedisEnterpriseBackend

    return RedisEnterpriseBackend(
        entry.name,
        url=entry.url,
        username=entry.username,
        password=resolve_secret(entry, "password") or "",
        verify=entry.tls_verify(),
        timeout=entry.timeout,
    )


def _openstack(entry: OpenStackConfig) -> Backend:
    from tui.backends.openstack.auth import OpenStackConfigError
    from tui.backends.openstack.backend import OpenStackBackend

    try:
        resolved = _openstack_session(entry)
    except OpenStackConfigError as error:
        raise ConfigError(f"backend {entry.name!r}: {error.reason}") from None
    return OpenStackBackend.from_resolved(
        entry.name, resolved, servers=entry.servers, timeout=entry.timeout
    )


def _openstack_session(entry: OpenStackConfig) -> ResolvedSession:
    """A keystoneauth session from a clouds.yaml cloud or from inline credentials."""
    from tui.backends.openstack.auth import (
        OpenStackCredentials,
        session_from_cloud,
        session_from_credentials,
    )

    if entry.cloud:
        return session_from_cloud(entry.name, entry.cloud, region_name=entry.region_name)
    credentials = OpenStackCredentials(
        auth_url=entry.auth_url or "",
        username=entry.username,
        user_id=entry.user_id,
        password=resolve_secret(entry, "password", required=False),
        project_name=entry.project_name,
        project_id=entry.project_id,
        user_domain_name=entry.user_domain_name,
        user_domain_id=entry.user_domain_id,
        project_domain_name=entry.project_domain_name,
        project_domain_id=entry.project_domain_id,
        application_credential_id=entry.application_credential_id,
        application_credential_secret=resolve_secret(
            entry, "application_credential_secret", required=False
        ),
        region_name=entry.region_name,
        interface=entry.interface,
        verify=entry.tls_verify(),
    )
    return session_from_credentials(entry.name, credentials)
