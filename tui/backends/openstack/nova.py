"""Authenticated, microversioned GETs against Nova for the OpenStack backend.

The microversion is negotiated once from the compute version document
(``GET {endpoint}``): the newest the server offers, capped at
:data:`NEWEST_SUPPORTED`; an endpoint without a document (legacy ``/v2``
URLs, catalogs carrying a project id) falls back to 2.1, the shape every
cloud serves. Both version headers are sent.

A 401 from Nova (an :class:`~tui.backends.base.AuthRejectedError` whose
``status`` is 401) invalidates the token, re-authenticates once and retries the
request once; a second refusal is raised, saying so. The token is redacted
from every error about a request that carried it.
List paging follows Nova's ``next`` links by ``marker`` (the last
``request_id`` or server id) on our own endpoint, never the link's host.
Nothing here prints, sleeps or touches the UI.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from tui.backends.base import AuthRejectedError, BadResponseError, NotFoundError, RequestStats
from tui.backends.openstack.auth import Grant, KeystoneAuth
from tui.backends.openstack.nova_http import NovaHttp

Version = tuple[int, int]

NEWEST_SUPPORTED: Version = (2, 104)
"""The newest compute microversion whose instance-action shape this backend knows."""
LEGACY: Version = (2, 1)
PAGE_SIZE = 1000
"""``limit`` asked for; Nova caps it at its ``max_limit`` and says so with a ``next`` link."""
MAX_PAGES = 10_000
"""A safety stop for servers whose ``next`` links never end."""

_VERSION_RE = re.compile(r"^([0-9]{1,6})\.([0-9]{1,6})$")
_PROJECT_SEGMENT = re.compile(r"/(?:[0-9a-f]{32}|[0-9a-f-]{36})/?$")


class NovaClient:
    """One compute endpoint, reached with the tokens of a :class:`KeystoneAuth`."""

    def __init__(
        self, backend: str, auth: KeystoneAuth, *, timeout: float = 15.0, connections: int = 8
    ) -> None:
        self.backend = backend
        self.auth = auth
        self.timeout = timeout
        self.connections = connections
        """Connections kept open: the backend's concurrency, so every one is reused."""
        self.stats = RequestStats()
        """Every request sent to Nova, counted and timed."""
        self.version: Version | None = None
        """The negotiated microversion (``None`` until the first request)."""
        self._client: NovaHttp | None = None

    async def aclose(self) -> None:
        """Close the HTTP client."""
        if self._client is not None:
            self._client.close()
            self._client = None

    async def negotiate(self) -> Version:
        """The microversion to speak (discovered once)."""
        if self.version is None:
            self.version = await self._discover()
        return self.version

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET ``path`` (relative to the compute endpoint) with token and microversion."""
        version = await self.negotiate()
        return await self._authed(path, params, version)

    async def pages(self, path: str, key: str, params: dict[str, Any]) -> list[Any]:
        """Every item of a paged list (``key`` is the list's name), following ``next`` links.

        Items are returned as listed, objects or not: the caller reads each one
        and skips those it cannot. The list itself must be a JSON array.
        """
        items: list[Any] = []
        query = dict(params)
        for _ in range(MAX_PAGES):
            body = await self.get(path, query)
            page = _items(body, key, self.backend, path)
            items.extend(page)
            marker = _marker(page, key)
            if not page or not _has_next(body, key) or marker is None:
                return items
            if marker == query.get("marker"):
                raise BadResponseError(self.backend, f"{path}: paging does not advance")
            query["marker"] = marker
        raise BadResponseError(self.backend, f"{path}: more than {MAX_PAGES} pages")

    # -- internals ------------------------------------------------------------

    async def _authed(
        self, path: str, params: dict[str, Any] | None, version: Version | None
    ) -> Any:
        grant = await self.auth.grant()
        try:
            return await self._send(grant, path, params, version)
        except AuthRejectedError as exc:
            if not exc.token_refused:
                raise  # a 403 is a policy: a new token would be refused the same way
        grant = await self.auth.renew(grant)
        try:
            return await self._send(grant, path, params, version)
        except AuthRejectedError as exc:
            raise _even_renewed(exc) from None

    async def _send(
        self, grant: Grant, path: str, params: dict[str, Any] | None, version: Version | None
    ) -> Any:
        client = self._client_for(grant.endpoint)
        headers = {"X-Auth-Token": grant.token}
        if version is not None:
            text = f"{version[0]}.{version[1]}"
            headers["X-OpenStack-Nova-API-Version"] = text
            headers["OpenStack-API-Version"] = f"compute {text}"
        return await client.get_json(path, params=params, headers=headers)

    def _client_for(self, endpoint: str) -> NovaHttp:
        if self._client is None or endpoint.rstrip("/") != self._client.endpoint:
            if self._client is not None:
                self._client.close()
            self._client = NovaHttp(
                self.backend,
                endpoint,
                verify=self.auth.verify,
                timeout=self.timeout,
                connections=self.connections,
                stats=self.stats,
            )
        return self._client

    async def _discover(self) -> Version:
        """Read the version document (also above a trailing project id); 2.1 without one."""
        grant = await self.auth.grant()
        candidates = [""]
        if _PROJECT_SEGMENT.search(grant.endpoint):
            candidates.append(_PROJECT_SEGMENT.sub("/", grant.endpoint))
        for candidate in candidates:
            try:
                document = await self._authed(candidate, None, None)
            except NotFoundError:
                continue  # other failures propagate: a 503 must not pin us to 2.1
            found = _version_range(document)
            if found is not None:
                return self._choose(*found)
        return LEGACY

    def _choose(self, minimum: Version, maximum: Version) -> Version:
        chosen = min(maximum, NEWEST_SUPPORTED)
        if chosen < minimum:
            raise BadResponseError(
                self.backend,
                f"compute API needs microversion {minimum[0]}.{minimum[1]} or newer, "
                f"this client speaks up to {NEWEST_SUPPORTED[0]}.{NEWEST_SUPPORTED[1]}",
            )
        return chosen


def server_path(server_id: str, request_id: str | None = None) -> str:
    """The instance-actions path of a server (ids are quoted)."""
    base = f"/servers/{quote(server_id, safe='')}/os-instance-actions"
    return base if request_id is None else f"{base}/{quote(request_id, safe='')}"


def _version_range(document: Any) -> tuple[Version, Version] | None:
    """``(min_version, version)`` of a compute version document, if it has them."""
    if not isinstance(document, dict):
        return None
    entry = document.get("version")
    if not isinstance(entry, dict):
        versions = document.get("versions")
        listed = [v for v in versions if isinstance(v, dict)] if isinstance(versions, list) else []
        entry = next((v for v in listed if v.get("status") == "CURRENT"), None)
    if not isinstance(entry, dict):
        return None
    maximum = _parse_version(entry.get("version"))
    if maximum is None:
        return LEGACY, LEGACY
    return _parse_version(entry.get("min_version")) or LEGACY, maximum


def _parse_version(value: object) -> Version | None:
    match = _VERSION_RE.match(value) if isinstance(value, str) else None
    return (int(match[1]), int(match[2])) if match else None


def _items(body: Any, key: str, backend: str, path: str) -> list[Any]:
    items = body.get(key) if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise BadResponseError(backend, f"{path}: unexpected payload (no {key!r} list)")
    return items


def _has_next(body: dict[str, Any], key: str) -> bool:
    links_key = "links" if key == "instanceActions" else f"{key}_links"
    links = body.get(links_key)
    if not isinstance(links, list):
        return False
    return any(isinstance(link, dict) and link.get("rel") == "next" for link in links)


def _marker(page: list[Any], key: str) -> str | None:
    """The id of the page's last readable item (unreadable items carry no usable id)."""
    field = "request_id" if key == "instanceActions" else "id"
    for item in reversed(page):
        value = item.get(field) if isinstance(item, dict) else None
        if isinstance(value, str) and value:
            return value
    return None


def _even_renewed(exc: AuthRejectedError) -> AuthRejectedError:
    """``exc`` again, saying that a new token was refused too."""
    return AuthRejectedError(
        exc.backend,
        f"{exc.reason} (even with a new token)",
        status=exc.status,
        request=exc.request,
        detail=f"{exc.detail} (even with a new token)",
    )
