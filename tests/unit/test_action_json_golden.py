"""The ``--json`` contract, pinned: one representative action of each backend.

Each action is parsed from a fixed wire payload by its backend's own parser;
its :func:`tui.model.action_to_json` (keys, their order, values and the Python
types of the values) and the JSON text written from it must stay exactly as
recorded in ``golden/actions.json``. Regenerate that file only for a change of
the contract, never to make this test pass.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tui.backends.openstack.wire import ServerRef
from tui.backends.openstack.wire import parse_action as parse_nova
from tui.backends.redis_enterprise.wire import parse_action as parse_redis
from tui.backends.seeweb.backend import parse_action as parse_seeweb
from tui.model import Action, action_to_json, dumps_json

GOLDEN = Path(__file__).with_name("golden") / "actions.json"

SEEWEB = {
    "id": 709,
    "status": "completed",
    "user": "foo",
    "created_at": "2024-10-19T15:08:55.887799+00:00",
    "started_at": "2024-10-19T15:08:55.887284+00:00",
    "completed_at": "2024-10-19T15:09:56.067592+00:00",
    "resource": "ec200285",
    "resource_type": "ECS",
    "type": "delete_server",
    "progress": 100,
    "note": "caf\u00e9 \u202e",
}

NOVA = {
    "action": "resize",
    "instance_uuid": "e723eb40",
    "message": "Error",
    "project_id": "6f70656e",
    "request_id": "req-5a42",
    "start_time": "2018-04-25T01:26:29.585618",
    "updated_at": "2018-04-25T01:28:01.000000",
    "user_id": "admin",
    "events": [
        {
            "event": "compute_prep_resize",
            "start_time": "2018-04-25T01:26:30.000000",
            "finish_time": "2018-04-25T01:26:40.000000",
            "result": "Error",
            "host": "compute-1",
            "hostId": "abc123",
            "details": None,
            "traceback": "Traceback (most recent call last):\n  File x.py\nValueError: no",
        },
        {
            "event": "compute_prep_resize",
            "start_time": "2018-04-25T01:27:30Z",
            "finish_time": "2018-04-25T01:27:50+00:00",
            "result": "Success",
            "host": "compute-2",
            "hostId": "def456",
            "details": "ok",
            "traceback": None,
        },
    ],
}

REDIS = {
    "action_uid": "a10586b1-60bc-428e-9bc6-392eb5f0d8ae",
    "name": "SMUpgradeBDB",
    "object_name": "bdb:3",
    "status": "active",
    "state": "running_upgrade",
    "node_uid": "2",
    "progress": "57.5",
    "creation_time": "1760400087",
    "heartbeat": 1760400100,
    "action_type": "state-machine",
    "pending_ops": {
        "10": {
            "op_name": "upgrade",
            "status_code": "running",
            "progress": 40,
            "heartbeat": 1760400099,
        },
        "2": {
            "op_name": "upgrade",
            "status_code": "done",
            "status_description": "finished",
            "progress": "100",
            "last_sample_time": "2025-10-14T00:01:30Z",
            "snapshot": {"shard": 2, "keys": [1, 2.5, None, True]},
        },
    },
}


def _actions() -> dict[str, Action]:
    now = datetime(2018, 4, 25, 2, tzinfo=UTC)
    nova = parse_nova(
        NOVA,
        backend="nova",
        server=ServerRef("e723eb40", "web-1"),
        now=now,
        settle_after=timedelta(minutes=2),
        path="/servers/e723eb40/os-instance-actions/req-5a42",
    )
    return {
        "seeweb": parse_seeweb("sw", SEEWEB),
        "openstack": nova,
        "redis-enterprise": parse_redis("redis", REDIS),
    }


def _typed(value: Any) -> Any:
    """The value with every leaf replaced by its type's name (containers kept, as lists)."""
    if isinstance(value, dict):
        return {"<dict>": {key: _typed(item) for key, item in value.items()}}
    if isinstance(value, tuple | list):
        return {f"<{type(value).__name__}>": [_typed(item) for item in value]}
    return type(value).__name__


def _record() -> dict[str, Any]:
    return {
        kind: {
            "json": dumps_json(action_to_json(action)),
            "types": _typed(action_to_json(action)),
        }
        for kind, action in _actions().items()
    }


@pytest.mark.parametrize("kind", ["seeweb", "openstack", "redis-enterprise"])
def test_action_json_is_unchanged(kind: str) -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))[kind]
    recorded = _record()[kind]
    assert recorded["json"] == golden["json"]
    assert recorded["types"] == golden["types"]


def test_history_mark_stays_out_of_the_json() -> None:
    action = _actions()["seeweb"]
    assert "from_history" not in action_to_json(action)


if __name__ == "__main__":  # regenerate: python -m tests.unit.test_action_json_golden
    GOLDEN.write_text(json.dumps(_record(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
