"""What the simulated cloud's servers are made of, and the state their actions leave them in.

devstack's flavors and a few cloud images, each server's flavor, image, ports
and volumes (a pure function of the seed and the server's name and place, so
adding them draws nothing from the world's generator), and
:func:`server_state`: the status, ``vm_state``, ``task_state`` and
``power_state`` Nova shows while the newest action runs and after it settles.
Nothing here knows about HTTP.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass
from hashlib import sha256
from typing import NamedTuple

from tui.sim.openstack.plan import ActionPlan, EventView, event_view


class Flavor(NamedTuple):
    """One flavor, as devstack creates them."""

    id: str
    name: str
    ram: int
    """MiB."""
    disk: int
    """GiB."""
    vcpus: int


FLAVORS: tuple[Flavor, ...] = (
    Flavor("1", "m1.tiny", 512, 1, 1),
    Flavor("2", "m1.small", 2048, 20, 1),
    Flavor("3", "m1.medium", 4096, 40, 2),
    Flavor("4", "m1.large", 8192, 80, 4),
    Flavor("42", "m1.nano", 128, 1, 1),
    Flavor("5", "m1.xlarge", 16384, 160, 8),
    Flavor("84", "m1.micro", 192, 1, 1),
    Flavor("c1", "cirros256", 256, 1, 1),
    Flavor("d1", "ds512M", 512, 5, 1),
    Flavor("d2", "ds1G", 1024, 10, 1),
    Flavor("d3", "ds2G", 2048, 10, 2),
    Flavor("d4", "ds4G", 4096, 20, 4),
)
"""Every flavor of the cloud, in Nova's default order (by ``flavorid``)."""

IMAGE_NAMES = (
    "cirros-0.6.3-x86_64-disk",
    "ubuntu-24.04-server-cloudimg-amd64",
    "debian-12-genericcloud-amd64",
)
"""The cloud's images (devstack uploads cirros; the others are common additions)."""

NETWORK = "private"
"""devstack's tenant network."""

_ROLES: dict[str, tuple[str, str | None, bool]] = {
    "web": ("m1.small", IMAGE_NAMES[1], True),
    "api": ("m1.small", IMAGE_NAMES[1], True),
    "db": ("m1.large", None, False),
    "cache": ("m1.medium", IMAGE_NAMES[2], False),
    "worker": ("m1.medium", IMAGE_NAMES[2], False),
    "batch": ("m1.xlarge", IMAGE_NAMES[1], False),
}
"""Name prefix -> flavor, image (``None``: boots from a volume), floating IP."""
_DEFAULT_ROLE = ("ds2G", IMAGE_NAMES[0], False)
_FIXED_BASE = ipaddress.IPv4Address("10.0.0.0")
"""Fixed addresses count up from ``10.0.0.10`` (past ``.255`` into ``10.0.1.x``...)."""
_FLOATING_BASE = ipaddress.IPv4Address("172.24.4.0")
"""Floating addresses count up from ``172.24.4.100``."""


@dataclass(frozen=True)
class Equipment:
    """A server's flavor, image, port and volumes."""

    flavor: Flavor
    image_id: str
    """``""`` for a server booted from a volume (as Nova sends it)."""
    mac: str
    fixed_ip: str
    fixed_ipv6: str
    floating_ip: str | None
    volume_ids: tuple[str, ...]
    instance_name: str
    """libvirt's domain name, ``instance-%08x`` of the database id."""
    reservation_id: str


def image_id(seed: int, name: str) -> str:
    """The id of image ``name`` in the world of ``seed``."""
    return _uuid(f"{seed}:image:{name}")


def equipment_for(seed: int, name: str, index: int) -> Equipment:
    """What server ``name`` (the ``index``-th created) runs on; stable per seed."""
    flavor_name, image, floating = _ROLES.get(name.split("-")[0], _DEFAULT_ROLE)
    digest = sha256(f"{seed}:server:{name}".encode()).digest()
    mac_tail = digest[:3]
    mac = "fa:16:3e:" + ":".join(f"{byte:02x}" for byte in mac_tail)
    return Equipment(
        flavor=next(f for f in FLAVORS if f.name == flavor_name),
        image_id="" if image is None else image_id(seed, image),
        mac=mac,
        fixed_ip=str(_FIXED_BASE + 10 + index),
        fixed_ipv6=_slaac(digest[3:8], mac_tail),
        floating_ip=str(_FLOATING_BASE + 100 + index) if floating else None,
        volume_ids=() if image is not None else (_uuid(f"{seed}:volume:{name}"),),
        instance_name=f"instance-{index + 1:08x}",
        reservation_id=f"r-{digest[7:11].hex()}",
    )


