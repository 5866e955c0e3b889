"""Keystone for the OpenStack backend: sessions, clouds.yaml, tokens and typed errors.

Everything talks to the simulated Keystone over loopback, except the table of
keystoneauth exceptions, which feeds the mapper the exceptions directly.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import trustme
import yaml
from keystoneauth1 import exceptions as ksa

from tui.backends.base import (
    AuthError,
    AuthRejectedError,
    BackendError,
    BackendTimeout,
    BadResponseError,
    RateLimitedError,
    ServerError,
    UnreachableError,
)
from tui.backends.openstack.auth import (
    KeystoneAuth,
    OpenStackConfigError,
    OpenStackCredentials,
    map_keystone_error,
    session_from_cloud,
    session_from_credentials,
)
from tui.backends.openstack.backend import OpenStackBackend
from tui.backends.openstack.spec import OpenStackSettings
from tui.config import parse_config
from tui.connect import build_backend
from tui.sim import FrozenClock, Simulator
from tui.sim.http import ApiServer
from tui.sim.openstack.api import OpenStackApi

NAME = "os-auth-test"
WRONG_PASSWORD = "hunter2-not-the-password"


def password_credentials(sim: Simulator, **changes: Any) -> OpenStackCredentials:
    """Inline password credentials of the simulator's demo user."""
    values: dict[str, Any] = {
        "auth_url": sim.auth_url,
        "username": "demo",
        "password": sim.credentials.os_password,
        "project_name": "demo",
        "user_domain_name": "Default",
        "project_domain_name": "Default",
    }
    values.update(changes)
    return OpenStackCredentials(**values)


def app_credentials(sim: Simulator, **changes: Any) -> OpenStackCredentials:
    """Inline application-credential parameters of the simulator."""
    values: dict[str, Any] = {
        "auth_url": sim.auth_url,
        "application_credential_id": sim.credentials.os_app_credential_id,
        "application_credential_secret": sim.credentials.os_app_credential_secret,
    }
    values.update(changes)
    return OpenStackCredentials(**values)


def write_clouds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clouds: dict[str, Any]) -> Path:
    """Write a clouds.yaml and point openstacksdk at it, as ``OS_CLIENT_CONFIG_FILE`` does."""
    path = tmp_path / "clouds.yaml"
    path.write_text(yaml.safe_dump({"clouds": clouds}))
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    monkeypatch.chdir(tmp_path)  # the loader also looks in the working directory
    return path


def sim_cloud(sim: Simulator, **extra: Any) -> dict[str, Any]:
    """A clouds.yaml entry for the simulator."""
    return {
        "auth": {
            "auth_url": sim.auth_url,
            "username": "demo",
            "password": sim.credentials.os_password,
            "project_name": "demo",
            "user_domain_name": "Default",
            "project_domain_name": "Default",
        },
        "region_name": "RegionOne",
        **extra,
    }


class FakeMonotonic:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


# -- inline credentials -----------------------------------------------------------------


@pytest.mark.parametrize(
    "make", [password_credentials, app_credentials], ids=["password", "app-credential"]
)
async def test_inline_credentials_give_token_and_endpoint(fresh_sim: Simulator, make: Any) -> None:
    """Password and application credential both reach the catalog's compute URL, once."""
    auth = KeystoneAuth(NAME, session_from_credentials(NAME, make(fresh_sim)))
    first = await auth.grant()
    again = await auth.grant()
    assert first.endpoint == fresh_sim.openstack_api.compute_url
    assert again == first
    assert fresh_sim.openstack_api.tokens_issued == 1


async def test_secrets_are_not_in_reprs(sim: Simulator) -> None:
    """Neither credentials, sessions nor grants show a secret or the token in their repr."""
    creds = password_credentials(sim)
    resolved = session_from_credentials(NAME, creds)
    grant = await KeystoneAuth(NAME, resolved).grant()
    assert sim.credentials.os_password not in repr(creds) + repr(resolved)
    assert sim.credentials.os_app_credential_secret not in repr(app_credentials(sim))
    assert grant.token not in repr(grant)


