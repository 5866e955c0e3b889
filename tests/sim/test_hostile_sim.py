"""The ``hostile_text`` fault knob: hostile strings everywhere, and the APIs still work."""

from __future__ import annotations

from typing import Any

import httpx

from tui.sim import Simulator
from tui.sim.hostile import HOSTILE, LONG_TAIL_LENGTH, hostile_body, is_exempt


def strings(value: Any) -> list[str]:
    """Every string value in a decoded JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    return []


def test_strings_turn_hostile_but_ids_times_and_numbers_stay() -> None:
    body = {
        "id": "srv-1",
        "name": "web",
        "started": "2026-03-14T12:00:00Z",
        "progress": "100",
        "links": [{"href": "http://x/1", "rel": "self"}],
        "pending_ops": {"3": {"snapshot": {"role": "master"}, "status_description": "ok"}},
        "count": 4,
    }
    out = hostile_body(body)
    assert out["id"] == "srv-1" and out["links"] == body["links"]
    assert out["started"] == body["started"] and out["progress"] == "100" and out["count"] == 4
    assert out["name"] == HOSTILE + "web"
    [(shard, op)] = out["pending_ops"].items()
    assert shard == HOSTILE + "3"
    assert op["snapshot"] == {HOSTILE + "role": HOSTILE + "master"}
    assert op["status_description"].startswith(HOSTILE + "ok")
    assert len(op["status_description"]) == len(HOSTILE + "ok") + LONG_TAIL_LENGTH
    assert body["name"] == "web"  # the input is not changed


def test_identity_and_version_documents_are_exempt() -> None:
    assert is_exempt("/identity/v3/auth/tokens") and is_exempt("/identity")
    assert is_exempt("/compute") and is_exempt("/compute/v2.1") and is_exempt("/image")
    assert not is_exempt("/compute/v2.1/servers/detail")
    assert not is_exempt("/ecs/v2/actions") and not is_exempt("/v1/actions")


def test_every_api_answers_hostile_text_and_keeps_working(fresh_sim: Simulator) -> None:
    for server in fresh_sim.servers:
        server.faults.update(hostile_text=True)
    creds = fresh_sim.credentials
    seeweb = httpx.get(
        f"{fresh_sim.seeweb_url}/actions", headers={"X-APITOKEN": creds.seeweb_token}
    ).json()
    redis = httpx.get(
        f"{fresh_sim.redis_url}/v1/actions", auth=(creds.redis_username, creds.redis_password)
    ).json()
    text_fields = [
        (seeweb["actions"], ("type", "status", "user", "resource", "resource_type")),
        (redis["state-machines"], ("name", "status", "object_name", "state")),
    ]
    for items, names in text_fields:
        values = [item[name] for item in items for name in names if item.get(name) is not None]
        assert len(values) > len(items) and all(value.startswith(HOSTILE) for value in values)
    for body in (seeweb, redis):
        assert max(len(text) for text in strings(body)) > LONG_TAIL_LENGTH
    first = redis["state-machines"][0]
    detail = httpx.get(
        f"{fresh_sim.redis_url}/v1/actions/{first['action_uid']}",
        auth=(creds.redis_username, creds.redis_password),
    )
    assert detail.status_code == 200 and detail.json()["name"].startswith(HOSTILE)

    fresh_sim.seeweb.faults.update(status=503)
    error = httpx.get(f"{fresh_sim.seeweb_url}/actions", headers={"X-APITOKEN": "x"})
    assert error.status_code == 503 and error.json()["message"].startswith(HOSTILE)

    fresh_sim.clear_faults()
    calm = httpx.get(f"{fresh_sim.seeweb_url}/actions", headers={"X-APITOKEN": creds.seeweb_token})
    assert HOSTILE not in calm.text
