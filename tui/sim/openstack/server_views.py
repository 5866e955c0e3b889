"""Nova's view builders for the simulated servers and flavors: one body per microversion.

Field by field as Nova writes them (2.3 extended attributes, 2.9 ``locked``,
2.16 ``host_status``, 2.19 ``description``, 2.26 ``tags``, 2.47 embedded
flavor, 2.55 flavor ``description``, 2.61 flavor ``extra_specs``, 2.63
trusted certificates, 2.73 ``locked_reason``, 2.75 ``swap: 0``, 2.90
``hostname`` for everyone); admin-only fields go to admins only. A server's
status, task state and fault follow its newest action
(:func:`~tui.sim.openstack.inventory.server_state`). Pure: no routing, no
filtering; :mod:`tui.sim.openstack.servers` decides which servers to show.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.sim.openstack.inventory import NETWORK, Flavor, ServerState, server_state
from tui.sim.openstack.plan import US, ActionPlan
from tui.sim.openstack.render import Version, host_id, naive, zulu
from tui.sim.openstack.world import OpenStackWorld, ServerPlan

if TYPE_CHECKING:
    from tui.sim.openstack.nova import Call

_PROGRESS_STATUSES = frozenset(
    {"ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING"}
)
"""Statuses that carry ``progress`` (Nova's view builder)."""


class ServerViews:
    """Nova's view builders for the simulated servers and flavors."""

    def __init__(self, *, world: OpenStackWorld, endpoint: str) -> None:
        self.world = world
        self.endpoint = endpoint
        self.bookmark = endpoint.rsplit("/", 1)[0]
        """The version-less base Nova puts in ``bookmark`` links."""

    def body(self, server: ServerPlan, call: Call, *, detail: bool) -> dict[str, Any]:
        """One server as listed (``detail=False``) or shown."""
        body: dict[str, Any] = {"id": server.id, "name": server.name}
        body["links"] = self._links("servers", server.id)
        if not detail:
            return body
        plans = self.world.actions(server.id, call.now_us)
        state = server_state(plans, call.now_us, deleted=server.deleted(call.now_us))
        body.update(self._core(server, plans, state, call))
        body.update(_placement(server, plans, state))
        body.update(_extended(server, state, call.version, call.token.is_admin))
        return body

    def _core(
        self, server: ServerPlan, plans: list[ActionPlan], state: ServerState, call: Call
    ) -> dict[str, Any]:
        """The fields every caller gets at every microversion."""
        ident = self.world.identity
        body: dict[str, Any] = {
            "status": state.status,
            "tenant_id": ident.project_id,
            "user_id": ident.admin_id,
            "metadata": {},
            "hostId": host_id(ident.project_id, server.host),
            "image": self._image(server),
            "flavor": self._embedded_flavor(server.equipment.flavor, call.version),
            "created": zulu(server.created_us),
            "updated": zulu(self.world.updated(server, call.now_us)),
            "addresses": _addresses(server, state),
            "accessIPv4": "",
            "accessIPv6": "",
            "OS-DCF:diskConfig": "MANUAL",
        }
        if state.fault is not None:
            body["fault"] = _fault(state, call.token.is_admin)
        if state.status in _PROGRESS_STATUSES:
            body["progress"] = state.progress
        return body

    def _image(self, server: ServerPlan) -> dict[str, Any] | str:
        image = server.equipment.image_id
        if not image:
            return ""
        return {
            "id": image,
            "links": [{"rel": "bookmark", "href": f"{self.bookmark}/images/{image}"}],
        }

    def _embedded_flavor(self, flavor: Flavor, version: Version) -> dict[str, Any]:
        if version < (2, 47):
            return {"id": flavor.id, "links": [self._links("flavors", flavor.id)[1]]}
        return {
            "vcpus": flavor.vcpus,
            "ram": flavor.ram,
            "disk": flavor.disk,
            "ephemeral": 0,
            "swap": 0,
            "original_name": flavor.name,
            "extra_specs": {},
        }

    def _links(self, collection: str, item: str) -> list[dict[str, str]]:
        return [
            {"rel": "self", "href": f"{self.endpoint}/{collection}/{item}"},
            {"rel": "bookmark", "href": f"{self.bookmark}/{collection}/{item}"},
        ]

    def flavor(self, flavor: Flavor, version: Version, detail: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": flavor.id,
            "name": flavor.name,
            "links": self._links("flavors", flavor.id),
        }
        if version >= (2, 55):
            body["description"] = None
        if not detail:
            return body
        body.update(
            {
                "ram": flavor.ram,
                "disk": flavor.disk,
                "vcpus": flavor.vcpus,
                "swap": 0 if version >= (2, 75) else "",
                "OS-FLV-EXT-DATA:ephemeral": 0,
                "OS-FLV-DISABLED:disabled": False,
                "os-flavor-access:is_public": True,
                "rxtx_factor": 1.0,
            }
        )
        if version >= (2, 61):
            body["extra_specs"] = {}
        return body


def _placement(server: ServerPlan, plans: list[ActionPlan], state: ServerState) -> dict[str, Any]:
    """Availability zone, config drive, key pair, usage times and security groups."""
    deleted = state.status == "DELETED"
    body: dict[str, Any] = {
        "OS-EXT-AZ:availability_zone": "nova",
        "config_drive": "",
        "key_name": "demo-key",
        "OS-SRV-USG:launched_at": naive(_launched_at(server, plans, state)),
        "OS-SRV-USG:terminated_at": naive(server.deleted_us if deleted else None),
    }
    if not deleted:
        body["security_groups"] = [{"name": "default"}]
    return body


def _extended(
    server: ServerPlan, state: ServerState, version: Version, admin: bool
) -> dict[str, Any]:
    """Extended attributes, states, volumes and the later microversions' fields."""
    kit = server.equipment
    body: dict[str, Any] = {}
    if admin:
        body.update(
            {
                "OS-EXT-SRV-ATTR:host": server.host,
                "OS-EXT-SRV-ATTR:instance_name": kit.instance_name,
                "OS-EXT-SRV-ATTR:hypervisor_hostname": server.host,
            }
        )
        if version >= (2, 3):
            body.update(
                {
                    "OS-EXT-SRV-ATTR:reservation_id": kit.reservation_id,
                    "OS-EXT-SRV-ATTR:launch_index": 0,
                    "OS-EXT-SRV-ATTR:kernel_id": "",
                    "OS-EXT-SRV-ATTR:ramdisk_id": "",
                    "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
                    "OS-EXT-SRV-ATTR:user_data": None,
                }
            )
    if (admin and version >= (2, 3)) or version >= (2, 90):
        body["OS-EXT-SRV-ATTR:hostname"] = server.name
    body["OS-EXT-STS:task_state"] = state.task_state
    body["OS-EXT-STS:vm_state"] = state.vm_state
    body["OS-EXT-STS:power_state"] = state.power_state
    volumes: list[dict[str, Any]] = [{"id": v} for v in kit.volume_ids if state.status != "DELETED"]
    if version >= (2, 3):
        volumes = [{**v, "delete_on_termination": False} for v in volumes]
    body["os-extended-volumes:volumes_attached"] = volumes
    body.update(_later_fields(state, version, admin))
    return body


def _later_fields(state: ServerState, version: Version, admin: bool) -> dict[str, Any]:
    gates: list[tuple[Version, str, Any, bool]] = [
        ((2, 9), "locked", state.locked, False),
        ((2, 16), "host_status", "" if state.status == "DELETED" else "UP", True),
        ((2, 19), "description", None, False),
        ((2, 26), "tags", [], False),
        ((2, 63), "trusted_image_certificates", None, False),
        ((2, 73), "locked_reason", None, False),
    ]
    return {
        key: value
        for since, key, value, admin_only in gates
        if version >= since and (admin or not admin_only)
    }


def _addresses(server: ServerPlan, state: ServerState) -> dict[str, Any]:
    """The server's ports; none while it builds or once deleted (as Nova shows it)."""
    if state.status in ("BUILD", "DELETED"):
        return {}
    kit = server.equipment
    rows = [(4, kit.fixed_ip, "fixed"), (6, kit.fixed_ipv6, "fixed")]
    if kit.floating_ip is not None:
        rows.append((4, kit.floating_ip, "floating"))
    return {
        NETWORK: [
            {
                "OS-EXT-IPS-MAC:mac_addr": kit.mac,
                "version": v,
                "addr": addr,
                "OS-EXT-IPS:type": kind,
            }
            for v, addr, kind in rows
        ]
    }


def _fault(state: ServerState, admin: bool) -> dict[str, Any]:
    """The instance fault of a server in ``ERROR``: the failed event's text and traceback."""
    event = state.fault
    assert event is not None
    body: dict[str, Any] = {
        "code": 500,
        "created": zulu(event.finish_us or event.start_us),
        "message": (event.details or "").split("\n")[0] or "Unknown",
    }
    if admin and event.traceback:
        body["details"] = "Traceback (most recent call last):\n" + event.traceback
    return body


def _launched_at(server: ServerPlan, plans: list[ActionPlan], state: ServerState) -> int | None:
    """When the build finished: the ``create`` action's end (``None`` until it has)."""
    if state.status == "BUILD" or (state.status == "ERROR" and state.action == "create"):
        return None
    builds = [p for p in plans if p.action == "create"]
    return builds[-1].settled_us if builds else server.created_us + 30 * US
