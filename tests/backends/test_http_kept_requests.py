"""Repeated GETs sent as kept requests still say and do what the usual path does.

A client made by ``make_client`` keeps each repeated GET as built and hands it
to its transport (see :mod:`tui.backends.http`); these hold that each request
still carries its own headers, parameters and credentials, that cookies the
server sets are sent back, and that a proxy named by the environment is used.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from tests.helpers.echo import EchoServer, echo_server
from tui.backends.base import RedirectError
from tui.backends.http import get_json, make_client, send


@pytest.fixture
def echo() -> Iterator[EchoServer]:
    """A loopback server that records every request it gets."""
    with echo_server() as server:
        yield server


async def test_each_repeated_get_carries_its_own_headers_params_and_credentials(
    echo: EchoServer,
) -> None:
    client = make_client(echo.url + "/api", auth=("admin", "s3cret"))
    try:
        for _ in range(2):
            first = await get_json(client, "b", "/items", params={"page": 1})
            second = await get_json(client, "b", "/items", params={"page": 2}, headers={"X-A": "1"})
            third = await get_json(client, "b", "/items", params={"page": 1}, headers={"X-A": "2"})
            assert first["path"] == "/api/items?page=1"
            assert second["path"] == "/api/items?page=2"
            assert "X-A" not in first["headers"]
            assert (second["headers"]["X-A"], third["headers"]["X-A"]) == ("1", "2")
    finally:
        await client.aclose()
    basic = "Basic " + base64.b64encode(b"admin:s3cret").decode()
    assert len(echo.seen) == 6
    for request in echo.seen:
        assert request["headers"]["Authorization"] == basic
        assert request["headers"]["User-Agent"] == "actiondeck"


async def test_a_cookie_the_server_sets_is_sent_back(echo: EchoServer) -> None:
    client = make_client(echo.url)
    try:
        await get_json(client, "b", "/cookie")
        await get_json(client, "b", "/cookie")
        await get_json(client, "b", "/other")
    finally:
        await client.aclose()
    cookies = [r["headers"].get("Cookie") for r in echo.seen]
    assert cookies == [None, "session=abc", "session=abc"]


async def test_a_repeated_redirect_is_refused_each_time(echo: EchoServer) -> None:
    client = make_client(echo.url)
    try:
        for _ in range(2):
            with pytest.raises(RedirectError, match=r"elsewhere\.invalid"):
                await send(client, "b", "GET", "/moved")
    finally:
        await client.aclose()


async def test_a_proxy_named_by_the_environment_is_used(
    echo: EchoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The echo server stands in for the proxy: it gets the absolute URL of the origin."""
    monkeypatch.setenv("HTTP_PROXY", echo.url)
    client = make_client("http://origin.invalid:8080")
    try:
        for _ in range(2):
            await get_json(client, "b", "/through")
    finally:
        await client.aclose()
    lines = [r["line"] for r in echo.seen]
    assert lines == ["GET http://origin.invalid:8080/through HTTP/1.1"] * 2
