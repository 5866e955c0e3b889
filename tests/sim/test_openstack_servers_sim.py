"""The simulated Nova servers and flavors and the simulated Glance, over real loopback HTTP.

What the OpenStack CLI reads besides instance actions: server bodies per
microversion and role, statuses that follow the newest action, flavors and
the images servers boot from.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers.sim import keystone_token
from tui.sim import Simulator
from tui.sim.openstack.inventory import server_state
from tui.sim.openstack.plan import US, PlanContext, plan_action

LIVE = {"web-01", "web-02", "db-01", "db-02", "cache-01", "api-01", "worker-01", "batch-01"}


class Cloud:
    """One token on the simulated cloud and GETs relative to its base URL."""

    def __init__(self, client: httpx.Client, sim: Simulator, user: str = "demo") -> None:
        self.client = client
        self.base = sim.openstack.url
        self.token = keystone_token(client, sim, user)

    def get(self, path: str, version: str | None = None, **params: Any) -> httpx.Response:
        """GET ``path`` under the simulator's base URL with this token."""
        headers = {"X-Auth-Token": self.token}
        if version is not None:
            headers["OpenStack-API-Version"] = f"compute {version}"
        return self.client.get(f"{self.base}{path}", headers=headers, params=params)

    def json(self, path: str, version: str | None = None, **params: Any) -> Any:
        """GET and decode, asserting success."""
        response = self.get(path, version, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def servers(self, version: str | None = None, **params: Any) -> list[dict[str, Any]]:
        """``/servers/detail`` at ``version``."""
        return list(self.json("/compute/v2.1/servers/detail", version, **params)["servers"])


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    """One keep-alive client for the module."""
    with httpx.Client() as shared:
        yield shared


@pytest.fixture(scope="module")
def admin(client: httpx.Client, sim: Simulator) -> Cloud:
    """The admin ``demo`` user."""
    return Cloud(client, sim)


@pytest.fixture(scope="module")
def viewer(client: httpx.Client, sim: Simulator) -> Cloud:
    """The reader ``viewer`` user."""
    return Cloud(client, sim, "viewer")


# -- servers ---------------------------------------------------------------------


def test_server_detail_core_fields(admin: Cloud) -> None:
    """Every detailed server carries Nova's core fields, with devstack-like values."""
    servers = {s["name"]: s for s in admin.servers("2.90")}
    web = servers["web-01"]
    assert set(servers) == LIVE
    assert web["flavor"]["original_name"] == "m1.small"
    assert web["image"]["links"][0]["href"].endswith(f"/compute/images/{web['image']['id']}")
    assert servers["db-01"]["image"] == ""
    assert web["OS-EXT-AZ:availability_zone"] == "nova"
    assert web["security_groups"] == [{"name": "default"}]
    assert web["created"].endswith("Z")
    assert web["links"][1]["href"].endswith(f"/compute/servers/{web['id']}")


def test_addresses_are_one_port_per_server(admin: Cloud) -> None:
    """Fixed IPv4 and SLAAC IPv6 on ``private`` share one MAC; web servers have a floating IP."""
    for server in admin.servers():
        if server["status"] == "BUILD":
            assert server["addresses"] == {}
            continue
        ports = server["addresses"]["private"]
        v6 = next(p["addr"] for p in ports if p["version"] == 6)
        assert len({p["OS-EXT-IPS-MAC:mac_addr"] for p in ports}) == 1
        assert str(ipaddress.IPv6Address(v6)) == v6
        assert ipaddress.IPv6Address(v6) in ipaddress.IPv6Network("fd00::/8")
        floating = [p for p in ports if p["OS-EXT-IPS:type"] == "floating"]
        assert bool(floating) == server["name"].startswith(("web-", "api-"))


@pytest.mark.parametrize(
    ("version", "present", "absent"),
    [
        ("2.1", {"OS-EXT-SRV-ATTR:host"}, {"locked", "OS-EXT-SRV-ATTR:hostname", "description"}),
        ("2.3", {"OS-EXT-SRV-ATTR:hostname", "OS-EXT-SRV-ATTR:reservation_id"}, {"locked"}),
        ("2.26", {"locked", "host_status", "description", "tags"}, {"locked_reason"}),
        ("2.73", {"trusted_image_certificates", "locked_reason"}, set()),
    ],
)
def test_admin_fields_per_microversion(
    admin: Cloud, version: str, present: set[str], absent: set[str]
) -> None:
    """Fields appear at the microversion that introduced them."""
    [server] = admin.servers(version, name="^web-01$")
    assert present <= set(server)
    assert not absent & set(server)


def test_reader_sees_no_admin_fields(viewer: Cloud) -> None:
    """Host attributes and host status are admin-only; 2.90 gives everyone the hostname."""
    [old] = viewer.servers("2.89", name="^web-01$")
    [new] = viewer.servers("2.90", name="^web-01$")
    assert not {k for k in old if k.startswith("OS-EXT-SRV-ATTR:")}
    assert "host_status" not in old
    assert {k for k in new if k.startswith("OS-EXT-SRV-ATTR:")} == {"OS-EXT-SRV-ATTR:hostname"}


def test_flavor_reference_before_247(admin: Cloud) -> None:
    """Before 2.47 the server names its flavor by id with a bookmark link."""
    [server] = admin.servers("2.46", name="^web-01$")
    assert server["flavor"]["id"] == "2"
    assert server["flavor"]["links"][0]["rel"] == "bookmark"


def test_show_adds_server_groups(admin: Cloud) -> None:
    """``server_groups`` (2.71) is on show only; a deleted server is not found."""
    [listed] = admin.servers("2.71", name="^web-01$")
    shown = admin.json(f"/compute/v2.1/servers/{listed['id']}", "2.71")["server"]
    assert "server_groups" not in listed
    assert shown["server_groups"] == []
    assert {k: v for k, v in shown.items() if k != "server_groups"} == listed


def test_statuses_follow_running_actions(admin: Cloud) -> None:
    """The four actions running at the anchor show as task states; others are settled."""
    states = {s["name"]: (s["status"], s["OS-EXT-STS:task_state"]) for s in admin.servers()}
    running = {state for state in states.values() if state[1] is not None}
    assert running == {
        ("REBOOT", "rebooting"),
        ("MIGRATING", "migrating"),
        ("RESIZE", "resize_migrating"),
        ("REBUILD", "rebuilding"),
    }
    assert {s for s, task in states.values() if task is None} <= {"ACTIVE", "SHUTOFF", "PAUSED"}


def test_server_filters(admin: Cloud, viewer: Cloud) -> None:
    """``status`` filters; ``deleted=true`` lists deleted servers for admins only."""
    running = admin.servers(status="reboot")
    deleted = admin.servers(deleted="true")
    assert [s["status"] for s in running] == ["REBOOT"]
    assert {s["name"] for s in deleted} == {"web-03", "tmp-build-01"}
    assert all(s["status"] == "DELETED" and s["addresses"] == {} for s in deleted)
    assert {s["name"] for s in viewer.servers(deleted="true")} == LIVE


def test_server_paging(admin: Cloud) -> None:
    """``limit``/``marker`` page the list; a full page links to the next one."""
    everything = [s["id"] for s in admin.json("/compute/v2.1/servers")["servers"]]
    first = admin.json("/compute/v2.1/servers", limit=3)
    marker = first["servers"][-1]["id"]
    second = admin.json("/compute/v2.1/servers", limit=3, marker=marker)["servers"]
    bad = admin.get("/compute/v2.1/servers", marker="nope")
    assert [s["id"] for s in first["servers"] + second] == everything[:6]
    assert f"marker={marker}" in first["servers_links"][0]["href"]
    assert bad.status_code == 400
    assert bad.json()["badRequest"]["message"] == "marker [nope] not found"


def test_status_filter_on_the_short_list(admin: Cloud) -> None:
    """``status`` filters ``/servers`` too, although its entries carry no status."""
    brief = admin.json("/compute/v2.1/servers", status="MIGRATING")["servers"]
    [detailed] = admin.servers(status="MIGRATING")
    assert [s["id"] for s in brief] == [detailed["id"]]


def test_failed_reboot_leaves_error_with_fault(client: httpx.Client, fresh_sim: Simulator) -> None:
    """A reboot that fails for good puts the server in ``ERROR`` with the event's fault."""
    assert hasattr(fresh_sim.clock, "advance")
    fresh_sim.clock.advance(180 * 60)
    admin, viewer = Cloud(client, fresh_sim), Cloud(client, fresh_sim, "viewer")
    [server] = [s for s in admin.servers() if s["status"] == "ERROR"]
    [seen] = viewer.servers(name=f"^{server['name']}$")
    assert server["OS-EXT-STS:vm_state"] == "error"
    assert server["fault"]["code"] == 500
    assert server["fault"]["details"].startswith("Traceback (most recent call last):\n  File ")
    assert "details" not in seen["fault"]
    assert seen["fault"]["message"] == server["fault"]["message"] != ""


# -- server state, directly ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fate", "status", "vm_state"),
    [
        ("create", "fail", "ERROR", "error"),
        ("resize", "fail", "ACTIVE", "active"),
        ("resize", "ok", "VERIFY_RESIZE", "resized"),
        ("stop", "ok", "SHUTOFF", "stopped"),
        ("shelve", "retry2", "SHELVED_OFFLOADED", "shelved_offloaded"),
        ("reboot", "quirk", "ACTIVE", "active"),
    ],
)
def test_settled_state(kind: str, fate: Any, status: str, vm_state: str) -> None:
    """After the newest action settles: its outcome; failed builds stay in ERROR."""
    ctx = PlanContext("server", "compute-01", "compute-02", "controller-01", "u", "p")
    plan = plan_action(random.Random(3), ctx, kind=kind, start_us=0, fate=fate)
    settled = server_state([plan], plan.settled_us, deleted=False)
    running = server_state([plan], plan.start_us + 1, deleted=False)
    assert (settled.status, settled.vm_state, settled.task_state) == (status, vm_state, None)
    assert (settled.fault is not None) == (status == "ERROR")
    assert running.task_state is not None
    assert 0 <= running.progress < 100


