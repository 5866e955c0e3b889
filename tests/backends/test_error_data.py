"""Every backend's errors carry data: status, request and backend, never a secret.

Real loopback HTTP against the simulator's fault knobs, and small servers that
echo credentials back into their error messages.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from tui.backends.base import (
    AuthRejectedError,
    BackendError,
    NotFoundError,
    RateLimitedError,
    Request,
    ServerError,
)
from tui.backends.openstack.auth import (
    KeystoneAuth,
    OpenStackCredentials,
    session_from_credentials,
)
from tui.backends.openstack.nova import NovaClient
from tui.backends.redis_enterprise.backend import RedisEnterpriseBackend
from tui.backends.seeweb.backend import SeewebBackend
from tui.sim import Simulator
from tui.sim.http import ApiServer, Route, SimRequest, SimResponse
from tui.sim.redis_enterprise.api import RedisEnterpriseApi

NAME = "errs"

FAULTS: list[tuple[dict[str, Any], type[BackendError], int]] = [
    ({"status": 401}, AuthRejectedError, 401),
    ({"status": 403}, AuthRejectedError, 403),
    ({"status": 404}, NotFoundError, 404),
    ({"status": 429, "retry_after": 7}, RateLimitedError, 429),
    ({"status": 500}, ServerError, 500),
    ({"html": True}, ServerError, 502),
]
IDS = ["401", "403", "404", "429", "500", "html"]

Call = Callable[[], Awaitable[object]]


def nova_client(sim: Simulator, endpoint_override: str | None = None) -> NovaClient:
    """A Nova client with the simulator's demo credentials (Keystone of the simulator)."""
    creds = OpenStackCredentials(
        auth_url=sim.auth_url,
        username="demo",
        password=sim.credentials.os_password,
        project_name="demo",
        user_domain_name="Default",
        project_domain_name="Default",
    )
    resolved = session_from_credentials(NAME, creds)
    if endpoint_override is not None:
        resolved = replace(resolved, endpoint_override=endpoint_override)
    return NovaClient(NAME, KeystoneAuth(NAME, resolved, timeout=5.0), timeout=5.0)


def secrets_of(sim: Simulator) -> list[str]:
    """Every credential a backend of ``sim`` sends."""
    creds = sim.credentials
    return [creds.seeweb_token, creds.os_password, creds.redis_password, "gAAAA"]


def assert_carries_data(
    error: BackendError, kind: type[BackendError], status: int, origin: str, sim: Simulator
) -> None:
    """``error`` is ``kind`` with ``status``, names its request and backend, and no secret."""
    assert isinstance(error, kind)
    assert error.backend == NAME and error.status == status
    assert error.request is not None and error.request.method == "GET"
    assert error.request.url.startswith(origin)
    assert error.reason == f"{error.request}: {error.detail}"
    assert error.detail.startswith(f"HTTP {status}")
    assert str(error) == f"{NAME}: {error.reason}"
    for secret in secrets_of(sim):
        for text in (str(error), error.detail, error.request.url, error.request.path):
            assert secret not in text
    if isinstance(error, RateLimitedError):
        assert error.retry_after == 7


async def raised(call: Call) -> BackendError:
    """The backend error ``call`` raises."""
    with pytest.raises(BackendError) as caught:
        await call()
    return caught.value


@pytest.fixture
async def seeweb(fresh_sim: Simulator) -> AsyncIterator[SeewebBackend]:
    """A Seeweb backend of a private simulator."""
    token = fresh_sim.credentials.seeweb_token
    async with SeewebBackend(NAME, url=fresh_sim.seeweb_url, token=token, timeout=5) as backend:
        yield backend


@pytest.mark.parametrize(("knobs", "kind", "status"), FAULTS, ids=IDS)
async def test_seeweb_errors_carry_status_request_and_backend(
    fresh_sim: Simulator,
    seeweb: SeewebBackend,
    knobs: dict[str, Any],
    kind: type[BackendError],
    status: int,
) -> None:
    fresh_sim.seeweb.faults.update(**knobs)
    error = await raised(seeweb.poll)
    assert_carries_data(error, kind, status, fresh_sim.seeweb_url, fresh_sim)
    assert error.request is not None and error.request.path.startswith("/actions")


@pytest.mark.parametrize(("knobs", "kind", "status"), FAULTS, ids=IDS)
async def test_redis_errors_carry_status_request_and_backend(
    fresh_sim: Simulator, knobs: dict[str, Any], kind: type[BackendError], status: int
) -> None:
    redis = RedisEnterpriseBackend(
        NAME,
        url=fresh_sim.redis_url,
        username=RedisEnterpriseApi.username,
        password=fresh_sim.credentials.redis_password,
        timeout=5,
    )
    fresh_sim.redis.faults.update(**knobs)
    try:
        error = await raised(redis.poll)
    finally:
        await redis.aclose()
    assert_carries_data(error, kind, status, fresh_sim.redis_url, fresh_sim)
    assert error.request is not None and error.request.path.startswith("/v")


@pytest.mark.parametrize(("knobs", "kind", "status"), FAULTS, ids=IDS)
async def test_nova_errors_carry_status_request_and_backend(
    fresh_sim: Simulator, knobs: dict[str, Any], kind: type[BackendError], status: int
) -> None:
    nova = nova_client(fresh_sim)
    try:
        await nova.negotiate()
        fresh_sim.openstack.faults.update(path="/compute/*", **knobs)
        error = await raised(lambda: nova.get("/servers/detail"))
    finally:
        await nova.aclose()
    assert_carries_data(error, kind, status, fresh_sim.openstack_api.compute_url, fresh_sim)
    assert error.request is not None and error.request.path == "/servers/detail"


