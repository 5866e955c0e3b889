"""Nova's repeated GETs, sent from a kept prepared request, say what each one asks.

Real loopback HTTP to a server that echoes what it gets: each request carries
its own token and parameters, and a cookie the server sets is sent back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.echo import EchoServer, echo_server
from tui.backends.openstack.nova_http import NovaHttp


@pytest.fixture
def echo() -> Iterator[EchoServer]:
    """A loopback server that records every request it gets."""
    with echo_server() as server:
        yield server


async def test_each_repeated_get_carries_its_own_token_and_parameters(echo: EchoServer) -> None:
    http = NovaHttp("openstack", echo.url + "/compute", timeout=5)
    try:
        for token in ("t1", "t2", "t1"):
            for limit in (10, 20):
                got = await http.get_json(
                    "/servers", params={"limit": limit}, headers={"X-Auth-Token": token}
                )
                assert got["path"] == f"/compute/servers?limit={limit}"
                assert got["headers"]["X-Auth-Token"] == token
    finally:
        http.close()
    assert len(echo.seen) == 6


async def test_a_cookie_the_server_sets_is_sent_back(echo: EchoServer) -> None:
    http = NovaHttp("openstack", echo.url, timeout=5)
    try:
        for path in ("/cookie", "/cookie", "/other"):
            await http.get_json(path, headers={"X-Auth-Token": "t"})
    finally:
        http.close()
    cookies = [request["headers"].get("Cookie") for request in echo.seen]
    assert cookies == [None, "session=abc", "session=abc"]
