"""The simulated Redis Enterprise REST API, over real HTTP: shapes, quirks, time, faults.

Everything runs on a frozen clock: the world is a pure function of the seed
and the clock, so assertions name exact shards and exact behaviour.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.sim import FrozenClock, Simulator
from tui.sim.http import ApiServer
from tui.sim.redis_enterprise.api import RedisEnterpriseApi
from tui.sim.redis_enterprise.plan import MAX_RANDOM_LIFE, RETENTION
from tui.sim.redis_enterprise.world import arrival_plans, initial_plans, scripted_plans

STATUSES = {"pending", "queued", "starting", "active", "running", "cancelling"}
STATUSES |= {"completed", "failed", "cancelled"}
V2_ONLY = {"backup", "export", "import"}


def advance(simulator: Simulator, seconds: float) -> float:
    """Move a private simulator's frozen clock."""
    clock = simulator.clock
    assert isinstance(clock, FrozenClock)
    return clock.advance(seconds)


@pytest.fixture
def client(sim: Simulator) -> Iterator[httpx.Client]:
    """An authenticated client of the shared simulator."""
    creds = sim.credentials
    auth = (creds.redis_username, creds.redis_password)
    with httpx.Client(base_url=sim.redis_url, auth=auth) as http:
        yield http


@pytest.fixture
def fresh_client(fresh_sim: Simulator) -> Iterator[httpx.Client]:
    """An authenticated client of a private simulator."""
    creds = fresh_sim.credentials
    auth = (creds.redis_username, creds.redis_password)
    with httpx.Client(base_url=fresh_sim.redis_url, auth=auth) as http:
        yield http


def v1(http: httpx.Client) -> dict[str, list[dict[str, Any]]]:
    """``GET /v1/actions``, checked to be 200."""
    response = http.get("/v1/actions")
    assert response.status_code == 200, response.text
    body: dict[str, list[dict[str, Any]]] = response.json()
    return body