async def test_nova_renews_the_token_on_a_401_only(fresh_sim: Simulator) -> None:
    """A 401 is worth one new token (then says so); a 403 is a policy: no new token."""
    keystone = fresh_sim.openstack_api.keystone
    nova = nova_client(fresh_sim)
    try:
        await nova.negotiate()
        before = keystone.tokens_issued
        fresh_sim.openstack.faults.update(path="/compute/*", status=403)
        forbidden = await raised(lambda: nova.get("/servers/detail"))
        assert keystone.tokens_issued == before
        fresh_sim.openstack.faults.update(status=401)
        refused = await raised(lambda: nova.get("/servers/detail"))
        assert keystone.tokens_issued == before + 1
    finally:
        await nova.aclose()
    assert isinstance(forbidden, AuthRejectedError) and not forbidden.token_refused
    assert isinstance(refused, AuthRejectedError) and refused.token_refused
    assert refused.detail.endswith("(even with a new token)")
    assert refused.reason == f"GET /servers/detail: {refused.detail}"


@pytest.mark.parametrize(
    ("knobs", "kind", "status"),
    [
        ({"status": 401}, AuthRejectedError, 401),
        ({"status": 403}, AuthRejectedError, 403),
        ({"status": 500}, ServerError, 500),
    ],
    ids=["401", "403", "500"],
)
async def test_keystone_refusals_carry_status_and_request(
    fresh_sim: Simulator, knobs: dict[str, Any], kind: type[BackendError], status: int
) -> None:
    fresh_sim.openstack.faults.update(path="/identity/v3/auth/tokens", **knobs)
    nova = nova_client(fresh_sim)
    try:
        error = await raised(nova.negotiate)
    finally:
        await nova.aclose()
    assert isinstance(error, kind) and error.status == status and error.backend == NAME
    assert error.request is not None and error.request.method == "POST"
    assert error.request.path.endswith("/auth/tokens")
    assert fresh_sim.credentials.os_password not in f"{error} {error.request.url}"


# -- servers that echo credentials ------------------------------------------------------------


@pytest.fixture
def echo_server() -> Iterator[Callable[[str, Callable[[SimRequest], SimResponse]], str]]:
    """Serve one handler on every GET below ``prefix``; yields a URL maker."""
    servers: list[ApiServer] = []

    def serve(prefix: str, handler: Callable[[SimRequest], SimResponse]) -> str:
        server = ApiServer("echo", [Route("GET", rf"{prefix}.*", handler)])
        server.start()
        servers.append(server)
        return f"{server.url}{prefix}"

    yield serve
    for server in servers:
        server.stop()


async def test_a_redis_password_echoed_by_the_server_is_masked(
    echo_server: Callable[[str, Callable[[SimRequest], SimResponse]], str],
) -> None:
    """The basic-auth password and its header form never reach a message."""
    password = "red1s-Pa55word-value"

    def echo(request: SimRequest) -> SimResponse:
        header = request.headers.get("authorization", "")
        decoded = base64.b64decode(header.split(" ", 1)[-1]).decode()
        message = f"credentials {decoded} refused (header {header.split(' ', 1)[-1]})"
        return SimResponse({"error_code": "unauthorized", "message": message}, 401)

    url = echo_server("", echo)
    redis = RedisEnterpriseBackend(NAME, url=url, username="admin", password=password, timeout=5)
    try:
        error = await raised(redis.poll)
    finally:
        await redis.aclose()
    basic = base64.b64encode(f"admin:{password}".encode()).decode()
    assert isinstance(error, AuthRejectedError) and error.status == 401
    assert password not in str(error) and basic not in str(error)
    assert "***" in str(error)


async def test_a_nova_token_echoed_by_the_server_is_masked(
    fresh_sim: Simulator,
    echo_server: Callable[[str, Callable[[SimRequest], SimResponse]], str],
) -> None:
    """A compute endpoint that quotes our token back: the token never reaches a message."""
    seen: list[str] = []

    def echo(request: SimRequest) -> SimResponse:
        token = request.headers.get("x-auth-token", "")
        seen.append(token)
        body = {"forbidden": {"code": 403, "message": f"token {token} may not list servers"}}
        return SimResponse(body, 403)

    nova = nova_client(fresh_sim, endpoint_override=echo_server("/compute", echo))
    try:
        error = await raised(lambda: nova.get("/servers/detail"))
    finally:
        await nova.aclose()
    assert seen and seen[-1]
    assert isinstance(error, AuthRejectedError) and error.status == 403
    assert seen[-1] not in str(error) and "may not list servers" in str(error)


async def test_a_secret_cut_by_the_message_length_leaves_no_part_behind(
    echo_server: Callable[[str, Callable[[SimRequest], SimResponse]], str],
) -> None:
    """A server message is shortened to 200 characters: never inside what is left of a token."""
    token = "s3cret-token-value-0123456789abcdef"

    def echo(request: SimRequest) -> SimResponse:
        message = "x" * 190 + request.headers.get("x-apitoken", "")
        return SimResponse({"status": "error", "message": message}, 400)

    url = echo_server("/ecs/v2", echo)
    async with SeewebBackend(NAME, url=url, token=token, timeout=5) as backend:
        error = await raised(backend.poll)
    assert error.status == 400
    assert token[:8] not in str(error) and token[-8:] not in str(error)


def test_a_request_record_never_holds_credentials() -> None:
    request = Request.of(
        "get",
        "/v1/actions?token=abc123secret",
        "https://admin:pw-Secret@cluster.example:9443/v1/actions?token=abc123secret&x=1#frag",
    )
    assert request == Request(
        "GET", "/v1/actions", "https://cluster.example:9443/v1/actions?token=***&x=1"
    )
    assert str(request) == "GET /v1/actions"
