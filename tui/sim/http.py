"""A tiny routed HTTP server on loopback for the simulated APIs.

Real sockets, real HTTP/1.1 (stdlib ``ThreadingHTTPServer``), optional TLS.
Each simulated API registers routes; the server applies the API's
:class:`~tui.sim.faults.Faults` before routing. Every request is counted, in
all and per *path family*: the route's pattern with each named group written
``{name}`` (``/compute/v2.1/servers/{server_id}/os-instance-actions``), so a
test or a benchmark can say what a poll cost, API by API.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tui.sim.faults import Faults
from tui.sim.hostile import hostile_body, is_exempt


@dataclass
class SimRequest:
    """One request as a handler sees it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Header names lower-cased."""
    body: bytes
    params: dict[str, str] = field(default_factory=dict)
    """Named groups of the route pattern."""

    def json(self) -> Any:
        """The body decoded as JSON (``None`` when empty or invalid)."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None


@dataclass
class SimResponse:
    """What a handler answers: a JSON-able body (or raw bytes), status and headers."""

    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json"

    def encode(self) -> bytes:
        """The body bytes."""
        if self.raw is not None:
            return self.raw
        if self.body is None:
            return b""
        return json.dumps(self.body, separators=(",", ":")).encode()


Handler = Callable[[SimRequest], SimResponse]


@dataclass(frozen=True)
class Route:
    """``METHOD`` + a full-match regex on the path (named groups become params)."""

    method: str
    pattern: str
    handler: Handler


CONTROL_PATH = "/__sim/faults"
MAX_CLIENTS = 100_000
"""At most this many client connections are remembered between two ``reset_counts``."""
"""Where a running simulator's faults are read (GET) and switched (POST), from loopback."""

ERROR_BODY_FOR_STATUS: Callable[[int], Any] = lambda status: {  # noqa: E731
    "error_code": status,
    "status": "error",
    "message": f"simulated failure (HTTP {status})",
}


class ApiServer:
    """One simulated API listening on ``127.0.0.1`` (an ephemeral port unless given)."""

    def __init__(
        self,
        name: str,
        routes: list[Route] | None = None,
        *,
        faults: Faults | None = None,
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
        host: str = "127.0.0.1",
        error_body: Callable[[int], Any] = ERROR_BODY_FOR_STATUS,
    ) -> None:
        self.name = name
        self.faults = faults or Faults()
        self.error_body = error_body
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._counts: Counter[str] = Counter()
        self._clients: set[tuple[str, int]] = set()
        self._count_lock = threading.Lock()
        self._server = _Server((host, port), _make_handler(self))
        if ssl_context is not None:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
        self._thread: threading.Thread | None = None
        self.scheme = "https" if ssl_context is not None else "http"
        self.requests = 0
        """How many requests reached this server (handy for tests and benchmarks)."""
        self.unmatched_family = "(unrouted)"
        """The family of requests no route matches."""
        self.control: Handler | None = None
        """Answers ``CONTROL_PATH`` from loopback, before faults and uncounted (the
        simulator's fault switch); ``None``: that path is an ordinary one."""
        for route in routes or []:
            self.add_route(route)

    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """``scheme://127.0.0.1:port`` with no trailing slash."""
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def add_route(self, route: Route) -> None:
        """Register a handler."""
        self._routes.append((route.method, re.compile(route.pattern), route.handler))

    def family(self, method: str, path: str) -> str:
        """The path family of a request: its route's pattern, named groups as ``{name}``."""
        fallback = self.unmatched_family
        for route_method, pattern, _ in self._routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if route_method != method:
                fallback = f"{method} {_family_of(path, match)}"
                continue
            return _family_of(path, match)
        return fallback

    def count(self, request: SimRequest, client: tuple[str, int] | None = None) -> None:
        """Count one request (in all and in its family) and the connection it came on.

        ``client`` is the connection's client address; thread-safe.
        """
        family = self.family(request.method, request.path)
        with self._count_lock:
            self.requests += 1
            self._counts[family] += 1
            if client is not None and len(self._clients) < MAX_CLIENTS:
                self._clients.add(client)

    def clients_seen(self) -> frozenset[tuple[str, int]]:
        """The client addresses (one per connection) of the requests counted so far."""
        with self._count_lock:
            return frozenset(self._clients)

    def requests_by_family(self) -> dict[str, int]:
        """How many requests each path family received so far (a snapshot)."""
        with self._count_lock:
            return dict(self._counts)

    def reset_counts(self) -> None:
        """Start counting from zero (``requests`` and connections too)."""
        with self._count_lock:
            self.requests = 0
            self._counts.clear()
            self._clients.clear()

    def start(self) -> None:
        """Serve in a daemon thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so that stop() returns promptly
            name=f"sim-{self.name}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def dispatch(self, request: SimRequest) -> SimResponse:
        """Route one request (404/405 JSON answers when nothing matches)."""
        allowed = False
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(request.path)
            if match is None:
                continue
            allowed = True
            if method != request.method:
                continue
            request.params = {k: v for k, v in match.groupdict().items() if v is not None}
            return handler(request)
        status = 405 if allowed else 404
        return SimResponse(self.error_body(status), status=status)


ANSWERING = threading.Lock()
"""Held while an answer is worked out (routed and encoded), by every server in the process.

