"""Hostile payloads served by the simulator (``Faults.body``) through the real backends and CLI.

Every case ends with a typed outcome: exit 0 with the readable rows and one
warning line per backend when entries were skipped, or exit 3 with one line
naming the backend and the request when the answer as a whole is unusable.
Never exit 70, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui.cli.main import main
from tui.sim import Simulator

DEEP = b"[" * 100_000 + b"]" * 100_000
OLD = "2020-01-02T03:04:05"
"""Old enough that Nova actions are settled from the list (no event reads)."""


def _strict(text: str) -> Any:
    """Decode CLI output as strict JSON (NaN/Infinity would be invalid JSON for other tools)."""

    def refuse(literal: str) -> None:
        raise AssertionError(f"non-JSON literal {literal} in the output")

    return json.loads(text, parse_constant=refuse)


def list_json(
    capsys: pytest.CaptureFixture[str], config: Path, backend: str
) -> tuple[int, list[dict[str, Any]], str]:
    code = main(
        ["list", "--json", "--limit", "1000", "--config", str(config), "--backend", backend]
    )
    out, err = capsys.readouterr()
    assert code != 70 and "Traceback" not in err and "internal error" not in err
    return code, (_strict(out) if out.strip() else []), err


def serve(sim_api: Any, body: bytes | str | object, path: str) -> None:
    raw = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body))
    sim_api.faults.update(body=raw.encode() if isinstance(raw, str) else raw, path=path)


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


# -- Seeweb ------------------------------------------------------------------------

SEEWEB_LIST = "/ecs/v2/actions"


def seeweb_action(action_id: int, **extra: Any) -> dict[str, Any]:
    return {"id": action_id, "status": "completed", "type": "power_on", **extra}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (DEEP, "JSON nested deeper than 200 levels"),
        ({"actions": [seeweb_action(1, extra=json.loads("[" * 300 + "]" * 300))]}, "deeper"),
        ({"actions": {}}, "'actions' is not a list"),
        ({"actions": "x"}, "'actions' is not a list"),
        ("null", "not a JSON object"),
        ('"a string"', "not a JSON object"),
        ("[1, 2]", "not a JSON object"),
    ],
    ids=["deep-100000", "deep-300-in-item", "actions-object", "actions-string", "null", "string",
         "array"],
)  # fmt: skip
def test_seeweb_unusable_answer_exits_3_in_one_line(
    fresh_sim: Simulator,
    fresh_sim_config: Path,
    capsys: pytest.CaptureFixture[str],
    body: object,
    reason: str,
) -> None:
    serve(fresh_sim.seeweb, body, SEEWEB_LIST)
    code, rows, err = list_json(capsys, fresh_sim_config, "seeweb")
    line = one_line(err)
    assert code == 3 and rows == []
    assert line.startswith("actiondeck: seeweb: ") and "/actions" in line and reason in line


def test_seeweb_odd_numbers_and_types_become_null(
    fresh_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = "9" * 5000
    body = (
        '{"total_actions": "abc", "actions": ['
        f'{{"id": 1, "progress": 1{"0" * 400}, "created_at": {{}}, "user": {huge}}},'
        '{"id": 2, "progress": NaN, "created_at": Infinity, "started_at": -Infinity},'
        '{"id": 3, "progress": 1e400, "resource": ["x"], "completed_at": 1e300},'
        f'{{"id": 4, "progress": "1e400", "created_at": {huge}, "type": {{"a": 1}}}}'
        "]}"
    )
    serve(fresh_sim.seeweb, body, SEEWEB_LIST)
    code, rows, err = list_json(capsys, fresh_sim_config, "seeweb")
    assert code == 0 and err == ""
    by_id = {row["id"]: row for row in rows}
    assert sorted(by_id) == ["1", "2", "3", "4"]
    assert all(row["progress"] is None and row["created_at"] is None for row in rows)
    assert by_id["1"]["user"] is None and by_id["1"]["raw"]["progress"] is None
    assert by_id["2"]["raw"]["progress"] is None and by_id["3"]["finished_at"] is None
    assert by_id["4"]["name"] == "unknown"


@pytest.mark.parametrize(
    ("items", "good", "bad"),
    [
        ([seeweb_action(3), {"status": "no id"}, seeweb_action(1)], ["3", "1"], 1),
        ([seeweb_action(3), "x", None, 7, [], {"id": "abc"}, {"id": True}], ["3"], 6),
        ([{"id": 1.5}, {"id": {}}, {"id": "9" * 5000}], [], 3),
    ],
    ids=["one-without-id", "mixed-garbage", "every-entry-bad"],
)
def test_seeweb_unreadable_entries_are_skipped_with_one_warning(
    fresh_sim: Simulator,
    fresh_sim_config: Path,
    capsys: pytest.CaptureFixture[str],
    items: list[Any],
    good: list[str],
    bad: int,
) -> None:
    serve(fresh_sim.seeweb, {"actions": items, "total_actions": len(items)}, SEEWEB_LIST)
    code, rows, err = list_json(capsys, fresh_sim_config, "seeweb")
    noun = "entry" if bad == 1 else "entries"
    assert code == 0 and [row["id"] for row in rows] == good
    assert one_line(err) == f"actiondeck: warning: seeweb: {bad} {noun} unreadable (skipped)"


def test_seeweb_show_of_an_unreadable_action_exits_3(
    fresh_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(fresh_sim.seeweb, {"action": {"status": "no id"}}, "/ecs/v2/actions/5")
    code = main(["show", "seeweb:5", "--json", "--config", str(fresh_sim_config)])
    _, err = capsys.readouterr()
    assert code == 3 and "/actions/5" in one_line(err) and "integer id" in err


def test_the_fault_clears_and_the_next_answer_is_used(
    fresh_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(fresh_sim.seeweb, DEEP, SEEWEB_LIST)
    fresh_sim.seeweb.faults.update(remaining=1)
    assert list_json(capsys, fresh_sim_config, "seeweb")[0] == 3
    code, rows, err = list_json(capsys, fresh_sim_config, "seeweb")
    assert code == 0 and rows and err == ""


# -- Redis Enterprise ----------------------------------------------------------------

REDIS_V1 = "/v1/actions"


def redis_task(uid: str, **extra: Any) -> dict[str, Any]:
    return {"action_uid": uid, "name": "retry_bdb", "status": "completed", "progress": "100",
            **extra}  # fmt: skip


def test_redis_unreadable_entries_are_skipped_with_one_warning(
    fresh_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = {
        "actions": [
            redis_task("good-1", progress=10**400, creation_time={}),
            redis_task("ops-array", pending_ops=["1", "2"]),
            {"name": "no uid"},
            "not an object",
        ],
        "state-machines": [redis_task("good-2", pending_ops={"1": "x", "2": {"progress": "NaN"}})],
    }
    serve(fresh_sim.redis, body, REDIS_V1)
    code, rows, err = list_json(capsys, fresh_sim_config, "redis")
    ids = {row["id"] for row in rows}
    assert code == 0 and "good-1" in ids and "ops-array" not in ids
    good = next(row for row in rows if row["id"] == "good-1")
    assert good["progress"] is None and good["created_at"] is None
    assert one_line(err) == "actiondeck: warning: redis: 4 entries unreadable (skipped)"


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        (REDIS_V1, DEEP, "JSON nested deeper than 200 levels"),
        (REDIS_V1, {"actions": {}}, "'actions' is not an array"),
        (REDIS_V1, "7", "expected an object, got a number"),
        ("/v2/actions", {"actions": []}, "expected an array, got an object"),
    ],
    ids=["deep", "actions-object", "number", "v2-object"],
)
def test_redis_unusable_answer_exits_3_in_one_line(
    fresh_sim: Simulator,
    fresh_sim_config: Path,
    capsys: pytest.CaptureFixture[str],
    path: str,
    body: object,
    reason: str,
) -> None:
    serve(fresh_sim.redis, body, path)
    code, rows, err = list_json(capsys, fresh_sim_config, "redis")
    line = one_line(err)
    assert code == 3 and rows == [] and line.startswith("actiondeck: redis: ") and reason in line


# -- OpenStack Nova ------------------------------------------------------------------

SERVERS = "/compute/v2.1/servers"


def a_server_id(capsys: pytest.CaptureFixture[str], config: Path) -> str:
    code, rows, _ = list_json(capsys, config, "openstack")
    assert code == 0 and rows
    return str(rows[0]["object_name"])


def test_nova_unreadable_servers_are_skipped_with_one_warning(
    fresh_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server_id = a_server_id(capsys, fresh_sim_config)
    body = {"servers": [{"id": server_id, "name": "kept"}, {"id": 7}, "x", {"name": "no id"}]}
    serve(fresh_sim.openstack, body, SERVERS)
    code, rows, err = list_json(capsys, fresh_sim_config, "openstack")
    assert code == 0 and rows and {row["object_name"] for row in rows} == {server_id}
    assert one_line(err) == "actiondeck: warning: openstack: 3 entries unreadable (skipped)"


def test_nova_unreadable_actions_cost_those_actions_only(
    fresh_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server_id = a_server_id(capsys, fresh_sim_config)
    good = {"request_id": "req-good", "action": "reboot", "start_time": OLD, "updated_at": OLD,
            "message": None, "user_id": 10**400}  # fmt: skip
    actions = [
        good,
        {"action": "stop", "start_time": OLD},
        {"request_id": "req-events", "action": "stop", "start_time": OLD, "events": "x"},
        {"request_id": 12, "action": "stop"},
        "x",
    ]
    serve(
        fresh_sim.openstack,
        {"instanceActions": actions},
        f"{SERVERS}/{server_id}/os-instance-actions",
    )
    code, rows, err = list_json(capsys, fresh_sim_config, "openstack")
    mine = [row for row in rows if row["object_name"] == server_id]
    assert code == 0 and [row["id"] for row in mine] == [f"{server_id}/req-good"]
    assert mine[0]["status"] == "completed" and mine[0]["user"] is None
    assert any(row["object_name"] != server_id for row in rows)  # the other servers are kept
    assert one_line(err) == "actiondeck: warning: openstack: 4 entries unreadable (skipped)"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (DEEP, "JSON nested deeper than 200 levels"),
        ({"servers": {}}, "no 'servers' list"),
        ("null", "no 'servers' list"),
    ],
    ids=["deep", "servers-object", "null"],
)
def test_nova_unusable_server_list_exits_3_in_one_line(
    fresh_sim: Simulator,
    fresh_sim_config: Path,
    capsys: pytest.CaptureFixture[str],
    body: object,
    reason: str,
) -> None:
    serve(fresh_sim.openstack, body, SERVERS)
    code, rows, err = list_json(capsys, fresh_sim_config, "openstack")
    line = one_line(err)
    assert code == 3 and rows == [] and line.startswith("actiondeck: openstack: ")
    assert "/servers" in line and reason in line


def test_nova_show_with_an_unreadable_event_exits_3(
    fresh_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server_id = a_server_id(capsys, fresh_sim_config)
    detail = {"instanceAction": {"request_id": "req-1", "action": "stop", "events": [{"x": 1}]}}
    serve(fresh_sim.openstack, detail, f"{SERVERS}/{server_id}/os-instance-actions/req-1")
    code = main(["show", f"openstack:{server_id}/req-1", "--config", str(fresh_sim_config)])
    _, err = capsys.readouterr()
    assert code == 3 and "event" in one_line(err) and "Traceback" not in err


# -- show and wait -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("backend", "ref", "path"),
    [
        ("seeweb", "seeweb:5", "/ecs/v2/actions/5"),
        ("redis", "redis:a-1", "/v*/actions/a-1"),
        ("openstack", "openstack:srv/req", f"{SERVERS}*"),
    ],
)
def test_show_of_a_deep_answer_exits_3_not_70(
    fresh_sim: Simulator,
    fresh_sim_config: Path,
    capsys: pytest.CaptureFixture[str],
    backend: str,
    ref: str,
    path: str,
) -> None:
    api = {"seeweb": fresh_sim.seeweb, "redis": fresh_sim.redis, "openstack": fresh_sim.openstack}
    serve(api[backend], DEEP, path)
    code = main(["show", ref, "--json", "--config", str(fresh_sim_config)])
    out, err = capsys.readouterr()
    assert code == 3 and out == ""
    assert one_line(err).startswith(f"actiondeck: {backend}: ") and "nested deeper" in err


def test_wait_on_an_unusable_answer_gives_up_at_its_timeout(
    fresh_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(fresh_sim.seeweb, '{"action": {"id": 5, "progress": 1e400}} trailing', "/ecs/v2/*")
    argv = ["wait", "seeweb:5", "--timeout", "1", "--interval", "0.2"]
    code = main([*argv, "--config", str(fresh_sim_config)])
    _, err = capsys.readouterr()
    assert code == 3 and "expected JSON" in err and "gave up after 1s" in err
