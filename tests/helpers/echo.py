"""A loopback HTTP server that answers every GET with what it was sent, and records it.

``/cookie`` also sets a cookie, ``/moved`` answers a redirect; each request's
line and headers are kept in :attr:`EchoServer.seen`.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class EchoServer(ThreadingHTTPServer):
    """The server, with what it was sent."""

    seen: list[dict[str, Any]]

    @property
    def url(self) -> str:
        """Its origin (``http://127.0.0.1:port``)."""
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Echo(BaseHTTPRequestHandler):
    server: EchoServer

    def do_GET(self) -> None:
        self.server.seen.append({"line": self.requestline, "headers": dict(self.headers.items())})
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


@contextlib.contextmanager
def echo_server() -> Iterator[EchoServer]:
    """Run an :class:`EchoServer` on loopback for the ``with`` block."""
    server = EchoServer(("127.0.0.1", 0), _Echo)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
