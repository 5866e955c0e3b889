"""Keystone at the edges: redirects, deadlines, body caps, discovery 401, both session paths.

A :class:`~tests.helpers.hostile.HostileServer` proxies the simulator's
OpenStack server and misbehaves on the paths a test scripts; a second one,
on another port, stands for "another origin" and records what reaches it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.hostile import (
    HostileServer,
    drip_body,
    drip_headers,
    gzip_bomb,
    hang,
    huge,
    raw,
    redirect,
)
from tui.backends.base import AuthError, BackendTimeout, BadResponseError, RedirectError
from tui.backends.openstack.auth import (
    KeystoneAuth,
    OpenStackCredentials,
    ResolvedSession,
    session_from_cloud,
    session_from_credentials,
)
from tui.backends.openstack.keystone_http import BoundedSession
from tui.sim import Simulator

NAME = "edge-os"
TIMEOUT = 1.5
TOKENS = r"^/identity/v3/auth/tokens"


@pytest.fixture
def hostile(sim: Simulator) -> Iterator[HostileServer]:
    with HostileServer(sim.openstack.url) as server:
        yield server


@pytest.fixture
def elsewhere() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def inline(
    sim: Simulator, server: HostileServer, identity: str = "/identity/v3"
) -> ResolvedSession:
    creds = sim.credentials
    credentials = OpenStackCredentials(
        auth_url=f"{server.url}{identity}",
        username=creds.os_username,
        password=creds.os_password,
        project_name=creds.os_project,
        user_domain_name=creds.os_domain,
        project_domain_name=creds.os_domain,
    )
    return session_from_credentials(NAME, credentials)


def from_clouds_yaml(
    sim: Simulator,
    server: HostileServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    identity: str = "/identity/v3",
) -> ResolvedSession:
    creds = sim.credentials
    cloud = {
        "auth": {
            "auth_url": f"{server.url}{identity}",
            "username": creds.os_username,
            "password": creds.os_password,
            "project_name": creds.os_project,
            "user_domain_name": creds.os_domain,
            "project_domain_name": creds.os_domain,
        },
        "region_name": "RegionOne",
    }
    path = tmp_path / "clouds.yaml"
    path.write_text(yaml.safe_dump({"clouds": {"edge": cloud}}))
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    return session_from_cloud(NAME, "edge")


Build = Callable[..., ResolvedSession]


@pytest.fixture(params=["inline", "clouds.yaml"])
def build(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Simulator, HostileServer], ResolvedSession]:
    if request.param == "inline":
        return inline
    return lambda sim, server, *url: from_clouds_yaml(sim, server, tmp_path, monkeypatch, *url)


async def grant_within(auth: KeystoneAuth, bound: float) -> tuple[Any, float]:
    started = time.monotonic()
    try:
        return await auth.grant(), time.monotonic() - started
    except Exception as error:
        elapsed = time.monotonic() - started
        assert elapsed <= bound, f"{elapsed:.2f}s > {bound}s"
        return error, elapsed


def test_both_session_paths_are_hardened(
    sim: Simulator, hostile: HostileServer, build: Callable[..., ResolvedSession]
) -> None:
    resolved = build(sim, hostile)
    KeystoneAuth(NAME, resolved, timeout=TIMEOUT)
    assert resolved.session.redirect is False
    assert isinstance(resolved.session.session, BoundedSession)
    assert resolved.session.timeout == TIMEOUT


async def test_a_healthy_keystone_through_the_proxy_still_works(
    sim: Simulator, hostile: HostileServer, build: Callable[..., ResolvedSession]
) -> None:
    grant = await KeystoneAuth(NAME, build(sim, hostile), timeout=TIMEOUT).grant()
    assert grant.endpoint.startswith(hostile.url)  # the catalog points back at the proxy
    assert grant.token


@pytest.mark.parametrize("status", [302, 307])
async def test_a_redirect_never_carries_the_password_elsewhere(
    sim: Simulator,
    hostile: HostileServer,
    elsewhere: HostileServer,
    build: Callable[..., ResolvedSession],
    status: int,
) -> None:
    hostile.script(TOKENS, redirect(f"{elsewhere.url}/identity/v3/auth/tokens?x=1", status))
    auth = KeystoneAuth(NAME, build(sim, hostile), timeout=TIMEOUT)
    with pytest.raises(RedirectError) as caught:
        await auth.grant()
    assert caught.value.target == elsewhere.url
    assert f"to {elsewhere.url}; not followed" in str(caught.value)
    assert "x=1" not in str(caught.value)
    assert not elsewhere.seen
    assert sim.credentials.os_password not in str(caught.value)


@pytest.mark.parametrize(
    "fault",
    [hang(), drip_body(), drip_headers()],
    ids=["hang", "drip-body", "drip-headers"],
)
async def test_a_slow_keystone_ends_at_the_deadline_and_frees_its_thread(
    sim: Simulator, hostile: HostileServer, build: Callable[..., ResolvedSession], fault: Any
) -> None:
    hostile.script(TOKENS, fault)
    auth = KeystoneAuth(NAME, build(sim, hostile), timeout=TIMEOUT)
    error, _ = await grant_within(auth, TIMEOUT + 1.0)
    assert isinstance(error, BackendTimeout), error
    await asyncio.sleep(0.5)  # the aborted exchange's sockets are shut: its thread ends
    assert not [t for t in threading.enumerate() if t.name == "keystone" and t.is_alive()]


@pytest.mark.parametrize(
    "fault",
    [gzip_bomb(), huge(2 * 1024**3), huge(200 * 1024 * 1024, declared=False)],
    ids=["gzip-bomb", "2GB-declared", "200MB-undeclared"],
)
async def test_a_huge_keystone_body_is_refused_at_the_cap(
    sim: Simulator, hostile: HostileServer, fault: Any
) -> None:
    hostile.script(TOKENS, fault)
    auth = KeystoneAuth(NAME, inline(sim, hostile), timeout=10.0)
    with pytest.raises(BadResponseError, match=r"answer (too large|larger than)"):
        await auth.grant()


async def test_discovery_401_is_an_auth_error_not_a_deadlock(
    sim: Simulator, hostile: HostileServer, build: Callable[..., ResolvedSession]
) -> None:
    # Discovery happens for an unversioned URL (a v3 URL is used as given, inline).
    hostile.script(r"^/identity/?$", raw(401, '{"error": {"code": 401}}'), method="GET")
    auth = KeystoneAuth(NAME, build(sim, hostile, "/identity"), timeout=TIMEOUT)
    error, _ = await grant_within(auth, TIMEOUT + 1.0)
    assert isinstance(error, AuthError), error
    assert "refused GET /identity " in f"{error} "