def upgrade(body: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The scripted database upgrade of ``bdb:3``."""
    [found] = [
        sm
        for sm in body["state-machines"]
        if sm["name"] == "SMUpgradeBDB" and sm["object_name"] == "bdb:3" and sm["pending_ops"]
    ]
    return found


# -- authentication -------------------------------------------------------------


@pytest.mark.parametrize(
    "auth",
    [None, ("admin@example.com", "wrong"), ("someone@example.com", "sim-redis-password")],
    ids=["none", "wrong-password", "wrong-user"],
)
def test_requests_without_valid_credentials_get_401_json(
    sim: Simulator, auth: tuple[str, str] | None
) -> None:
    response = httpx.get(f"{sim.redis_url}/v1/actions", auth=auth)
    assert response.status_code == 401
    assert response.json()["error_code"] == "unauthorized"
    assert response.headers["www-authenticate"].startswith("Basic")


def test_a_garbled_authorization_header_gets_401(sim: Simulator) -> None:
    response = httpx.get(f"{sim.redis_url}/v1/actions", headers={"Authorization": "Basic %%%"})
    assert response.status_code == 401


# -- shapes and wire quirks -----------------------------------------------------


def test_v1_list_is_an_object_with_tasks_and_state_machines(client: httpx.Client) -> None:
    body = v1(client)
    assert set(body) == {"actions", "state-machines"}
    assert body["actions"] and body["state-machines"]
    for action in body["actions"] + body["state-machines"]:
        assert {"action_uid", "name", "status"} <= set(action)
        assert action["status"] in STATUSES


def test_v1_tasks_carry_the_real_wire_quirks(client: httpx.Client) -> None:
    for task in v1(client)["actions"]:
        assert isinstance(task["progress"], str) and task["progress"].isdigit()
        assert isinstance(task["node_uid"], str)
        assert isinstance(task["creation_time"], str) and task["creation_time"].isdigit()
        assert task["task_id"] == task["action_uid"]
    assert any(task["progress"] == "100" for task in v1(client)["actions"])


def test_state_machines_have_heartbeat_object_name_and_state(client: httpx.Client) -> None:
    machines = v1(client)["state-machines"]
    assert any("progress" not in sm for sm in machines), "one machine omits progress, as seen live"
    for sm in machines:
        assert isinstance(sm["heartbeat"], int)
        assert sm["object_name"].startswith("bdb:")
        assert isinstance(sm["pending_ops"], dict)
        assert sm["status"] == "pending" or "state" in sm
    states = {sm.get("state") for sm in machines}
    assert {"proxy_policy", "upgrade_shards", "migrate_shards"} <= states


def test_the_upgrade_runs_six_shards_at_different_rates(client: httpx.Client) -> None:
    sm = upgrade(v1(client))
    assert sm["status"] == "active" and sm["state"] == "upgrade_shards"
    ops = sm["pending_ops"]
    assert list(ops) == ["7", "8", "9", "10", "11", "12"]
    assert len({op["progress"] for op in ops.values()}) == 6
    for op in ops.values():
        assert op["op_name"] == "upgrade_redis"
        assert op["status_code"] == "in_progress"
        assert {"heartbeat", "last_sample_time", "status_description", "snapshot"} <= set(op)
        assert isinstance(op["progress"], float) and 0 < op["progress"] < 100


def test_a_shard_heartbeat_is_stale_while_its_op_is_in_progress(
    sim: Simulator, client: httpx.Client
) -> None:
    ops = upgrade(v1(client))["pending_ops"]
    now = sim.clock.now()
    stale = {shard for shard, op in ops.items() if now - op["heartbeat"] > 60}
    assert stale == {"9"}
    assert ops["9"]["status_code"] == "in_progress" and ops["9"]["progress"] < 100


def test_failures_carry_their_error_text(client: httpx.Client) -> None:
    body = v1(client)
    failed_tasks = [t for t in body["actions"] if t["status"] == "failed"]
    failed_machines = [sm for sm in body["state-machines"] if sm["status"] == "failed"]
    assert failed_tasks and failed_machines
    assert all(t["error_code"] and t["error_message"] for t in failed_tasks)
    assert all(sm["error"] for sm in failed_machines)
    assert any(
        op["status_code"] == "error" for sm in failed_machines for op in sm["pending_ops"].values()
    )


def test_show_returns_the_listed_object(client: httpx.Client) -> None:
    sm = upgrade(v1(client))
    response = client.get(f"/v1/actions/{sm['action_uid']}")
    assert response.status_code == 200
    assert response.json() == sm


def test_show_of_an_unknown_action_is_404_with_the_redis_error(client: httpx.Client) -> None:
    response = client.get("/v1/actions/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert response.json() == {"error_code": "action_not_found", "message": "Action does not exist"}


def test_v2_is_an_array_that_adds_import_export_and_backup(client: httpx.Client) -> None:
    response = client.get("/v2/actions")
    assert response.status_code == 200
    v2 = response.json()
    assert isinstance(v2, list)
    for action in v2:
        assert action["action_type"] in ("task", "state-machine")
        assert isinstance(action["creation_time"], int)
        assert isinstance(action["progress"], float)
        assert set(action["additional_info"]) == {
            "description", "error", "object_type", "object_uid", "pending_ops",
        }  # fmt: skip
    v1_uids = {a["action_uid"] for group in v1(client).values() for a in group}
    extra = [a for a in v2 if a["action_uid"] not in v1_uids]
    assert extra and {a["name"] for a in extra} <= V2_ONLY
    assert client.get(f"/v1/actions/{extra[0]['action_uid']}").status_code == 404
    assert client.get(f"/v2/actions/{extra[0]['action_uid']}").json() == extra[0]


def test_actions_of_one_database(client: httpx.Client) -> None:
    response = client.get("/v1/actions/bdb/3")
    assert response.status_code == 200
    assert [sm["name"] for sm in response.json() if sm["status"] == "active"] == ["SMUpgradeBDB"]
    assert all(sm["object_name"] == "bdb:3" for sm in response.json())
    missing = client.get("/v1/actions/bdb/99")
    assert missing.status_code == 404
    assert missing.json()["message"] == "bdb not found"


def test_faults_answer_with_a_redis_style_error_body(
    fresh_sim: Simulator, fresh_client: httpx.Client
) -> None:
    fresh_sim.redis.faults.update(status=503, remaining=1)
    response = fresh_client.get("/v1/actions")
    assert response.status_code == 503
    assert response.json()["error_code"] == "node_not_responding"
    assert fresh_client.get("/v1/actions").status_code == 200


# -- time ----------------------------------------------------------------------


def test_shards_progress_while_the_stalled_one_stays_put(
    fresh_sim: Simulator, fresh_client: httpx.Client
) -> None:
    before = upgrade(v1(fresh_client))["pending_ops"]
    advance(fresh_sim, 30)
    after = upgrade(v1(fresh_client))["pending_ops"]
    for shard in ("7", "8", "10", "11", "12"):
        assert after[shard]["progress"] > before[shard]["progress"]
        assert after[shard]["heartbeat"] == before[shard]["heartbeat"] + 30
    assert after["9"]["progress"] == before["9"]["progress"]
    assert after["9"]["heartbeat"] == before["9"]["heartbeat"]


def test_finished_shards_leave_and_the_stalled_one_recovers(
    fresh_sim: Simulator, fresh_client: httpx.Client
) -> None:
    advance(fresh_sim, 600)
    assert list(upgrade(v1(fresh_client))["pending_ops"]) == ["9"]
    stuck = upgrade(v1(fresh_client))["pending_ops"]["9"]["progress"]
    advance(fresh_sim, 400)
    op = upgrade(v1(fresh_client))["pending_ops"]["9"]
    assert op["progress"] > stuck
    assert op["heartbeat"] == int(fresh_sim.clock.now())


def test_new_actions_arrive_as_the_clock_moves(
    fresh_sim: Simulator, fresh_client: httpx.Client
) -> None:
    def uids() -> set[str]:
        return {a["action_uid"] for a in fresh_client.get("/v2/actions").json()}

    first = uids()
    advance(fresh_sim, 600)
    assert len(uids() - first) >= 5


def test_finished_actions_are_forgotten(fresh_sim: Simulator, fresh_client: httpx.Client) -> None:
    done = next(t for t in v1(fresh_client)["actions"] if t["status"] == "completed")
    advance(fresh_sim, RETENTION + 60)
    listed = {a["action_uid"] for group in v1(fresh_client).values() for a in group}
    assert done["action_uid"] not in listed
    assert fresh_client.get(f"/v1/actions/{done['action_uid']}").status_code == 404


def test_the_upgrade_completes_and_is_then_forgotten(
    fresh_sim: Simulator, fresh_client: httpx.Client
) -> None:
    uid = upgrade(v1(fresh_client))["action_uid"]
    advance(fresh_sim, 1400)
    finished = fresh_client.get(f"/v1/actions/{uid}").json()
    assert (finished["status"], finished["progress"], finished["pending_ops"]) == (
        "completed",
        100,
        {},
    )
    advance(fresh_sim, RETENTION)
    assert fresh_client.get(f"/v1/actions/{uid}").status_code == 404


# -- determinism and scale -------------------------------------------------------


def test_the_world_is_a_pure_function_of_seed_and_clock() -> None:
    def answer(seed: int, *moves: float) -> str:
        clock = FrozenClock()
        api = RedisEnterpriseApi(seed=seed, clock=clock, actions=None)
        for move in moves:
            clock.advance(move)
            api.v2_actions(clock.now())
        return json.dumps([api.v1_actions(clock.now()), api.v2_actions(clock.now())])

    assert answer(7, 900) == answer(7, 300, 300, 300) == answer(7, 0, 900)
    assert answer(7) != answer(8)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), offset=st.floats(-600, 20_000))
def test_any_seed_and_time_give_well_formed_answers(seed: int, offset: float) -> None:
    clock = FrozenClock()
    api = RedisEnterpriseApi(seed=seed, clock=clock, actions=40)
    clock.advance(offset)
    body = api.v1_actions(clock.now())
    for action in body["actions"] + body["state-machines"]:
        assert action["status"] in STATUSES
        assert 0 <= float(action.get("progress", 0)) <= 100
        assert all(shard.isdigit() for shard in action.get("pending_ops", {}))
    assert len({a["action_uid"] for a in api.v2_actions(clock.now())}) == len(
        api.v2_actions(clock.now())
    )


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_generated_actions_end_within_their_bound(seed: int) -> None:
    """The API only looks back MAX_RANDOM_LIFE + RETENTION for arrivals; nothing may outlive it."""
    scripted = len(scripted_plans(random.Random(seed), 0.0))
    plans = initial_plans(seed, 0.0, 80)[scripted:] + arrival_plans(seed, 0.0, seed % 50)
    assert all(plan.ended - plan.created <= MAX_RANDOM_LIFE for plan in plans)


@pytest.mark.parametrize("count", [0, 5])
def test_small_worlds_keep_the_most_telling_actions(count: int) -> None:
    api = RedisEnterpriseApi(seed=7, clock=FrozenClock(), actions=count)
    body = api.v1_actions(api.start)
    assert len(body["actions"]) + len(body["state-machines"]) <= count
    assert (count > 0) == any(sm["name"] == "SMUpgradeBDB" for sm in body["state-machines"])


def test_fifteen_thousand_actions_are_listed() -> None:
    """A big world answers in one piece (its speed is measured in the benchmarks)."""
    clock = FrozenClock()
    api = RedisEnterpriseApi(seed=7, clock=clock, actions=15_000)
    server = ApiServer("redis-big", api.routes(), error_body=api.error_body)
    server.start()
    try:
        with httpx.Client(base_url=server.url, auth=(api.username, api.password)) as http:
            body = v1(http)
    finally:
        server.stop()
    assert len(body["actions"]) + len(body["state-machines"]) > 13_000
