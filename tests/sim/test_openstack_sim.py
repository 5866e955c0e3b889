"""The simulated Keystone v3 + Nova os-instance-actions, over real loopback HTTP."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from keystoneauth1 import session as ksa_session
from keystoneauth1.identity import generic, v3

from tests.helpers.sim import deterministic_sim
from tui.sim import FrozenClock, Simulator
from tui.sim.http import ApiServer
from tui.sim.openstack.api import OpenStackApi
from tui.sim.openstack.catalog import failure_for, format_traceback

NAIVE_MICROS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")

ACTION_KEYS_21 = {
    "action",
    "instance_uuid",
    "message",
    "project_id",
    "request_id",
    "start_time",
    "user_id",
}
EVENT_KEYS_21 = {"event", "start_time", "finish_time", "result"}

_CLIENTS: list[httpx.Client] = []
"""The module's one keep-alive client, made on first use (new clients cost a TLS context each)."""


def http() -> httpx.Client:
    """The module's shared client."""
    if not _CLIENTS:
        _CLIENTS.append(httpx.Client())
    return _CLIENTS[0]


def password_body(
    api: OpenStackApi, *, user: str = "demo", password: str | None = None
) -> dict[str, Any]:
    """A Keystone v3 password request scoped to the demo project by name."""
    return {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": user,
                        "domain": {"name": "Default"},
                        "password": api.password if password is None else password,
                    }
                },
            },
            "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}},
        }
    }


def issue(sim: Simulator, *, user: str = "demo") -> str:
    """A fresh token for ``user``."""
    api = sim.openstack_api
    response = http().post(f"{api.auth_url}/auth/tokens", json=password_body(api, user=user))
    assert response.status_code == 201
    return response.headers["X-Subject-Token"]


class Compute:
    """A tiny Nova client for the tests: one token, one microversion."""

    def __init__(self, sim: Simulator, *, user: str = "demo", version: str | None = "2.90"):
        self.url = sim.openstack_api.compute_url
        self.headers = {"X-Auth-Token": issue(sim, user=user)}
        if version is not None:
            self.headers["OpenStack-API-Version"] = f"compute {version}"

    def get(self, path: str, **params: Any) -> httpx.Response:
        """GET ``path`` under the compute endpoint."""
        return http().get(f"{self.url}{path}", headers=self.headers, params=params)

    def json(self, path: str, **params: Any) -> Any:
        """GET and decode, asserting success."""
        response = self.get(path, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def servers(self, **params: Any) -> list[dict[str, Any]]:
        """The listed servers."""
        return list(self.json("/servers", **params)["servers"])

    def actions(self, server_id: str, **params: Any) -> list[dict[str, Any]]:
        """One server's listed actions."""
        return list(
            self.json(f"/servers/{server_id}/os-instance-actions", **params)["instanceActions"]
        )

    def show(self, server_id: str, request_id: str) -> dict[str, Any]:
        """One action with events."""
        path = f"/servers/{server_id}/os-instance-actions/{request_id}"
        return dict(self.json(path)["instanceAction"])


@pytest.fixture(scope="module", autouse=True)
def _close_http() -> Iterator[None]:
    """Close the module's client after its last test."""
    yield
    while _CLIENTS:
        _CLIENTS.pop().close()


@pytest.fixture(scope="module")
def admin(sim: Simulator) -> Compute:
    """The admin demo user at the newest microversion."""
    return Compute(sim)


@pytest.fixture(scope="module")
def all_details(sim: Simulator, admin: Compute) -> list[dict[str, Any]]:
    """Every action of every server (live and deleted), with events."""
    servers = admin.servers(**{"changes-since": "1970-01-01T00:00:00Z"})
    return [
        admin.show(server["id"], action["request_id"])
        for server in servers
        for action in admin.actions(server["id"])
    ]


# -- Keystone ------------------------------------------------------------------


def test_identity_version_documents(sim: Simulator) -> None:
    """Both discovery documents name v3 and link to it."""
    root = httpx.get(f"{sim.openstack.url}/identity")
    v3_doc = httpx.get(sim.auth_url).json()["version"]
    assert root.status_code == 300
    [entry] = root.json()["versions"]["values"]
    assert entry["id"] == v3_doc["id"] == "v3.14"
    assert v3_doc["status"] == "stable"
    assert v3_doc["links"][0]["href"] == f"{sim.auth_url}/"


def test_password_token_has_catalog_and_lifetime(sim: Simulator) -> None:
    """A scoped password token: 201, header token, an hour of life, compute in the catalog."""
    api = sim.openstack_api
    response = httpx.post(f"{api.auth_url}/auth/tokens", json=password_body(api))
    token = response.json()["token"]
    issued = datetime.fromisoformat(token["issued_at"].replace("Z", "+00:00"))
    expires = datetime.fromisoformat(token["expires_at"].replace("Z", "+00:00"))
    assert response.status_code == 201
    assert response.headers["X-Subject-Token"].startswith("gAAAAAB")
    assert (expires - issued).total_seconds() == 3600
    assert token["expires_at"].endswith("Z")
    compute = next(entry for entry in token["catalog"] if entry["type"] == "compute")
    urls = {(e["interface"], e["region_id"]): e["url"] for e in compute["endpoints"]}
    assert urls[("public", "RegionOne")] == api.compute_url == f"{sim.openstack.url}/compute/v2.1"
    assert {role["name"] for role in token["roles"]} >= {"admin"}


def test_password_by_ids_and_viewer(sim: Simulator) -> None:
    """User and project ids work too; the viewer has no admin role."""
    api = sim.openstack_api
    ident = api.world.identity
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"id": ident.viewer_id, "password": api.password}},
            },
            "scope": {"project": {"id": ident.project_id}},
        }
    }
    token = httpx.post(f"{api.auth_url}/auth/tokens", json=body).json()["token"]
    assert token["user"]["name"] == "viewer"
    assert "admin" not in {role["name"] for role in token["roles"]}


