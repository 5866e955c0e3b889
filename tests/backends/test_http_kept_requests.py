"""Repeated GETs sent as kept requests still say and do what the usual path does.

A client made by ``make_client`` keeps each repeated GET as built and hands it
to its transport (see :mod:`tui.backends.http`); these hold that each request
still carries its own headers, parameters and credentials, that cookies the
server sets are sent back, and that a proxy named by the environment is used.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tui.backends.base import RedirectError
from tui.backends.http import get_json, make_client, send


class _Echo(BaseHTTPRequestHandler):
    """Answers every GET with what it was sent; ``/cookie`` sets a cookie, ``/moved`` a 302."""

    seen: list[dict[str, Any]]

    def do_GET(self) -> None:
        self.server.seen.append(  # type: ignore[attr-defined]
            {"line": self.requestline, "headers": dict(self.headers.items())}
        )
        if self.path.endswith("/moved"):
            self.send_response(302)
            self.send_header("Location", "http://elsewhere.invalid/x")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"path": self.path, "headers": dict(self.headers.items())}).encode()
        self.send_response(200)
        if self.path.endswith("/cookie"):
            self.send_header("Set-Cookie", "session=abc; Path=/")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def echo() -> Iterator[ThreadingHTTPServer]:
    """A loopback server that records every request it gets."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


async def test_each_repeated_get_carries_its_own_headers_params_and_credentials(
    echo: ThreadingHTTPServer,
) -> None:
    client = make_client(_url(echo) + "/api", auth=("admin", "s3cret"))
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
    assert len(echo.seen) == 6  # type: ignore[attr-defined]
    for request in echo.seen:  # type: ignore[attr-defined]
        assert request["headers"]["Authorization"] == basic
        assert request["headers"]["User-Agent"] == "actiondeck"


async def test_a_cookie_the_server_sets_is_sent_back(echo: ThreadingHTTPServer) -> None:
    client = make_client(_url(echo))
    try:
        await get_json(client, "b", "/cookie")
        await get_json(client, "b", "/cookie")
        await get_json(client, "b", "/other")
    finally:
        await client.aclose()
    cookies = [r["headers"].get("Cookie") for r in echo.seen]  # type: ignore[attr-defined]
    assert cookies == [None, "session=abc", "session=abc"]


async def test_a_repeated_redirect_is_refused_each_time(echo: ThreadingHTTPServer) -> None:
    client = make_client(_url(echo))
    try:
        for _ in range(2):
            with pytest.raises(RedirectError, match=r"elsewhere\.invalid"):
                await send(client, "b", "GET", "/moved")
    finally:
        await client.aclose()


async def test_a_proxy_named_by_the_environment_is_used(
    echo: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The echo server stands in for the proxy: it gets the absolute URL of the origin."""
    monkeypatch.setenv("HTTP_PROXY", _url(echo))
    client = make_client("http://origin.invalid:8080")
    try:
        for _ in range(2):
            await get_json(client, "b", "/through")
    finally:
        await client.aclose()
    lines = [r["line"] for r in echo.seen]  # type: ignore[attr-defined]
    assert lines == ["GET http://origin.invalid:8080/through HTTP/1.1"] * 2