def _slaac(global_id: bytes, mac_tail: bytes) -> str:
    """An address in a ``fd00::/8`` /64 built from the MAC (EUI-64, as SLAAC does)."""
    prefix = bytes([0xFD]) + global_id + bytes(2)
    interface = bytes([0xF8, 0x16, 0x3E, 0xFF, 0xFE]) + mac_tail
    return str(ipaddress.IPv6Address(prefix + interface))


def _uuid(label: str) -> str:
    return str(uuid.UUID(bytes=sha256(label.encode()).digest()[:16], version=4))


# -- server state -------------------------------------------------------------


class ServerState(NamedTuple):
    """What Nova shows about a server's state at one moment."""

    status: str
    vm_state: str
    task_state: str | None
    power_state: int
    """0 no state, 1 running, 3 paused, 4 shut down."""
    progress: int
    locked: bool
    action: str | None
    """The action that set this state (``None``: nothing has, the server is as built)."""
    fault: EventView | None
    """The failed event behind an ``ERROR`` status."""


_RUNNING = 1
_PAUSED = 3
_SHUTDOWN = 4

_WHILE: dict[str, tuple[str, str]] = {
    "create": ("BUILD", "spawning"),
    "reboot": ("REBOOT", "rebooting"),
    "stop": ("ACTIVE", "powering-off"),
    "start": ("SHUTOFF", "powering-on"),
    "resize": ("RESIZE", "resize_migrating"),
    "migrate": ("RESIZE", "resize_migrating"),
    "confirmResize": ("VERIFY_RESIZE", "resize_confirming"),
    "live-migration": ("MIGRATING", "migrating"),
    "rebuild": ("REBUILD", "rebuilding"),
    "shelve": ("ACTIVE", "shelving"),
    "unshelve": ("SHELVED_OFFLOADED", "unshelving"),
    "createImage": ("ACTIVE", "image_snapshot"),
    "pause": ("ACTIVE", "pausing"),
    "unpause": ("PAUSED", "unpausing"),
    "delete": ("ACTIVE", "deleting"),
}
"""Action -> (status, ``task_state``) while it runs."""

_AFTER: dict[str, tuple[str, str, int]] = {
    "stop": ("SHUTOFF", "stopped", _SHUTDOWN),
    "resize": ("VERIFY_RESIZE", "resized", _RUNNING),
    "migrate": ("VERIFY_RESIZE", "resized", _RUNNING),
    "shelve": ("SHELVED_OFFLOADED", "shelved_offloaded", _SHUTDOWN),
    "pause": ("PAUSED", "paused", _PAUSED),
}
"""Action -> (status, ``vm_state``, ``power_state``) once it succeeded; else ACTIVE."""

_ERRORS_OUT = frozenset({"create", "rebuild", "reboot"})
"""Actions whose failure leaves the server in ``ERROR`` (the others roll back)."""

_BY_STATUS = {status: (vm, power) for status, vm, power in _AFTER.values()}
_BY_STATUS.update(ACTIVE=("active", _RUNNING), BUILD=("building", 0))


def server_state(plans: list[ActionPlan], now_us: int, *, deleted: bool) -> ServerState:
    """The server's state given its actions (newest first) at ``now_us``."""
    locked = next((p.action == "lock" for p in plans if p.action in ("lock", "unlock")), False)
    newest = next((p for p in plans if p.action in _WHILE), None)
    action = None if newest is None else newest.action
    if deleted:
        return ServerState("DELETED", "deleted", None, 0, 0, locked, action, None)
    if newest is None:
        return ServerState("ACTIVE", "active", None, _RUNNING, 0, locked, None, None)
    if now_us < newest.settled_us:
        status, task = _WHILE[newest.action]
        vm_state, power = _BY_STATUS.get(status, ("active", _RUNNING))
        progress = _progress(newest, now_us)
        return ServerState(status, vm_state, task, power, progress, locked, action, None)
    failure = _final_failure(newest, now_us)
    if failure is not None and newest.action in _ERRORS_OUT:
        power = 0 if newest.action == "create" else _SHUTDOWN
        return ServerState("ERROR", "error", None, power, 0, locked, action, failure)
    status, vm_state, power = _AFTER.get(newest.action, ("ACTIVE", "active", _RUNNING))
    if failure is not None:
        status, vm_state, power = "ACTIVE", "active", _RUNNING
    return ServerState(status, vm_state, None, power, 0, locked, action, None)


def _progress(plan: ActionPlan, now_us: int) -> int:
    span = max(1, plan.settled_us - plan.start_us)
    return min(99, (now_us - plan.start_us) * 100 // span)


def _final_failure(plan: ActionPlan, now_us: int) -> EventView | None:
    """The last event when it ended in ``Error`` (a failed, not retried, action)."""
    if not plan.events:
        return None
    view = event_view(plan.events[-1], now_us)
    return view if view is not None and view.result == "Error" else None