def test_application_credential_token(sim: Simulator) -> None:
    """An application credential needs no scope and is bound to the demo project."""
    api = sim.openstack_api
    body = {
        "auth": {
            "identity": {
                "methods": ["application_credential"],
                "application_credential": {
                    "id": api.app_credential_id,
                    "secret": api.app_credential_secret,
                },
            }
        }
    }
    response = httpx.post(f"{api.auth_url}/auth/tokens", json=body)
    token = response.json()["token"]
    assert response.status_code == 201
    assert token["application_credential"]["id"] == api.app_credential_id
    assert token["project"]["name"] == "demo"


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(
            lambda b: b["auth"]["identity"]["password"]["user"].update(password="x"), id="password"
        ),
        pytest.param(
            lambda b: b["auth"]["identity"]["password"]["user"].update(name="eve"), id="user"
        ),
        pytest.param(lambda b: b["auth"]["scope"]["project"].update(name="other"), id="project"),
        pytest.param(lambda b: b["auth"]["identity"].update(methods=["totp"]), id="method"),
    ],
)
def test_wrong_credentials_are_401(sim: Simulator, mutate: Any) -> None:
    """Anything wrong is Keystone's 401 error body."""
    body = password_body(sim.openstack_api)
    mutate(body)
    response = httpx.post(f"{sim.auth_url}/auth/tokens", json=body)
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": 401,
            "title": "Unauthorized",
            "message": "The request you have made requires authentication.",
        }
    }


def test_token_validation(sim: Simulator) -> None:
    """``GET /v3/auth/tokens`` shows a valid subject token and 404s an unknown one."""
    token = issue(sim)
    url = f"{sim.auth_url}/auth/tokens"
    good = httpx.get(url, headers={"X-Auth-Token": token, "X-Subject-Token": token})
    bad = httpx.get(url, headers={"X-Auth-Token": token, "X-Subject-Token": "nope"})
    assert good.status_code == 200
    assert good.json()["token"]["user"]["name"] == "demo"
    assert bad.status_code == 404


def test_keystoneauth_discovers_and_finds_compute(sim: Simulator) -> None:
    """keystoneauth1's generic plugin (with discovery) and the v3 app-credential plugin work."""
    api = sim.openstack_api
    password = generic.Password(
        auth_url=f"{sim.openstack.url}/identity",
        username="demo",
        password=api.password,
        project_name="demo",
        user_domain_name="Default",
        project_domain_name="Default",
    )
    app = v3.ApplicationCredential(
        auth_url=api.auth_url,
        application_credential_id=api.app_credential_id,
        application_credential_secret=api.app_credential_secret,
    )
    for plugin in (password, app):
        session = ksa_session.Session(auth=plugin)
        assert session.get_endpoint(service_type="compute", interface="public") == api.compute_url


# -- Nova: auth and microversions ------------------------------------------------


