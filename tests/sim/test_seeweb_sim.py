"""The simulated Seeweb ECS v2 actions API, spoken to over real loopback HTTP."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.helpers.sim import SEED, deterministic_sim
from tui.sim import FrozenClock, Simulator
from tui.sim.http import ApiServer
from tui.sim.seeweb.api import DEFAULT_ACTIONS, SeewebApi
from tui.sim.seeweb.plan import ActionPlan
from tui.sim.seeweb.render import _iso, render_action, render_action_json

ISO_MICROS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")


def client_for(simulator: Simulator, token: str | None = None) -> httpx.Client:
    """A plain HTTP client on the simulator's Seeweb API, with the demo token by default."""
    headers = {"X-APITOKEN": token or simulator.credentials.seeweb_token}
    return httpx.Client(base_url=simulator.seeweb_url, headers=headers)


@pytest.fixture
def api(sim: Simulator) -> Iterator[httpx.Client]:
    """A client on the shared, frozen simulator."""
    with client_for(sim) as client:
        yield client


def listing(client: httpx.Client, **params: Any) -> dict[str, Any]:
    """``GET /actions`` decoded, asserting success."""
    response = client.get("/actions", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == "ok"
    return body


def ids(body: dict[str, Any]) -> list[int]:
    """The action ids of a list answer, in order."""
    return [action["id"] for action in body["actions"]]


def move(simulator: Simulator, seconds: float) -> None:
    """Advance a test simulator's frozen clock."""
    assert isinstance(simulator.clock, FrozenClock)
    simulator.clock.advance(seconds)


def when(text: str) -> datetime:
    """Parse a wire timestamp."""
    return datetime.fromisoformat(text)


def test_default_page_is_the_newest_fifty_of_all(api: httpx.Client) -> None:
    body = listing(api)
    assert body["total_actions"] == DEFAULT_ACTIONS
    assert len(body["actions"]) == 50
    assert ids(body) == sorted(ids(body), reverse=True)
    created = [when(action["created_at"]) for action in body["actions"]]
    assert created == sorted(created, reverse=True)


def test_paging_is_a_window_on_the_full_list(api: httpx.Client) -> None:
    everything = ids(listing(api, length=10_000))
    assert len(everything) == DEFAULT_ACTIONS
    assert everything == sorted(set(everything), reverse=True)
    assert ids(listing(api, start=40, length=20)) == everything[40:60]
    assert ids(listing(api, start=DEFAULT_ACTIONS - 5, length=20)) == everything[-5:]
    beyond = listing(api, start=DEFAULT_ACTIONS, length=20)
    assert beyond["actions"] == []
    assert beyond["total_actions"] == DEFAULT_ACTIONS


def test_resource_filter_comes_before_paging(api: httpx.Client) -> None:
    everything = listing(api, length=10_000)["actions"]
    busiest, count = Counter(action["resource"] for action in everything).most_common(1)[0]
    assert count >= 5
    expected = [action["id"] for action in everything if action["resource"] == busiest]
    body = listing(api, resource=busiest, length=10_000)
    assert ids(body) == expected
    assert body["total_actions"] == count
    page = listing(api, resource=busiest, start=2, length=3)
    assert ids(page) == expected[2:5]
    assert page["total_actions"] == count


def test_unknown_resource_matches_nothing(api: httpx.Client) -> None:
    body = listing(api, resource="ec999999x")
    assert body == {"status": "ok", "actions": [], "total_actions": 0}


@pytest.mark.parametrize("params", [{"start": "-1"}, {"length": "ten"}, {"start": "1.5"}])
def test_bad_paging_parameters_are_refused(api: httpx.Client, params: dict[str, str]) -> None:
    response = api.get("/actions", params=params)
    assert response.status_code == 400
    assert response.json()["status"] == "error"


def test_one_action_matches_its_list_entry(api: httpx.Client) -> None:
    first = listing(api, length=1)["actions"][0]
    response = api.get(f"/actions/{first['id']}")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "action": first}


@pytest.mark.parametrize("token", [None, "wrong-token"])
@pytest.mark.parametrize("path", ["/actions", "/actions/1"])
def test_token_is_required(sim: Simulator, token: str | None, path: str) -> None:
    headers = {"X-APITOKEN": token} if token else {}
    response = httpx.get(f"{sim.seeweb_url}{path}", headers=headers)
    assert response.status_code == 401
    assert response.json()["error_code"] == 401
    assert sim.credentials.seeweb_token not in response.text


def test_bearer_token_is_accepted(sim: Simulator) -> None:
    headers = {"Authorization": f"Bearer {sim.credentials.seeweb_token}"}
    response = httpx.get(f"{sim.seeweb_url}/actions", params={"length": 1}, headers=headers)
    assert response.status_code == 200
    assert len(response.json()["actions"]) == 1


@pytest.mark.parametrize("action_id", ["1", "abc", "99999999", "-5"])
def test_unknown_action_is_404_with_json_error(api: httpx.Client, action_id: str) -> None:
    response = api.get(f"/actions/{action_id}")
    assert response.status_code == 404
    body = response.json()
    assert body["error_code"] == 404
    assert body["status"] == "error"
    assert body["message"]


def test_wire_quirks_of_the_real_api(api: httpx.Client) -> None:
    for action in listing(api, length=10_000)["actions"]:
        assert ISO_MICROS.match(action["created_at"])
        assert ISO_MICROS.match(action["started_at"])
        skew = when(action["created_at"]) - when(action["started_at"])
        assert 0 < skew.total_seconds() < 0.001, "started_at is a little before created_at"
        running = action["status"] == "in-progress"
        assert (action["completed_at"] is None) == running
        if action["status"] == "completed":
            assert action["progress"] == 100
        assert 0 <= action["progress"] <= 100


