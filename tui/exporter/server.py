"""Serve a registry over HTTP: ``/metrics`` in the Prometheus text format, from a thread.

The library's WSGI app renders the text (and gzip, and OpenMetrics when a
scraper asks for it); this module adds what a long-running service needs
around it: ``/metrics`` only (``/`` says where they are, other paths are
404), a bound on concurrent connections and on how long one may stay silent,
and no request log or traceback on stderr. It never polls a backend: a scrape
reads the state the latest polls left.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, make_wsgi_app

MAX_CONNECTIONS = 16
"""Connections served at once; more are closed at once (a scraper needs one)."""

IDLE_TIMEOUT = 10.0
"""Seconds a connection may stay silent before it is closed."""

_INDEX = b"ActionDeck exporter: the metrics are at /metrics\n"

_StartResponse = Callable[..., Any]
_Environ = dict[str, Any]


class ListenError(Exception):
    """The address cannot be bound; the message names it and says why, in one line."""


class _QuietHandler(WSGIRequestHandler):
    """No request log; a silent client is dropped after :data:`IDLE_TIMEOUT`."""

    timeout = IDLE_TIMEOUT

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing."""


class _Server(ThreadingMixIn, WSGIServer):
    """One daemon thread per connection, at most :data:`MAX_CONNECTIONS` at once."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that left or stalled is not news; anything else is one line."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return
        print(f"actiondeck: exporter: request failed: {error!r}", file=sys.stderr)


def metrics_app(
    registry: CollectorRegistry,
) -> Callable[[_Environ, _StartResponse], Iterable[bytes]]:
    """The WSGI app: the registry at ``/metrics``, a pointer at ``/``, 404 elsewhere."""
    metrics = make_wsgi_app(registry)

    def app(environ: _Environ, start_response: _StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            try:
                return metrics(environ, start_response)  # type: ignore[no-any-return]
            except Exception as exc:  # a bug of ours: one line, a 500, the server goes on
                print(f"actiondeck: exporter: cannot render the metrics: {exc!r}", file=sys.stderr)
                return _answer(start_response, "500 Internal Server Error", b"internal error\n")
        if path == "/":
            return _answer(start_response, "200 OK", _INDEX)
        return _answer(start_response, "404 Not Found", _INDEX)

    return app


def _answer(start_response: _StartResponse, status: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [body]


class MetricsServer:
    """The HTTP server of one registry, serving from a daemon thread until stopped."""

    def __init__(self, registry: CollectorRegistry, host: str, port: int) -> None:
        """Bind ``host:port`` (port 0: any free one).

        Raises:
            ListenError: the address cannot be bound (in use, not ours, bad host).
        """

        class Server(_Server):
            address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

        try:
            self._httpd = make_server(
                host, port, metrics_app(registry), Server, handler_class=_QuietHandler
            )
        except OSError as error:
            reason = error.strerror or str(error)
            raise ListenError(f"cannot listen on {host}:{port}: {reason}") from None
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self._host = host

    @property
    def port(self) -> int:
        """The port bound (useful after asking for port 0)."""
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Where the metrics are served."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}/metrics"

    def start(self) -> MetricsServer:
        """Serve from a daemon thread; this server."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop serving and close the socket (waits at most ``timeout`` for the thread)."""
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout)
        self._httpd.server_close()
