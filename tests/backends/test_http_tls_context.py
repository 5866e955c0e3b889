"""A client of an ``http://`` URL loads no CA bundle, and still never speaks unverified TLS."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import certifi
import httpx
import pytest
import trustme

from tui.backends.http import make_client


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"hello": "world"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def tls_url() -> Iterator[str]:
    """An HTTPS server on loopback with a certificate from a private CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_plain_http_client_reads_no_ca_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_bundle() -> str:
        raise AssertionError("the CA bundle was read for an http:// client")

    monkeypatch.setattr(certifi, "where", no_bundle)
    client = make_client("http://127.0.0.1:9")
    await client.aclose()
    with pytest.raises(AssertionError, match="CA bundle was read"):
        make_client("https://127.0.0.1:9")


async def test_an_https_request_through_a_plain_http_client_is_refused(tls_url: str) -> None:
    """Fail closed: no trusted CA, so the certificate check fails (it is never skipped)."""
    client = make_client("http://127.0.0.1:9")
    try:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.get(f"{tls_url}/")
    finally:
        await client.aclose()
    unverified = make_client("http://127.0.0.1:9", verify=False)
    try:
        assert (await unverified.get(f"{tls_url}/")).json() == {"hello": "world"}
    finally:
        await unverified.aclose()