def test_lock_sets_locked_without_changing_status() -> None:
    """``lock`` has no events and no status; the newest of lock/unlock decides ``locked``."""
    ctx = PlanContext("server", "compute-01", "compute-02", "controller-01", "u", "p")
    rng = random.Random(5)
    stop = plan_action(rng, ctx, kind="stop", start_us=0)
    lock = plan_action(rng, ctx, kind="lock", start_us=stop.settled_us + US)
    state = server_state([lock, stop], lock.settled_us, deleted=False)
    assert (state.status, state.locked, state.action) == ("SHUTOFF", True, "stop")


# -- flavors ------------------------------------------------------------------------


def test_flavors_list_detail_and_show(admin: Cloud) -> None:
    """devstack's flavors; ``swap`` is ``""`` before 2.75; extra fields from 2.55/2.61."""
    listed = admin.json("/compute/v2.1/flavors")["flavors"]
    old = admin.json("/compute/v2.1/flavors/detail", "2.1")["flavors"]
    new = admin.json("/compute/v2.1/flavors/2", "2.75")["flavor"]
    assert set(listed[0]) == {"id", "name", "links"}
    assert {f["name"] for f in old} >= {"m1.tiny", "m1.small", "m1.large", "cirros256"}
    assert all(f["swap"] == "" and "extra_specs" not in f for f in old)
    assert (new["name"], new["ram"], new["swap"], new["extra_specs"]) == ("m1.small", 2048, 0, {})
    assert new["description"] is None