def test_resource_names_follow_their_type(api: httpx.Client) -> None:
    shapes = {"ECS": r"ec\d{6}", "ECI": r"ei\d{6}", "SNP": r"\d+"}
    actions = listing(api, length=10_000)["actions"]
    for action in actions:
        assert re.fullmatch(shapes[action["resource_type"]], action["resource"])
    kinds = Counter(action["type"] for action in actions)
    assert kinds.most_common(1)[0][0] == "console"
    assert {"create_server", "delete_server", "create_snapshot", "rollback"} <= set(kinds)
    assert Counter(action["status"] for action in actions)["failed"] > 0


def test_newest_actions_are_still_running(api: httpx.Client) -> None:
    newest = listing(api, length=3)["actions"]
    assert [action["status"] for action in newest] == ["in-progress"] * 3


def test_same_seed_and_clock_give_identical_answers(sim: Simulator) -> None:
    with deterministic_sim() as twin:
        for path in ("/actions?length=200", "/actions?resource=ec200285", "/actions/1500"):
            with client_for(sim) as one, client_for(twin) as other:
                assert one.get(path).content == other.get(path).content


def test_another_seed_gives_another_world(sim: Simulator) -> None:
    with deterministic_sim(SEED + 1) as other, client_for(other) as client:
        theirs = listing(client, length=20)["actions"]
    with client_for(sim) as client:
        ours = listing(client, length=20)["actions"]
    assert theirs != ours


def test_new_actions_arrive_as_the_clock_moves(fresh_sim: Simulator) -> None:
    with client_for(fresh_sim) as client:
        before = listing(client, length=5)
        next_id = ids(before)[0] + 1
        assert client.get(f"/actions/{next_id}").status_code == 404
        move(fresh_sim, 600)
        after = listing(client, length=50)
        arrived = after["total_actions"] - before["total_actions"]
        assert 10 <= arrived <= 30, "one arrival every 20-60 s"
        assert ids(after)[:arrived] == list(range(next_id + arrived - 1, next_id - 1, -1))
        assert ids(after)[arrived : arrived + 5] == ids(before)
        assert client.get(f"/actions/{next_id}").status_code == 200


def test_running_actions_finish_later(fresh_sim: Simulator) -> None:
    with client_for(fresh_sim) as client:
        running = [
            action["id"]
            for action in listing(client, length=100)["actions"]
            if action["status"] == "in-progress"
        ]
        assert running
        move(fresh_sim, 200)
        for action_id in running:
            action = client.get(f"/actions/{action_id}").json()["action"]
            assert action["status"] in ("completed", "failed")
            assert action["completed_at"] is not None
            assert when(action["completed_at"]) > when(action["created_at"])


def test_stepped_progress_moves_between_zero_and_a_hundred(fresh_sim: Simulator) -> None:
    seen: set[int] = set()
    with client_for(fresh_sim) as client:
        for _ in range(60):
            move(fresh_sim, 20)
            for action in listing(client, length=10)["actions"]:
                if action["status"] == "in-progress":
                    seen.add(action["progress"])
    assert 0 in seen
    assert seen - {0}, "some long actions report intermediate progress"
    assert all(value % 5 == 0 and value < 100 for value in seen)


@pytest.fixture(scope="module")
def huge() -> Iterator[httpx.Client]:
    """A Seeweb API with 100,000 actions on its own loopback server."""
    world = SeewebApi(seed=SEED, clock=FrozenClock(), actions=100_000)
    server = ApiServer("seeweb-huge", world.routes())
    server.start()
    try:
        with httpx.Client(
            base_url=f"{server.url}/ecs/v2", headers={"X-APITOKEN": world.token}
        ) as client:
            yield client
    finally:
        server.stop()


def test_a_huge_account_still_pages(huge: httpx.Client) -> None:
    first = listing(huge, length=50)
    assert first["total_actions"] == 100_000
    last = listing(huge, start=99_990, length=50)
    assert len(last["actions"]) == 10
    assert ids(last)[-1] == ids(first)[0] - 99_999
    busiest = Counter(action["resource"] for action in first["actions"]).most_common(1)[0][0]
    filtered = listing(huge, resource=busiest, start=100, length=10)
    assert filtered["total_actions"] > 110
    assert {action["resource"] for action in filtered["actions"]} == {busiest}


@pytest.mark.parametrize(
    "micros",
    [0, 1, 999_999, 1_000_000, 3_599_999_999, 3_600_000_000, 1_773_446_400_000_000,
     1_773_446_399_999_999, 4_102_444_799_999_999],
)  # fmt: skip
def test_timestamps_are_written_as_isoformat_writes_them(micros: int) -> None:
    expected = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
    assert _iso(micros) == expected.isoformat(timespec="microseconds")


def test_an_action_is_written_as_json_dumps_writes_its_dict() -> None:
    """The page text is written directly; it must be what encoding the dict gave."""
    api = SeewebApi(seed=SEED, clock=FrozenClock(), actions=300)
    now = api._now()
    odd = ActionPlan(now - 5, 10**9, 300, 'type "q"', "r\\ü", "ECS", "zoë\n", True, True)
    plans = [(api.world.planned(i), api.world.first_id + i) for i in range(300)] + [(odd, 7)]
    states = Counter(render_action(plan, n, now)["status"] for plan, n in plans)
    assert set(states) == {"in-progress", "completed", "failed"}
    for plan, number in plans:
        expected = json.dumps(render_action(plan, number, now), separators=(",", ":"))
        assert render_action_json(plan, number, now) == expected
