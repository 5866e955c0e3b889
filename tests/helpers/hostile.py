"""A hostile HTTP server on loopback: scripted misbehaviour per request path.

:class:`HostileServer` answers each request with the first matching
:class:`Rule` (method and a regular expression on the path) and proxies
everything else to an upstream (usually one of the simulator's servers),
rewriting the upstream's origin to its own in every answer. Proxying the
simulator's OpenStack server therefore makes Keystone hand out a catalog that
points back here, so Nova requests can misbehave too.

Behaviours (build them with the functions below): :func:`hang`,
:func:`drip_body`, :func:`drip_headers`, :func:`gzip_bomb`, :func:`huge`,
:func:`redirect`, :func:`reset` and :func:`raw` (any status, headers and
body: the way to add payload faults such as deep JSON or huge numbers).

Every loop here is bounded (:data:`MAX_FAULT_SECONDS`) and ends as soon as
the server stops; threads are daemons; nothing is held in memory beyond one
64 KiB chunk (the gzip bomb's compressed form is built once and is small).
"""

from __future__ import annotations

import functools
import http.client
import re
import socket
import struct
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_FAULT_SECONDS = 60.0
"""No hang or drip lasts longer than this, whoever is listening."""
CHUNK = 64 * 1024
MAX_REQUEST_BODY = 1024 * 1024


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Behaviour = Callable[["_Handler"], None]


@dataclass
class Rule:
    """Answer ``method`` requests whose path matches ``pattern`` with ``behaviour``."""

    pattern: str
    behaviour: Behaviour
    method: str | None = None
    times: int | None = None
    """How many requests the rule serves before it stops matching (``None``: all)."""
    _compiled: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._compiled = re.compile(self.pattern)

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.method is not None and self.method != method:
            return False
        return self._compiled.search(path) is not None


class HostileServer:
    """A threaded loopback server serving scripted faults, proxying the rest."""

    def __init__(self, upstream: str | None = None) -> None:
        """``upstream``: the base URL (``http://host:port``) healthy requests go to."""
        self.upstream = upstream.rstrip("/") if upstream else None
        self.rules: list[Rule] = []
        self.seen: deque[Seen] = deque(maxlen=2000)
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.hostile = self
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def script(
        self,
        pattern: str,
        behaviour: Behaviour,
        *,
        method: str | None = None,
        times: int | None = None,
    ) -> HostileServer:
        """Add a rule (first added, first matched); returns ``self`` for chaining."""
        with self._lock:
            self.rules.append(Rule(pattern, behaviour, method, times))
        return self

    def clear(self) -> None:
        """Drop every rule: a healthy proxy again."""
        with self._lock:
            self.rules.clear()

    def start(self) -> HostileServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """End every fault loop, stop serving and close the socket."""
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def rule_for(self, method: str, path: str) -> Rule | None:
        with self._lock:
            for rule in self.rules:
                if rule.matches(method, path):
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    def rewrite(self, data: bytes) -> bytes:
        """The upstream's origin replaced by ours (so catalogs and links point here)."""
        if not self.upstream:
            return data
        return data.replace(self.upstream.encode(), self.url.encode())


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    hostile: HostileServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-fault are the point; stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    @property
    def hostile(self) -> HostileServer:
        return self.server.hostile

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, MAX_REQUEST_BODY)) if length > 0 else b""
        path = self.path.split("?", 1)[0]
        self.hostile.seen.append(Seen(self.command, path, dict(self.headers.items()), body))
        rule = self.hostile.rule_for(self.command, path)
        if rule is not None:
            rule.behaviour(self)
            self.close_connection = True
        elif self.hostile.upstream:
            _proxy(self, body)
        else:
            raw(200, b"{}")(self)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    # -- helpers for behaviours ------------------------------------------------

    def head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def until(self, seconds: float) -> Iterator[None]:
        """Yield until ``seconds`` pass or the server stops (bounded by MAX_FAULT_SECONDS)."""
        ends = time.monotonic() + min(seconds, MAX_FAULT_SECONDS)
        while time.monotonic() < ends and not self.hostile.stopping.is_set():
            yield

    def pause(self, seconds: float) -> None:
        self.hostile.stopping.wait(seconds)