Each connection has a thread of its own, and threads share one interpreter
lock. Two pages asked for at once were worked out side by side, each
interrupted every few milliseconds for the other, so both came late; the
console then waited for the first and had two to read at once. One answer
at a time, the one asked for first comes first and the console reads it
while the next is worked out: 100,000 demo actions loaded in 1.66-1.72 s
against 1.80-1.91 s (four alternated starts each, tmux 160x45). Sleeps (the
latency fault) and writing the answer (to a reader slow to take it) happen
outside it.
"""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    """Listen backlog; socketserver's 5 drops bursts of concurrent connects (1 s SYN retry)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Client hang-ups are normal in fault tests; stay quiet."""


def _make_handler(api: ApiServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = f"actiondeck-sim-{api.name}"
        disable_nagle_algorithm = True  # headers and body go out in two writes

        def log_message(self, format: str, *args: Any) -> None:
            """No access log on stderr."""

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = SimRequest(
                method=self.command,
                path=parts.path.rstrip("/") or "/",
                query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            if request.path == CONTROL_PATH and api.control is not None:
                self._write(_control(api.control, request, self.client_address[0]))
                return
            address = self.client_address
            api.count(request, (str(address[0]), int(address[1])))
            faults = api.faults
            if faults.take(request.path):
                if faults.latency:
                    time.sleep(faults.latency)
                if faults.reset:
                    self._reset()
                    return
                forced = _faulty_response(api, faults)
                if forced is not None:
                    self._write(_hostile(faults, request, forced))
                    return
            with ANSWERING:
                try:
                    response = api.dispatch(request)
                except Exception as exc:  # a simulator bug must not kill the thread
                    response = SimResponse({"message": f"simulator error: {exc!r}"}, status=500)
                response = _hostile(faults, request, response)
                payload = response.encode()
            self._write(response, payload)

        do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = _serve

        def _reset(self) -> None:
            with contextlib.suppress(OSError):
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.close()

        def _write(self, response: SimResponse, payload: bytes | None = None) -> None:
            if payload is None:
                payload = response.encode()
            self.send_response(response.status)
            if payload or response.status not in (204, 304):
                self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in response.headers.items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

    return _Handler


def _control(handler: Handler, request: SimRequest, client: str) -> SimResponse:
    """The control endpoint's answer: only loopback clients may switch faults."""
    if client not in ("127.0.0.1", "::1"):
        return SimResponse({"message": "the fault switch answers loopback only"}, status=403)
    try:
        return handler(request)
    except Exception as exc:  # a simulator bug must not kill the thread
        return SimResponse({"message": f"simulator error: {exc!r}"}, status=500)


def _family_of(path: str, match: re.Match[str]) -> str:
    """``path`` with each named group of ``match`` that matched written ``{name}``."""
    spans = sorted(
        (match.span(name), name) for name, value in match.groupdict().items() if value is not None
    )
    parts, at = [], 0
    for (start, end), name in spans:
        parts += [path[at:start], f"{{{name}}}"]
        at = end
    return "".join([*parts, path[at:]])


def _hostile(faults: Faults, request: SimRequest, response: SimResponse) -> SimResponse:
    """``response`` with hostile strings when the knob is on (JSON bodies only)."""
    if not faults.hostile_text or is_exempt(request.path):
        return response
    body = response.body
    if response.raw is not None:
        if response.content_type != "application/json":
            return response
        try:
            body = json.loads(response.raw)
        except ValueError:  # a malformed body stays malformed
            return response
    if body is None:
        return response
    return replace(response, body=hostile_body(body), raw=None)


def _faulty_response(api: ApiServer, faults: Faults) -> SimResponse | None:
    if faults.html:
        page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
        return SimResponse(raw=page, status=502, content_type="text/html")
    if faults.status:
        headers = {}
        if faults.status == 429 and faults.retry_after is not None:
            headers["Retry-After"] = str(int(faults.retry_after))
        return SimResponse(api.error_body(faults.status), status=faults.status, headers=headers)
    if faults.body is not None:
        return SimResponse(raw=faults.body)
    if faults.malformed:
        return SimResponse(raw=b'{"status": "ok", "actions": [{"id": 1, "sta')
    if faults.oversized:
        padding = "x" * faults.oversized
        return SimResponse({"status": "ok", "padding": padding, "actions": []})
    return None