def test_unknown_flavor_and_private_flavors(admin: Cloud) -> None:
    """An unknown flavor is ``itemNotFound``; there are no private flavors."""
    missing = admin.get("/compute/v2.1/flavors/nope")
    assert missing.status_code == 404
    assert missing.json()["itemNotFound"]["message"] == "Flavor nope could not be found."
    assert admin.json("/compute/v2.1/flavors/detail", is_public="false")["flavors"] == []


# -- Glance ---------------------------------------------------------------------------


def test_catalog_lists_the_image_service(client: httpx.Client, sim: Simulator) -> None:
    """The catalog points ``image`` at ``/image``, whose version document lists v2."""
    cloud = Cloud(client, sim)
    token = client.get(
        f"{sim.auth_url}/auth/tokens",
        headers={"X-Auth-Token": cloud.token, "X-Subject-Token": cloud.token},
    ).json()["token"]
    [image] = [entry for entry in token["catalog"] if entry["type"] == "image"]
    versions = client.get(f"{sim.openstack.url}/image")
    current = [v for v in versions.json()["versions"] if v["status"] == "CURRENT"]
    assert {e["url"] for e in image["endpoints"]} == {f"{sim.openstack.url}/image"}
    assert versions.status_code == 300
    assert current[0]["links"][0]["href"] == f"{sim.openstack.url}/image/v2/"


def test_images_by_id_filter_and_show(admin: Cloud) -> None:
    """Every server image exists; ``id=in:`` filters; show answers the bare image."""
    ids = {s["image"]["id"] for s in admin.servers() if s["image"]}
    everything = admin.json("/image/v2/images")["images"]
    chosen = admin.json("/image/v2/images", id="in:" + ",".join(sorted(ids)))["images"]
    some = everything[0]
    assert ids <= {i["id"] for i in everything}
    assert {i["id"] for i in chosen} == ids
    assert admin.json(f"/image/v2/images/{some['id']}") == some
    assert some["status"] == "active"
    assert some["disk_format"] == "qcow2"


def test_image_errors(client: httpx.Client, sim: Simulator, admin: Cloud) -> None:
    """Unknown image 404; no token 401 (keystonemiddleware's answer)."""
    assert admin.get("/image/v2/images/nope").status_code == 404
    assert client.get(f"{sim.openstack.url}/image/v2/images").status_code == 401
