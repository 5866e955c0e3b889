"""The simulated Nova at cloud scale, over real loopback HTTP.

Server paging by ``limit``/``marker`` with ``servers_links`` over thousands
of servers, ``changes-since``/``changes-before`` on the server list, a
server's ``updated`` moving with its actions, and the simulator's request
counts per path family.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.helpers.sim import keystone_token
from tui.sim import FrozenClock, Simulator
from tui.sim.openstack.plan import US, ActionPlan
from tui.sim.openstack.world import LIVE_SERVERS, OpenStackWorld, server_names

SERVERS = 2_500
SERVERS_FAMILY = "/compute/v2.1/servers"
ACTIONS_FAMILY = "/compute/v2.1/servers/{server_id}/os-instance-actions"


class Nova:
    """One Keystone token on a simulator and GETs on its compute API."""

    def __init__(self, client: httpx.Client, sim: Simulator, user: str = "demo") -> None:
        self.client = client
        self.sim = sim
        self.url = sim.openstack_api.compute_url
        self.token = keystone_token(client, sim, user)

    def get(self, url: str, version: str = "2.90", **params: Any) -> httpx.Response:
        """GET an absolute URL, or a path under the compute endpoint."""
        full = url if url.startswith("http") else f"{self.url}{url}"
        headers = {"X-Auth-Token": self.token, "OpenStack-API-Version": f"compute {version}"}
        return self.client.get(full, headers=headers, params=params or None)

    def json(self, url: str, version: str = "2.90", **params: Any) -> Any:
        """GET and decode, asserting success."""
        response = self.get(url, version, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def follow(self, path: str, **params: Any) -> list[list[dict[str, Any]]]:
        """Every page of a server list, following ``next`` links (bounded)."""
        pages = []
        body = self.json(path, **params)
        for _ in range(100):
            pages.append(body["servers"])
            links = [link for link in body.get("servers_links", []) if link["rel"] == "next"]
            if not links:
                return pages
            body = self.json(links[0]["href"])
        raise AssertionError("the server list never ended")

    def updated(self, **params: Any) -> dict[str, str]:
        """Server id -> ``updated``, from one detailed list."""
        servers = self.json("/servers/detail", limit=1000, **params)["servers"]
        return {s["id"]: s["updated"] for s in servers}


def iso(moment_us: int) -> str:
    """A naive ISO 8601 query value (UTC implied) with microseconds."""
    return (datetime(1970, 1, 1) + timedelta(microseconds=moment_us)).isoformat()


def naive_us(text: str | None) -> int | None:
    """Microseconds of one of Nova's naive timestamps."""
    if text is None:
        return None
    delta = datetime.fromisoformat(text).replace(tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * US + delta.microseconds


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    """One keep-alive client for the module."""
    with httpx.Client(timeout=30) as shared:
        yield shared


@pytest.fixture(scope="module")
def big() -> Iterator[Simulator]:
    """A frozen simulator whose project holds 2,500 live servers (shared: read only)."""
    with Simulator(seed=11, clock=FrozenClock(), servers=SERVERS) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def admin(client: httpx.Client, big: Simulator) -> Nova:
    """The admin on the big project."""
    return Nova(client, big)


@pytest.fixture
def small() -> Iterator[Simulator]:
    """A private frozen simulator with 40 servers (move its clock at will)."""
    with Simulator(seed=5, clock=FrozenClock(), servers=40) as simulator:
        yield simulator


# -- the world -------------------------------------------------------------------


def test_default_world_is_the_eight_server_world() -> None:
    """``servers=8`` draws exactly the default world: same servers, same actions."""
    default = OpenStackWorld(seed=3, anchor=1.8e9)
    eight = OpenStackWorld(seed=3, anchor=1.8e9, servers=8)
    now = default.anchor_us
    assert [s.name for s in default.servers] == [*LIVE_SERVERS, "web-03", "tmp-build-01"]
    assert default.servers == eight.servers
    for server in default.servers:
        assert default.actions(server.id, now) == eight.actions(server.id, now)


def test_scaled_servers_have_unique_names_addresses_and_actions() -> None:
    """1,000 servers: unique names and fixed IPs, three actions each on average."""
    world = OpenStackWorld(seed=3, anchor=1.8e9, servers=1_000)
    live = [s for s in world.servers if s.deleted_us is None]
    actions = sum(len(world.actions(s.id, world.anchor_us)) for s in world.servers)
    assert len(live) == 1_000
    assert len({s.name for s in world.servers}) == 1_002
    assert len({s.equipment.fixed_ip for s in world.servers}) == 1_002
    assert 3_000 <= actions <= 3_010  # plus the deleted servers' lives
    assert server_names(10)[8:] == ["web-04", "api-02"]


def test_a_project_needs_a_server() -> None:
    """Zero servers is refused with a clear error."""
    with pytest.raises(ValueError, match="at least one server"):
        OpenStackWorld(seed=3, anchor=1.8e9, servers=0)


# -- paging ------------------------------------------------------------------------


@pytest.mark.parametrize(("limit", "pages"), [(300, 9), (500, 6), (1000, 3)])
def test_paging_returns_each_server_once_and_ends(
    admin: Nova, big: Simulator, limit: int, pages: int
) -> None:
    """``limit``/``marker`` over 2,500 servers: every live server once, then the end.

    A full last page still links on, to an empty page without a link (Nova).
    """
    big.reset_counts()
    got = admin.follow("/servers", limit=limit)
    ids = [server["id"] for page in got for server in page]
    live = {s.id for s in big.openstack_api.world.servers if s.deleted_us is None}
    assert len(got) == pages
    assert len(ids) == len(set(ids)) == SERVERS
    assert set(ids) == live
    assert all(len(page) == limit for page in got[:-1])
    assert big.requests_by_family()["openstack"] == {SERVERS_FAMILY: pages}


def test_limit_is_capped_at_max_limit(admin: Nova) -> None:
    """No ``limit`` or one above 1,000 gives 1,000 servers and a ``next`` link."""
    params: list[dict[str, Any]] = [{}, {"limit": 5000}]
    for query in params:
        body = admin.json("/servers", **query)
        assert len(body["servers"]) == 1000
        assert body["servers_links"][0]["rel"] == "next"


def test_detail_pages_like_the_short_list(admin: Nova) -> None:
    """``/servers/detail`` pages in the same order, linking to ``servers/detail``."""
    brief = admin.json("/servers", limit=700)
    detail = admin.json("/servers/detail", limit=700)
    assert [s["id"] for s in detail["servers"]] == [s["id"] for s in brief["servers"]]
    assert urlsplit(detail["servers_links"][0]["href"]).path.endswith("/v2.1/servers/detail")


def test_next_link_is_built_as_nova_builds_it(admin: Nova, big: Simulator) -> None:
    """The query sorted by name, ``marker`` replaced in place or appended last."""
    first = admin.json("/servers", limit=2, name="web")
    last = first["servers"][-1]["id"]
    second = admin.json("/servers", limit=2, name="web", marker=last)
    url = big.openstack_api.compute_url
    assert first["servers_links"][0]["href"] == f"{url}/servers?limit=2&name=web&marker={last}"
    after = second["servers"][-1]["id"]
    assert second["servers_links"][0]["href"] == (f"{url}/servers?limit=2&marker={after}&name=web")


def test_next_link_keeps_a_project_id_in_the_url(admin: Nova, big: Simulator) -> None:
    """Asked under ``/v2.1/{project_id}``, the link keeps the project id."""
    project = big.openstack_api.world.identity.project_id
    body = admin.json(f"/{project}/servers", limit=1)
    assert body["servers_links"][0]["href"].startswith(f"{admin.url}/{project}/servers?limit=1")


def test_marker_may_be_a_deleted_server(admin: Nova, big: Simulator) -> None:
    """Nova reads the marker with deleted rows: paging after a deleted server works."""
    world = big.openstack_api.world
    gone = next(s for s in world.servers if s.deleted_us is not None)
    after = [s for page in admin.follow("/servers", marker=gone.id) for s in page]
    ids = [s["id"] for page in admin.follow("/servers") for s in page]
    older = [s.id for s in world.servers if s.deleted_us is None and s.created_us < gone.created_us]
    assert {s["id"] for s in after} == set(older)
    assert [s["id"] for s in after] == [i for i in ids if i in set(older)]


@pytest.mark.parametrize(
    ("version", "params", "text"),
    [
        ("2.90", {"marker": "nope"}, "marker [nope] not found"),
        ("2.1", {"marker": "nope"}, "marker [nope] not found"),
        ("2.90", {"limit": "-1"}, "Invalid input for query parameters limit. Value: -1."),
        ("2.90", {"limit": "ten"}, "Invalid input for query parameters limit. Value: ten."),
        (
            "2.90",
            {"changes-since": "yesterday"},
            "Invalid input for query parameters changes-since. Value: yesterday.",
        ),
        (
            "2.66",
            {"changes-before": "2026-13-01T00:00:00Z"},
            "Invalid input for query parameters changes-before.",
        ),
        (
            "2.66",
            {"changes-since": "2026-03-14T00:00:00Z", "changes-before": "2026-03-13T00:00:00Z"},
            "The value of changes-since must be less than or equal to changes-before.",
        ),
    ],
)
def test_bad_list_queries_are_400(
    admin: Nova, version: str, params: dict[str, str], text: str
) -> None:
    """A bad marker, limit or time is Nova's ``badRequest`` on both lists."""
    for path in ("/servers", "/servers/detail"):
        response = admin.get(path, version, **params)
        assert response.status_code == 400
        assert response.json()["badRequest"]["message"].startswith(text)


def test_changes_before_is_ignored_before_266(admin: Nova) -> None:
    """Nova's schema strips ``changes-before`` below 2.66: the list is the plain one."""
    plain = admin.json("/servers", "2.65")
    ignored = admin.json("/servers", "2.65", **{"changes-before": "1970-01-02T00:00:00Z"})
    bounded = admin.json("/servers", "2.66", **{"changes-before": "1970-01-02T00:00:00Z"})
    assert ignored["servers"] == plain["servers"]
    assert bounded == {"servers": []}


# -- changes-since -------------------------------------------------------------------


def test_changes_since_lists_exactly_the_servers_whose_actions_moved(
    client: httpx.Client, small: Simulator
) -> None:
    """After the clock moves, ``changes-since`` lists the servers with an action that
    started, stepped or ended since -- read back from each server's own actions."""
    nova = Nova(client, small)
    assert isinstance(small.clock, FrozenClock)
    since_us = round(small.clock.now() * US) + 1
    small.clock.advance(900)
    changed = {
        s["id"] for s in nova.json("/servers/detail", **{"changes-since": iso(since_us)})["servers"]
    }
    expected = set()
    for server in nova.json("/servers", **{"changes-since": "1970-01-01T00:00:00Z"})["servers"]:
        actions = nova.json(f"/servers/{server['id']}/os-instance-actions")["instanceActions"]
        for action in actions:
            moments = (naive_us(action["start_time"]), naive_us(action["updated_at"]))
            if any(m is not None and m >= since_us for m in moments):
                expected.add(server["id"])
    assert len(expected) >= 5  # arrivals every 30-90 s, and the actions running at the start
    assert changed == expected


def _moments(plan: ActionPlan) -> list[int]:
    rows = [(r.start_us, r.finish_us, r.rewrite_us) for r in plan.events]
    return [plan.start_us] + [m for row in rows for m in row if m is not None]


def test_a_new_action_moves_only_its_servers_updated(
    client: httpx.Client, small: Simulator
) -> None:
    """Just before and just after an action arrives, only its server's ``updated`` differs."""
    world = small.openstack_api.world
    assert isinstance(small.clock, FrozenClock)
    anchor_us = round(small.clock.now() * US)
    horizon = anchor_us + 3600 * US
    plans = [p for s in world.servers for p in world.actions(s.id, horizon)]
    busy = sorted(m for p in plans for m in _moments(p))
    arrival = next(
        p
        for p in sorted(plans, key=lambda p: p.start_us)
        if p.start_us > anchor_us
        and not [m for m in busy if abs(m - p.start_us) < 2 * US and m != p.start_us]
    )
    nova = Nova(client, small)
    small.clock.advance((arrival.start_us - anchor_us) / US - 0.5)
    before = nova.updated(**{"changes-since": "1970-01-01T00:00:00Z"})
    quiet = nova.json("/servers", **{"changes-since": iso(arrival.start_us - 400_000)})
    small.clock.advance(1.0)
    after = nova.updated(**{"changes-since": "1970-01-01T00:00:00Z"})
    moved = nova.json("/servers", **{"changes-since": iso(arrival.start_us)})["servers"]
    assert quiet == {"servers": []}
    assert {key for key in after if after[key] != before[key]} == {arrival.server_id}
    expected = datetime.fromtimestamp(arrival.start_us // US, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert after[arrival.server_id] == expected
    assert [s["id"] for s in moved] == [arrival.server_id]


def test_change_filters_list_deleted_servers_for_everyone(
    client: httpx.Client, small: Simulator
) -> None:
    """``changes-since`` brings deleted servers back, to readers too; an admin's
    ``deleted=false`` keeps them out."""
    admin, viewer = Nova(client, small), Nova(client, small, "viewer")
    epoch = {"changes-since": "1970-01-01T00:00:00Z"}
    names = {s["name"] for s in viewer.json("/servers/detail", **epoch)["servers"]}
    live = {s["name"] for s in admin.json("/servers/detail", deleted="false", **epoch)["servers"]}
    assert {"web-03", "tmp-build-01"} <= names
    assert len(names) == 42
    assert live == names - {"web-03", "tmp-build-01"}


# -- request accounting ------------------------------------------------------------


def test_requests_are_counted_per_path_family(client: httpx.Client, small: Simulator) -> None:
    """Each API counts its requests by route (named parts as ``{name}``), unrouted too."""
    small.reset_counts()
    nova = Nova(client, small)
    servers = nova.json("/servers", limit=3)["servers"]
    for server in servers:
        nova.json(f"/servers/{server['id']}/os-instance-actions")
    nova.get("/no-such-thing")
    counts = small.requests_by_family()["openstack"]
    assert counts == {
        "/identity/v3/auth/tokens": 1,
        SERVERS_FAMILY: 1,
        ACTIONS_FAMILY: 3,
        "(unrouted)": 1,
    }
    assert small.openstack.requests == 6
    small.reset_counts()
    assert small.requests_by_family()["openstack"] == {}
    assert small.openstack.requests == 0