def test_no_secret_at_all_is_a_config_error(sim: Simulator) -> None:
    """Neither password nor application credential: refused before any request."""
    with pytest.raises(OpenStackConfigError, match="no password and no application credential"):
        session_from_credentials(NAME, password_credentials(sim, password=None))


async def test_wrong_password_is_auth_error_without_the_password(fresh_sim: Simulator) -> None:
    """Keystone's 401 becomes AuthError naming the backend, never echoing the password."""
    resolved = session_from_credentials(
        NAME, password_credentials(fresh_sim, password=WRONG_PASSWORD)
    )
    with pytest.raises(AuthError) as caught:
        await KeystoneAuth(NAME, resolved).grant()
    assert str(caught.value).startswith(f"{NAME}: ")
    assert "401" in str(caught.value)
    assert WRONG_PASSWORD not in str(caught.value)


async def test_unreachable_identity_service(sim: Simulator) -> None:
    """A closed port is UnreachableError."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    creds = password_credentials(sim, auth_url=f"http://127.0.0.1:{port}/identity/v3")
    with pytest.raises(UnreachableError, match=NAME):
        await KeystoneAuth(NAME, session_from_credentials(NAME, creds)).grant()


async def test_missing_region_is_bad_response(sim: Simulator) -> None:
    """No compute endpoint for the region: a typed error naming interface and region."""
    resolved = session_from_credentials(NAME, password_credentials(sim, region_name="Nowhere"))
    with pytest.raises(BadResponseError, match="compute endpoint"):
        await KeystoneAuth(NAME, resolved).grant()


async def test_application_credential_by_name_with_its_user(fresh_sim: Simulator) -> None:
    """An application credential named (not by id) together with its user's name and domain."""
    creds = app_credentials(
        fresh_sim,
        application_credential_id=None,
        application_credential_name=fresh_sim.openstack_api.app_credential_name,
        username="demo",
        user_domain_name="Default",
    )
    grant = await KeystoneAuth(NAME, session_from_credentials(NAME, creds)).grant()
    assert grant.endpoint == fresh_sim.openstack_api.compute_url
    wrong = dataclasses.replace(creds, application_credential_name="someone-else")
    with pytest.raises(AuthError, match=NAME):
        await KeystoneAuth(NAME, session_from_credentials(NAME, wrong)).grant()