def test_compute_requires_a_valid_token(sim: Simulator) -> None:
    """No or bad token: keystonemiddleware's 401 with ``WWW-Authenticate``."""
    response = httpx.get(f"{sim.openstack_api.compute_url}/servers", headers={"X-Auth-Token": "x"})
    assert response.status_code == 401
    assert response.json()["error"]["title"] == "Unauthorized"
    assert response.headers["WWW-Authenticate"].startswith('Keystone uri="')


def test_compute_version_documents(sim: Simulator) -> None:
    """Root and v2.1 documents advertise 2.1 .. 2.90 without a token."""
    url = f"{sim.openstack.url}/compute"
    current = httpx.get(f"{url}/v2.1").json()["version"]
    listed = {v["id"]: v for v in httpx.get(url).json()["versions"]}
    assert (current["min_version"], current["version"]) == ("2.1", "2.90")
    assert listed["v2.1"]["status"] == "CURRENT"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "2.1"),
        ({"X-OpenStack-Nova-API-Version": "2.58"}, "2.58"),
        ({"OpenStack-API-Version": "compute 2.66"}, "2.66"),
        ({"OpenStack-API-Version": "compute 2.70", "X-OpenStack-Nova-API-Version": "2.3"}, "2.70"),
        ({"OpenStack-API-Version": "volume 3.1, compute latest"}, "2.90"),
    ],
)
def test_microversion_negotiation(sim: Simulator, headers: dict[str, str], expected: str) -> None:
    """The newer header wins; none means 2.1; ``latest`` the maximum; both echoed."""
    token = issue(sim)
    response = httpx.get(
        f"{sim.openstack_api.compute_url}/servers", headers={"X-Auth-Token": token, **headers}
    )
    assert response.status_code == 200
    assert response.headers["OpenStack-API-Version"] == f"compute {expected}"
    assert response.headers["X-OpenStack-Nova-API-Version"] == expected


@pytest.mark.parametrize(("value", "status"), [("2.91", 406), ("3.0", 406), ("two", 400)])
def test_unsupported_microversions(sim: Simulator, value: str, status: int) -> None:
    """Out of range is 406 (``computeFault``), malformed is 400."""
    response = Compute(sim, version=value).get("/servers")
    assert response.status_code == status
    if status == 406:
        message = response.json()["computeFault"]["message"]
        assert (
            message
            == f"Version {value} is not supported by the API. Minimum is 2.1 and maximum is 2.90."
        )


# -- Nova: servers ----------------------------------------------------------------


def test_servers_live_deleted_and_name_filter(sim: Simulator, admin: Compute) -> None:
    """Live servers by default; ``changes-since`` adds deleted ones; ``name`` is a regex."""
    live = {s["name"] for s in admin.servers()}
    everything = {s["name"] for s in admin.servers(**{"changes-since": "1970-01-01T00:00:00Z"})}
    assert len(live) == 8
    assert everything - live == {"web-03", "tmp-build-01"}
    assert {s["name"] for s in admin.servers(name="^db-")} == {"db-01", "db-02"}


def test_deleted_server_actions_need_221(sim: Simulator) -> None:
    """A deleted server's actions are readable from 2.21; before, the server is unknown."""
    new, old = Compute(sim, version="2.21"), Compute(sim, version="2.20")
    deleted = next(
        s
        for s in new.json("/servers/detail", **{"changes-since": "1970-01-01"})["servers"]
        if s["status"] == "DELETED"
    )
    actions = new.actions(deleted["id"])
    assert actions[0]["action"] == "delete"
    assert old.get(f"/servers/{deleted['id']}/os-instance-actions").status_code == 404
    assert new.get(f"/servers/{deleted['id']}").status_code == 404


# -- Nova: instance actions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "extra"),
    [("2.1", set()), ("2.57", set()), ("2.58", {"updated_at"}), ("2.90", {"updated_at"})],
)
def test_listed_fields_per_microversion(sim: Simulator, version: str, extra: set[str]) -> None:
    """Listed actions carry exactly the keys of their microversion."""
    compute = Compute(sim, version=version)
    server = compute.servers()[0]
    for action in compute.actions(server["id"]):
        assert set(action) == ACTION_KEYS_21 | extra