def _proxy(handler: _Handler, body: bytes) -> None:
    hostile = handler.hostile
    assert hostile.upstream is not None
    target = http.client.HTTPConnection(hostile.upstream.split("://", 1)[1], timeout=30)
    skip = {"host", "accept-encoding", "connection", "content-length"}
    headers = {k: hostile.rewrite(v.encode()).decode() for k, v in handler.headers.items()}
    headers = {k: v.replace(hostile.url, hostile.upstream) for k, v in headers.items()}
    try:
        target.request(
            handler.command,
            handler.path,
            body=body or None,
            headers={k: v for k, v in headers.items() if k.lower() not in skip},
        )
        answer = target.getresponse()
        data = hostile.rewrite(answer.read())
        out = {
            k: hostile.rewrite(v.encode()).decode()
            for k, v in answer.getheaders()
            if k.lower() not in {"content-length", "transfer-encoding", "connection"}
        }
    finally:
        target.close()
    handler.head(answer.status, {**out, "Content-Length": str(len(data))})
    handler.wfile.write(data)


# -- behaviours -----------------------------------------------------------------


def raw(status: int, body: bytes | str = b"", headers: dict[str, str] | None = None) -> Behaviour:
    """Any status, headers and body (``Content-Type`` defaults to JSON)."""
    data = body.encode() if isinstance(body, str) else body

    def behave(handler: _Handler) -> None:
        sent = {"Content-Type": "application/json", **(headers or {})}
        handler.head(status, {**sent, "Content-Length": str(len(data)), "Connection": "close"})
        handler.wfile.write(data)

    return behave


def hang(seconds: float = MAX_FAULT_SECONDS) -> Behaviour:
    """Read the request, then say nothing."""

    def behave(handler: _Handler) -> None:
        handler.pause(min(seconds, MAX_FAULT_SECONDS))

    return behave


def drip_body(interval: float = 1.0, length: int = 10_000) -> Behaviour:
    """Headers at once, then a ``length``-byte JSON body one byte per ``interval``."""

    def behave(handler: _Handler) -> None:
        handler.head(200, {"Content-Type": "application/json", "Content-Length": str(length)})
        handler.wfile.flush()
        for _ in handler.until(length * interval):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            handler.pause(interval)

    return behave


def drip_headers(interval: float = 1.0) -> Behaviour:
    """The status line, then one header byte per ``interval``, never finishing the headers."""

    def behave(handler: _Handler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Drip: ")
        handler.wfile.flush()
        for _ in handler.until(MAX_FAULT_SECONDS):
            handler.wfile.write(b"a")
            handler.wfile.flush()
            handler.pause(interval)

    return behave


@functools.cache
def _bomb(expanded: int) -> bytes:
    """``expanded`` zero bytes, gzip-compressed (about 1/1000 of the size), built in chunks."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    parts = [packer.compress(zeros) for _ in range(expanded // len(zeros))]
    return b"".join(parts) + packer.flush()


def gzip_bomb(expanded: int = 256 * 1024 * 1024) -> Behaviour:
    """A small gzip body (``Content-Encoding: gzip``) that inflates to ``expanded`` bytes.

    Compressed here, when the fault is set up: compressing it when the request
    arrives took seconds on a loaded machine, inside the client's deadline.
    """
    data = _bomb(expanded)

    def behave(handler: _Handler) -> None:
        handler.head(
            200,
            {
                "Content-Type": "application/json",
                "Content-Encoding": "gzip",
                "Content-Length": str(len(data)),
            },
        )
        handler.wfile.write(data)

    return behave


def huge(size: int, *, declared: bool = True) -> Behaviour:
    """A ``size``-byte body of JSON whitespace, generated as it is sent.

    ``declared=False`` sends no ``Content-Length`` (the body ends when the
    connection closes), so a client must count as it reads.
    """

    def behave(handler: _Handler) -> None:
        headers = {"Content-Type": "application/json", "Connection": "close"}
        if declared:
            headers["Content-Length"] = str(size)
        handler.head(200, headers)
        block = b" " * CHUNK
        sent = 0
        for _ in handler.until(MAX_FAULT_SECONDS):
            if sent >= size:
                return
            handler.wfile.write(block[: min(CHUNK, size - sent)])
            sent += CHUNK

    return behave


def redirect(location: str, status: int = 302) -> Behaviour:
    """A redirect (302, 307...) to ``location``, with a JSON body that must not be used."""

    def behave(handler: _Handler) -> None:
        data = b'{"actions": [], "token": {"note": "a redirect body is not data"}}'
        handler.head(
            status,
            {
                "Location": location,
                "Content-Type": "application/json",
                "Content-Length": str(len(data)),
            },
        )
        handler.wfile.write(data)

    return behave


def reset() -> Behaviour:
    """Close the connection with a TCP reset, without answering."""

    def behave(handler: _Handler) -> None:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()

    return behave


__all__ = [
    "MAX_FAULT_SECONDS",
    "HostileServer",
    "Rule",
    "Seen",
    "drip_body",
    "drip_headers",
    "gzip_bomb",
    "hang",
    "huge",
    "raw",
    "redirect",
    "reset",
]
