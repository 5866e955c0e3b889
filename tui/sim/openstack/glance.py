"""Simulated Glance v2 (under ``/image``): the few images the simulated servers boot from.

Just enough of the image API for clients that name a server's image (the
OpenStack CLI's ``server list`` and ``server show``): the version document,
``GET /v2/images`` (filters ``id``, with Glance's ``in:a,b`` operator, and
``name``) and ``GET /v2/images/{id}``, which answers the bare image object as
Glance does. Tokens are checked against :class:`~tui.sim.openstack.keystone.Keystone`.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from hashlib import md5, sha512
from typing import Any, NamedTuple

from tui.sim.http import Handler, Route, SimRequest, SimResponse
from tui.sim.openstack.inventory import IMAGE_NAMES, image_id
from tui.sim.openstack.keystone import Keystone

CURRENT = (2, 17)
"""The newest image API version advertised."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_UPLOADED_DAYS_AGO = 40


class ImageFile(NamedTuple):
    """Sizes of one image file, in bytes."""

    size: int
    virtual_size: int


_FILES: dict[str, ImageFile] = {
    IMAGE_NAMES[0]: ImageFile(21_692_416, 117_440_512),
    IMAGE_NAMES[1]: ImageFile(621_281_280, 3_758_096_384),
    IMAGE_NAMES[2]: ImageFile(444_530_688, 2_147_483_648),
}


class Glance:
    """The image service of the simulated cloud."""

    def __init__(self, *, seed: int, anchor_us: int, base_url: str, keystone: Keystone) -> None:
        self.base_url = base_url
        self.keystone = keystone
        uploaded = _EPOCH + timedelta(microseconds=anchor_us) - timedelta(days=_UPLOADED_DAYS_AGO)
        stamp = uploaded.strftime("%Y-%m-%dT%H:%M:%SZ")
        owner = keystone.identity.project_id
        self.images = [_image(seed, name, stamp, owner) for name in IMAGE_NAMES]

    @property
    def endpoint(self) -> str:
        """The catalog's image URL (version-less, as devstack registers it)."""
        return f"{self.base_url}/image"

    def routes(self) -> list[Route]:
        """The image routes."""
        return [
            Route("GET", r"/image", self._versions),
            Route("GET", r"/image/v2/images", self._guard(self._list)),
            Route("GET", r"/image/v2/images/(?P<image_id>[^/]+)", self._guard(self._show)),
        ]

    def _versions(self, request: SimRequest) -> SimResponse:
        versions = [
            {
                "id": f"v2.{minor}",
                "status": "CURRENT" if (2, minor) == CURRENT else "SUPPORTED",
                "links": [{"rel": "self", "href": f"{self.endpoint}/v2/"}],
            }
            for minor in range(CURRENT[1], -1, -1)
        ]
        return SimResponse({"versions": versions}, status=300)

    def _guard(self, handler: Handler) -> Handler:
        """Refuse requests without a valid token (keystonemiddleware's 401)."""

        def guarded(request: SimRequest) -> SimResponse:
            if self.keystone.validate(request.headers.get("x-auth-token")) is None:
                return self.keystone.unauthorized()
            return handler(request)

        return guarded

    def _list(self, request: SimRequest) -> SimResponse:
        wanted = _ids(request.query.get("id"))
        name = request.query.get("name")
        images = [
            image
            for image in self.images
            if (wanted is None or image["id"] in wanted) and (name is None or image["name"] == name)
        ]
        body = {"images": images, "first": "/v2/images", "schema": "/v2/schemas/images"}
        return SimResponse(body)

    def _show(self, request: SimRequest) -> SimResponse:
        wanted = request.params["image_id"]
        image = next((i for i in self.images if i["id"] == wanted), None)
        if image is None:
            text = f"404 Not Found\n\nNo image found with ID {wanted}\n\n   "
            return SimResponse(raw=text.encode(), status=404, content_type="text/plain")
        return SimResponse(image)


def _ids(value: str | None) -> set[str] | None:
    """The ids an ``id`` filter asks for (``in:a,b`` or a single id)."""
    if value is None:
        return None
    return set(value.removeprefix("in:").split(","))


def _image(seed: int, name: str, stamp: str, owner: str) -> dict[str, Any]:
    """One public qcow2 image as Glance v2 shows it."""
    ident = image_id(seed, name)
    sizes = _FILES[name]
    content = f"{seed}:{name}".encode()
    return {
        "id": ident,
        "name": name,
        "status": "active",
        "visibility": "public",
        "protected": False,
        "os_hidden": False,
        "owner": owner,
        "checksum": md5(content, usedforsecurity=False).hexdigest(),
        "os_hash_algo": "sha512",
        "os_hash_value": sha512(content).hexdigest(),
        "size": sizes.size,
        "virtual_size": sizes.virtual_size,
        "min_ram": 0,
        "min_disk": 0,
        "disk_format": "qcow2",
        "container_format": "bare",
        "created_at": stamp,
        "updated_at": stamp,
        "tags": [],
        "self": f"/v2/images/{ident}",
        "file": f"/v2/images/{ident}/file",
        "schema": "/v2/schemas/image",
    }