@pytest.mark.parametrize(
    ("version", "user", "event_keys"),
    [
        ("2.1", "demo", EVENT_KEYS_21 | {"traceback"}),
        ("2.1", "viewer", None),
        ("2.51", "viewer", EVENT_KEYS_21),
        ("2.62", "viewer", EVENT_KEYS_21 | {"hostId"}),
        ("2.62", "demo", EVENT_KEYS_21 | {"traceback", "hostId", "host"}),
        ("2.84", "viewer", EVENT_KEYS_21 | {"hostId"}),
        ("2.84", "demo", EVENT_KEYS_21 | {"traceback", "hostId", "host", "details"}),
    ],
)
def test_event_fields_per_microversion_and_role(
    sim: Simulator, version: str, user: str, event_keys: set[str] | None
) -> None:
    """Events: admin-only before 2.51; traceback/host/details for admins only."""
    compute = Compute(sim, user=user, version=version)
    server = compute.servers()[0]
    request_id = compute.actions(server["id"])[-1]["request_id"]
    shown = compute.show(server["id"], request_id)
    if event_keys is None:
        assert "events" not in shown
        return
    assert shown["events"]
    for event in shown["events"]:
        assert set(event) == event_keys


def test_paging_with_limit_and_marker(sim: Simulator, admin: Compute) -> None:
    """Full pages carry a ``next`` link whose marker continues exactly after the page."""
    server = admin.servers()[0]["id"]
    everything = admin.actions(server)
    first = admin.json(f"/servers/{server}/os-instance-actions", limit=3)
    marker = first["instanceActions"][-1]["request_id"]
    second = admin.actions(server, limit=3, marker=marker)
    assert [a["request_id"] for a in first["instanceActions"] + second] == [
        a["request_id"] for a in everything[:6]
    ]
    assert f"marker={marker}" in first["links"][0]["href"]
    assert [a["start_time"] for a in everything] == sorted(
        (a["start_time"] for a in everything), reverse=True
    )


def test_last_full_page_links_to_an_empty_one(sim: Simulator, admin: Compute) -> None:
    """As in Nova, a page exactly as long as ``limit`` links on even when nothing follows."""
    server = admin.servers()[0]["id"]
    count = len(admin.actions(server))
    body = admin.json(f"/servers/{server}/os-instance-actions", limit=count)
    marker = body["instanceActions"][-1]["request_id"]
    assert body["links"][0]["rel"] == "next"
    assert admin.actions(server, limit=count, marker=marker) == []


@pytest.mark.parametrize(
    ("version", "params", "fragment"),
    [
        ("2.58", {"marker": "req-unknown"}, "Marker req-unknown could not be found."),
        ("2.58", {"limit": "-1"}, "limit"),
        ("2.58", {"bogus": "1"}, "'bogus' was unexpected"),
        ("2.58", {"changes-before": "2026-01-01T00:00:00"}, "'changes-before' was unexpected"),
        ("2.66", {"changes-since": "2026-03-14T00:00:00", "changes-before": "2026-03-13T00:00:00"},
         "must be less than or equal to changes-before"),
        ("2.58", {"changes-since": "yesterday"}, "changes-since"),
    ],
)  # fmt: skip
def test_bad_list_queries_are_400(
    sim: Simulator, version: str, params: dict[str, str], fragment: str
) -> None:
    """Nova's strict query validation from 2.58 on."""
    compute = Compute(sim, version=version)
    server = compute.servers()[0]["id"]
    response = compute.get(f"/servers/{server}/os-instance-actions", **params)
    assert response.status_code == 400
    assert fragment in response.json()["badRequest"]["message"]


def test_unknown_query_ignored_before_258(sim: Simulator) -> None:
    """Legacy requests ignore query parameters altogether."""
    compute = Compute(sim, version="2.57")
    server = compute.servers()[0]["id"]
    assert compute.actions(server, bogus="1", limit="1") == compute.actions(server)


