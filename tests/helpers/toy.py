"""A toy backend family, to show that a new backend type is one package and one registry line.

Everything a family has lives here, as a real family would keep it in
``tui/backends/toy/``: its settings and their schema, a client that reads a small JSON API
over real HTTP, a ``SPEC`` with its capabilities, and :class:`ToyServer`, a
loopback server for that API. :func:`registered` adds the family to
:data:`tui.backends.REGISTRY` for a test, the one line a real family adds there.
"""

from __future__ import annotations

import builtins
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal

from pydantic import SecretStr

from tui.backends import REGISTRY, settings_schema
from tui.backends.base import ActionPage, Backend, ListQuery, PollUpdate
from tui.backends.http import RequestStats, expect, get_json, make_client
from tui.backends.settings import BackendSettings, Secret
from tui.backends.spec import BackendSpec, Capabilities, DetailKind, SecretResolver
from tui.model import Action, PendingOp, Status, make_ref, parse_time

TYPE = "toy"

TOKEN = "toy-secret-token"
"""The only token :class:`ToyServer` accepts."""

ACTIONS: list[dict[str, Any]] = [
    {
        "id": "t-2",
        "name": "polish",
        "status": "running",
        "target": "widget-2",
        "created": "2026-01-02T10:00:00Z",
        "state": "buffing",
        "ops": [{"shard": "s:1", "op": "buff", "progress": 40}],
    },
    {
        "id": "t-1",
        "name": "assemble",
        "status": "completed",
        "target": "widget-1",
        "created": "2026-01-02T09:00:00Z",
        "ops": [],
    },
]
"""What the toy API serves, newest first."""

_STATUSES = {"running": Status.RUNNING, "completed": Status.COMPLETED}


@dataclass(frozen=True, kw_only=True)
class ToySettings(BackendSettings):
    """A toy service: a URL and a token."""

    type: str = TYPE
    url: str
    token: Secret | None = None
    token_env: str | None = None
    token_command: str | None = None


class ToySettingsSchema(settings_schema.BackendSettings):
    """What a toy entry of the config file may say (a family's ``schema.py``)."""

    PLAIN = ToySettings

    type: Literal["toy"]
    url: settings_schema.HttpUrl
    token: SecretStr | None = None
    token_env: str | None = None
    token_command: str | None = None


class ToyBackend:
    """Reads ``GET /actions`` and ``GET /actions/{id}`` of a toy service."""

    type = TYPE

    def __init__(self, name: str, *, url: str, token: str, timeout: float) -> None:
        self.name = name
        self.stats = RequestStats()
        self._client = make_client(
            url, headers={"X-Toy-Token": token}, timeout=timeout, stats=self.stats
        )

    async def __aenter__(self) -> ToyBackend:
        return self

    async def __aexit__(
        self,
        exc_type: builtins.type[BaseException] | None,  # ``type`` is a field here
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def list_actions(self, query: ListQuery) -> ActionPage:
        """One window of the list."""
        body = await get_json(self._client, self.name, "/actions")
        expect(isinstance(body, list), self.name, "/actions", "a list")
        actions = [self._parse(item) for item in body]
        return ActionPage(actions[query.start : query.start + query.limit], total=len(actions))

    async def get_action(self, action_id: str) -> Action:
        """One action."""
        return self._parse(await get_json(self._client, self.name, f"/actions/{action_id}"))

    async def poll(self) -> PollUpdate:
        """Everything, every time: the toy list is short."""
        actions = (await self.list_actions(ListQuery(limit=100))).actions
        in_flight = sum(1 for action in actions if action.status.in_flight)
        return PollUpdate(actions=actions, total=len(actions), in_flight=in_flight)

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()

    def _parse(self, item: dict[str, Any]) -> Action:
        ops = [
            PendingOp(shard=op["shard"], op_name=op["op"], progress=op["progress"])
            for op in item["ops"]
        ]
        return Action(
            ref=make_ref(self.name, item["id"]),
            backend=self.name,
            backend_type=TYPE,
            id=item["id"],
            name=item["name"],
            status=_STATUSES[item["status"]],
            raw_status=item["status"],
            resource=item["target"],
            created_at=parse_time(item["created"]),
            state=item.get("state"),
            pending_ops=tuple(ops),
            raw=item,
        )


def build(settings: ToySettings, secret: SecretResolver) -> Backend:
    """A :class:`ToyBackend` for ``settings``."""
    token = secret("token") or ""
    return ToyBackend(settings.name, url=settings.url, token=token, timeout=settings.timeout)


SPEC = BackendSpec(
    type=TYPE,
    settings=ToySettings,
    build=build,
    schema=lambda: ToySettingsSchema,
    secret_fields=("token",),
    capabilities=Capabilities(server_search=False, detail=DetailKind.PENDING),
)


@contextmanager
def registered() -> Iterator[BackendSpec]:
    """The toy family in :data:`~tui.backends.REGISTRY` while the block runs."""
    REGISTRY[TYPE] = SPEC
    try:
        yield SPEC
    finally:
        del REGISTRY[TYPE]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.headers.get("X-Toy-Token") != TOKEN:
            self._send(401, {"error": "bad token"})
            return
        if self.path == "/actions":
            self._send(200, ACTIONS)
            return
        found = [item for item in ACTIONS if self.path == f"/actions/{item['id']}"]
        self._send(200, found[0]) if found else self._send(404, {"error": "no such action"})

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read what the client says, not the server's log."""


@contextmanager
def toy_server() -> Iterator[str]:
    """A toy API on a loopback port; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