async def test_application_credential_name_is_set_from_the_config_file(
    fresh_sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``application_credential_name`` in a config entry reaches Keystone through ``build()``."""
    monkeypatch.setenv("APP_SECRET", fresh_sim.credentials.os_app_credential_secret)
    text = f"""
[[backends]]
name = "{NAME}"
type = "openstack"
auth_url = "{fresh_sim.auth_url}"
application_credential_name = "{fresh_sim.openstack_api.app_credential_name}"
application_credential_secret_env = "APP_SECRET"
username = "demo"
user_domain_name = "Default"
"""
    (entry,) = parse_config(text, tmp_path / "c.toml").config.backends
    backend = build_backend(entry)
    try:
        update = await backend.poll()
    finally:
        await backend.aclose()
    assert update.actions and fresh_sim.openstack_api.tokens_issued == 1


# -- token life and renewal ----------------------------------------------------------------


async def test_token_renewed_before_it_expires(fresh_sim: Simulator) -> None:
    """Keystone's stated lifetime (3600 s) on the local monotonic clock, minus 120 s."""
    clock = FakeMonotonic()
    auth = KeystoneAuth(
        NAME, session_from_credentials(NAME, password_credentials(fresh_sim)), monotonic=clock
    )
    first = await auth.grant()
    clock.value += 3600 - 121
    kept = await auth.grant()
    clock.value += 2
    renewed = await auth.grant()
    assert kept is first
    assert renewed.generation == first.generation + 1
    assert renewed.token != first.token
    assert fresh_sim.openstack_api.tokens_issued == 2


async def test_server_time_follows_keystone_not_the_local_clock(fresh_sim: Simulator) -> None:
    """``issued_at`` plus local monotonic time: right even though the wall clock differs."""
    clock = FakeMonotonic()
    auth = KeystoneAuth(
        NAME, session_from_credentials(NAME, password_credentials(fresh_sim)), monotonic=clock
    )
    assert auth.server_time() is None
    await auth.grant()
    clock.value += 90
    expected = datetime.fromtimestamp(fresh_sim.clock.now() + 90, UTC)
    assert auth.server_time() == expected


async def test_concurrent_renewals_fetch_one_token(fresh_sim: Simulator) -> None:
    """Many requests refused with the same token trigger a single re-authentication."""
    auth = KeystoneAuth(NAME, session_from_credentials(NAME, password_credentials(fresh_sim)))
    stale = await auth.grant()
    renewed = await asyncio.gather(*(auth.renew(stale) for _ in range(5)))
    assert {grant.generation for grant in renewed} == {stale.generation + 1}
    assert fresh_sim.openstack_api.tokens_issued == 2


# -- clouds.yaml ---------------------------------------------------------------------------


async def test_cloud_resolved_by_name(
    fresh_sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clouds.yaml cloud works like ``openstack --os-cloud``: session, region, interface."""
    write_clouds(tmp_path, monkeypatch, {"simulated": sim_cloud(fresh_sim, interface="internal")})
    resolved = session_from_cloud(NAME, "simulated")
    backend = OpenStackBackend.from_cloud(NAME, "simulated", clock=fresh_sim.clock)
    try:
        update = await backend.poll()
    finally:
        await backend.aclose()
    assert (resolved.interface, resolved.region_name) == ("internal", "RegionOne")
    assert fresh_sim.credentials.os_password in resolved.secrets
    assert len(update.actions) == 100


async def test_secure_yaml_supplies_the_password(
    fresh_sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The password may live in secure.yaml, merged over clouds.yaml."""
    cloud = sim_cloud(fresh_sim)
    password = cloud["auth"].pop("password")
    write_clouds(tmp_path, monkeypatch, {"simulated": cloud})
    secure = tmp_path / "secure.yaml"
    secure.write_text(yaml.safe_dump({"clouds": {"simulated": {"auth": {"password": password}}}}))
    monkeypatch.setenv("OS_CLIENT_SECURE_FILE", str(secure))
    auth = KeystoneAuth(NAME, session_from_cloud(NAME, "simulated"))
    grant = await auth.grant()
    assert grant.endpoint == fresh_sim.openstack_api.compute_url


async def test_app_credential_cloud(
    fresh_sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``auth_type: v3applicationcredential`` clouds work too."""
    creds = fresh_sim.credentials
    cloud = {
        "auth_type": "v3applicationcredential",
        "auth": {
            "auth_url": fresh_sim.auth_url,
            "application_credential_id": creds.os_app_credential_id,
            "application_credential_secret": creds.os_app_credential_secret,
        },
    }
    write_clouds(tmp_path, monkeypatch, {"app": cloud})
    grant = await KeystoneAuth(NAME, session_from_cloud(NAME, "app")).grant()
    assert grant.endpoint == fresh_sim.openstack_api.compute_url


def test_unknown_cloud_names_the_cloud(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unknown cloud is a typed config error naming the cloud and the file read."""
    path = write_clouds(tmp_path, monkeypatch, {"simulated": sim_cloud(sim)})
    with pytest.raises(OpenStackConfigError) as caught:
        session_from_cloud(NAME, "staging")
    message = str(caught.value)
    assert isinstance(caught.value, AuthError)
    assert "staging" in message
    assert str(path) in message
    assert sim.credentials.os_password not in message


def test_unreadable_clouds_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken clouds.yaml is a typed config error, not a YAML traceback."""
    path = tmp_path / "clouds.yaml"
    path.write_text("clouds: [unclosed\n")
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OpenStackConfigError, match=NAME):
        session_from_cloud(NAME, "anything")


# -- keystoneauth exceptions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (ksa.Unauthorized(), AuthRejectedError),
        (ksa.Forbidden(), AuthRejectedError),
        (ksa.MissingRequiredOptions([]), AuthError),
        (ksa.ConnectTimeout("slow"), BackendTimeout),
        (ksa.ConnectFailure("refused"), UnreachableError),
        (ksa.SSLError("bad certificate"), UnreachableError),
        (ksa.HttpError(http_status=429), RateLimitedError),
        (ksa.ServiceUnavailable(), ServerError),
        (ksa.DiscoveryFailure("no version"), BadResponseError),
        (ksa.EndpointNotFound("compute"), BadResponseError),
        (ksa.InvalidResponse(requests.Response()), BadResponseError),
    ],
)
def test_keystone_exceptions_become_typed_errors(
    exc: ksa.ClientException, expected: type[BackendError]
) -> None:
    """Every keystoneauth failure maps to the backend error the poller understands."""
    error = map_keystone_error(NAME, exc)
    assert type(error) is expected
    assert error.backend == NAME


def test_secrets_are_scrubbed_from_messages() -> None:
    """A secret that leaks into a library message is masked."""
    exc = ksa.ConnectFailure("cannot reach https://u:s3cr3t-value@keystone/v3")
    error = map_keystone_error(NAME, exc, ("s3cr3t-value",))
    assert "s3cr3t-value" not in str(error)
    assert "***" in str(error)


# -- TLS with a private CA -------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_cloud() -> Iterator[tuple[OpenStackApi, trustme.CA]]:
    """The simulated cloud served over HTTPS with a certificate from a private CA."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = ApiServer("openstack-tls", ssl_context=context)
    api = OpenStackApi(
        seed=7, clock=FrozenClock(), actions=20, base_url=server.url, faults=server.faults
    )
    for route in api.routes():
        server.add_route(route)
    server.start()
    yield api, ca
    server.stop()


async def test_private_ca_bundle_is_trusted(
    tls_cloud: tuple[OpenStackApi, trustme.CA], tmp_path: Path
) -> None:
    """``verify`` as a CA path reaches both keystoneauth and the Nova client."""
    api, ca = tls_cloud
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    creds = OpenStackCredentials(
        auth_url=api.auth_url,
        application_credential_id=api.app_credential_id,
        application_credential_secret=api.app_credential_secret,
        verify=str(bundle),
    )
    backend = OpenStackBackend.from_credentials(NAME, creds, clock=api.clock)
    try:
        update = await backend.poll()
    finally:
        await backend.aclose()
    assert api.auth_url.startswith("https://")
    assert len(update.actions) == 20


async def test_untrusted_certificate_is_unreachable(
    tls_cloud: tuple[OpenStackApi, trustme.CA],
) -> None:
    """Without the CA the TLS handshake fails: UnreachableError, not a traceback."""
    api, _ = tls_cloud
    creds = OpenStackCredentials(
        auth_url=api.auth_url,
        application_credential_id=api.app_credential_id,
        application_credential_secret=api.app_credential_secret,
    )
    with pytest.raises(UnreachableError, match=NAME):
        await KeystoneAuth(NAME, session_from_credentials(NAME, creds)).grant()


def test_credentials_take_every_option_from_the_settings(tmp_path: Path) -> None:
    """``build()`` copies every Keystone option of the validated settings into the credentials."""
    bundle = tmp_path / "our-ca.pem"
    bundle.write_text(trustme.CA().cert_pem.bytes().decode())
    text = f"""
[[backends]]
name = "os"
type = "openstack"
auth_url = "https://keystone.test/v3"
username = "demo"
user_domain_name = "Default"
project_name = "demo"
project_domain_id = "default"
region_name = "RegionTwo"
interface = "internal"
password = "pw"
ca_cert = "{bundle}"
"""
    (entry,) = parse_config(text, tmp_path / "c.toml").config.backends
    assert isinstance(entry, OpenStackSettings)
    taken = OpenStackCredentials.taking_options(
        entry, auth_url=entry.auth_url or "", password="pw", verify=entry.tls_verify()
    )

    assert taken.password_options() == {
        "auth_url": "https://keystone.test/v3",
        "password": "pw",
        "username": "demo",
        "user_domain_name": "Default",
        "project_name": "demo",
        "project_domain_id": "default",
    }
    assert taken.region_name == "RegionTwo"
    assert taken.verify == str(bundle) and taken.interface == "internal"