def test_changes_since_and_before_filter_on_updated_at(sim: Simulator, admin: Compute) -> None:
    """``changes-since``/``changes-before`` bound ``updated_at``; null never matches."""
    server = admin.servers()[0]["id"]
    everything = admin.actions(server)
    stamps = sorted(a["updated_at"] for a in everything if a["updated_at"])
    middle = stamps[len(stamps) // 2]
    since = admin.actions(server, **{"changes-since": middle})
    before = admin.actions(server, **{"changes-before": middle})
    assert {a["updated_at"] for a in since} == {s for s in stamps if s >= middle}
    assert {a["updated_at"] for a in before} == {s for s in stamps if s <= middle}


def test_unknown_server_and_action_are_404(sim: Simulator, admin: Compute) -> None:
    """Nova's ``itemNotFound`` for both."""
    server = admin.servers()[0]["id"]
    missing_server = admin.get("/servers/nope/os-instance-actions")
    missing_action = admin.get(f"/servers/{server}/os-instance-actions/req-nope")
    assert missing_server.json()["itemNotFound"]["message"] == "Instance nope could not be found."
    assert missing_action.status_code == 404
    assert "req-nope" in missing_action.json()["itemNotFound"]["message"]


# -- the world ------------------------------------------------------------------------


def test_world_has_failures_with_tracebacks(all_details: list[dict[str, Any]]) -> None:
    """Some events fail with a Nova traceback and details; the action says ``Error``."""
    failed = [
        (action, event)
        for action in all_details
        for event in action["events"]
        if event["result"] == "Error"
    ]
    assert failed
    action, event = failed[0]
    assert action["message"] == "Error"
    assert event["traceback"].startswith('  File "/usr/lib/python3/dist-packages/nova/')
    assert event["traceback"].count("\n") >= 4
    assert event["details"]


@pytest.mark.parametrize(
    ("event", "entry", "foreign"),
    [
        ("compute_start_instance", "in start_instance", "in reboot_instance"),
        ("compute_reboot_instance", "in reboot_instance", "in start_instance"),
        ("compute_live_migration", "in _do_live_migration", "in reboot_instance"),
    ],
)
def test_a_traceback_is_of_its_own_event(event: str, entry: str, foreign: str) -> None:
    """A failed start fails in ``start_instance`` (via libvirt's ``power_on``), not in reboot."""
    text = format_traceback(failure_for(event))
    assert entry in text and foreign not in text


def test_a_success_carries_a_traceback_only_when_a_retry_rewrote_it(
    all_details: list[dict[str, Any]],
) -> None:
    """Nova writes a traceback only with ``Error``; a later ``Success`` finish of the same name
    updates the first row without clearing it (``pack_action_event_finish`` sets no traceback
    on success), which is the one way a ``Success`` row has a traceback."""
    seen = 0
    for action in all_details:
        for event in action["events"]:
            if event["result"] == "Success" and event.get("traceback"):
                seen += 1
                later = [
                    other
                    for other in action["events"]
                    if other["event"] == event["event"]
                    and other["start_time"] > event["start_time"]
                ]
                assert later and all(other["finish_time"] is None for other in later)
                assert action["message"] == "Error"
    assert seen >= 1


def test_world_has_both_retry_shapes(all_details: list[dict[str, Any]]) -> None:
    """Clean retries (Error then Success) and Nova's never-finishing duplicate row."""
    clean = quirk = 0
    for action in all_details:
        by_name: dict[str, list[dict[str, Any]]] = {}
        for event in sorted(action["events"], key=lambda e: e["start_time"]):
            by_name.setdefault(event["event"], []).append(event)
        for rows in by_name.values():
            results = [row["result"] for row in rows]
            clean += len(rows) > 1 and results[0] == "Error" and results[-1] == "Success"
            quirk += (
                len(rows) == 2
                and results == ["Success", None]
                and rows[0]["finish_time"] > rows[1]["start_time"]
            )
    assert clean >= 2  # two- and three-attempt retries
    assert quirk >= 1


def test_world_edge_shapes(all_details: list[dict[str, Any]]) -> None:
    """Event-less kinds, null ids, in-flight events, naive microsecond timestamps."""
    assert any(a["action"] == "lock" and a["events"] == [] for a in all_details)
    assert any(a["user_id"] is None and a["project_id"] is None for a in all_details)
    assert any(e["finish_time"] is None for a in all_details for e in a["events"])
    assert all(a["message"] in (None, "Error") for a in all_details)
    stamps = [a["start_time"] for a in all_details] + [
        e["start_time"] for a in all_details for e in a["events"]
    ]
    assert all(NAIVE_MICROS.match(stamp) for stamp in stamps)


def test_world_has_young_actions_without_events(all_details: list[dict[str, Any]]) -> None:
    """An action so young that no event exists yet: ``updated_at`` is null."""
    young = [
        a
        for a in all_details
        if not a["events"] and a["action"] != "lock" and a["action"] != "unlock"
    ]
    assert young
    assert all(a["updated_at"] is None for a in young)


def test_default_world_size(all_details: list[dict[str, Any]]) -> None:
    """About a hundred actions by default."""
    assert len(all_details) == 100


# -- determinism and time ----------------------------------------------------------------


def dump(simulator: Simulator) -> str:
    """Every list and detail of a simulator as one JSON text."""
    compute = Compute(simulator)
    out = []
    for server in compute.servers(**{"changes-since": "1970-01-01T00:00:00Z"}):
        for action in compute.actions(server["id"]):
            out.append(compute.show(server["id"], action["request_id"]))
    return json.dumps(out, sort_keys=True)


@pytest.fixture
def twin() -> Iterator[Simulator]:
    """A second simulator with the shared one's seed and clock reading."""
    with deterministic_sim() as simulator:
        yield simulator


def test_same_seed_same_clock_same_json(sim: Simulator, twin: Simulator) -> None:
    """The world is a pure function of (seed, clock)."""
    assert dump(sim) == dump(twin)


def test_other_seed_other_world(sim: Simulator) -> None:
    """A different seed gives a different world."""
    with deterministic_sim(8) as other:
        assert dump(other) != dump(sim)


def test_actions_progress_and_arrive(fresh_sim: Simulator) -> None:
    """Running events finish, ``updated_at`` moves and new actions arrive as time passes."""
    compute = Compute(fresh_sim)
    before = {
        (s["id"], a["request_id"]): a for s in compute.servers() for a in compute.actions(s["id"])
    }
    unfinished = sum(
        e["finish_time"] is None
        for (server, request), _ in before.items()
        for e in compute.show(server, request)["events"]
    )
    assert isinstance(fresh_sim.clock, FrozenClock)
    fresh_sim.clock.advance(1800)
    after = {
        (s["id"], a["request_id"]): a for s in compute.servers() for a in compute.actions(s["id"])
    }
    moved = [key for key, old in before.items() if after[key]["updated_at"] != old["updated_at"]]
    assert unfinished >= 3
    assert len(after) > len(before)
    assert moved


def test_expire_tokens_fault_forces_a_new_token(fresh_sim: Simulator) -> None:
    """Every token issued before the fault is refused; a new one works."""
    compute = Compute(fresh_sim)
    assert compute.get("/servers").status_code == 200
    fresh_sim.openstack.faults.update(expire_tokens=True)
    refused = compute.get("/servers")
    compute.headers["X-Auth-Token"] = issue(fresh_sim)
    assert refused.status_code == 401
    assert compute.get("/servers").status_code == 200


def test_tokens_expire_after_an_hour_of_sim_time(fresh_sim: Simulator) -> None:
    """Token life is measured on the simulator's clock."""
    compute = Compute(fresh_sim)
    assert isinstance(fresh_sim.clock, FrozenClock)
    fresh_sim.clock.advance(3599)
    assert compute.get("/servers").status_code == 200
    fresh_sim.clock.advance(2)
    assert compute.get("/servers").status_code == 401


def test_older_cloud_knob(fresh_sim: Simulator) -> None:
    """``max_microversion`` makes the simulator an older cloud."""
    fresh_sim.openstack_api.max_microversion = "2.1"
    doc = httpx.get(f"{fresh_sim.openstack_api.compute_url}").json()["version"]
    assert doc["version"] == "2.1"
    assert Compute(fresh_sim, version="2.2").get("/servers").status_code == 406


def test_large_world_answers_quickly() -> None:
    """25,000 actions: a page of one server's list comes back fast."""
    clock = FrozenClock()
    server = ApiServer("openstack-large")
    api = OpenStackApi(
        seed=3, clock=clock, actions=25_000, base_url=server.url, faults=server.faults
    )
    for route in api.routes():
        server.add_route(route)
    server.start()
    try:
        token = httpx.post(f"{api.auth_url}/auth/tokens", json=password_body(api)).headers[
            "X-Subject-Token"
        ]
        headers = {"X-Auth-Token": token, "OpenStack-API-Version": "compute 2.90"}
        servers = httpx.get(f"{api.compute_url}/servers", headers=headers).json()["servers"]
        started = time.perf_counter()
        url = f"{api.compute_url}/servers/{servers[0]['id']}/os-instance-actions"
        page = httpx.get(url, headers=headers, params={"limit": 1000}).json()
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
    assert len(page["instanceActions"]) == 1000
    assert page["links"][0]["rel"] == "next"
    assert elapsed < 2.0
