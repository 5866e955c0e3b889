"""Redis Enterprise wire parsing: every documented and observed quirk, table-driven.

Pure functions, no HTTP: the payloads below are what real clusters send (and
what they should not send but sometimes do).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.backends.base import BadResponseError
from tui.backends.redis_enterprise.wire import (
    fill_missing,
    map_status,
    parse_action,
    parse_v1_list,
    parse_v2_list,
    resource_type,
)
from tui.model import Action, Status

UID = "159ca2f8-7bf3-4cda-97e8-4eb560665c28"

REAL_TASK = {
    "action_uid": UID,
    "name": "retry_bdb",
    "node_uid": "1",
    "progress": "100",
    "status": "completed",
    "task_id": UID,
    "creation_time": "1760400087",
}
"""A task as a live cluster sends it: progress, node and creation time are strings."""

REAL_MACHINE = {
    "action_uid": "a10586b1-60bc-428e-9bc6-392eb5f0d8ae",
    "heartbeat": 1650378874,
    "name": "SMCreateBDB",
    "object_name": "bdb:1",
    "status": "completed",
}
"""A state machine as seen live: no ``progress`` key at all."""


def action(**overrides: Any) -> Action:
    """Parse the real task with some keys replaced (``None`` removes a key)."""
    body = {**REAL_TASK, **overrides}
    return parse_action("redis", {k: v for k, v in body.items() if v is not None})


@pytest.mark.parametrize(
    ("progress", "expected"),
    [("100", 100.0), (100, 100.0), (57.5, 57.5), ("57.5", 57.5), (None, None), ("n/a", None),
     (150, 100.0), (True, None)],
)  # fmt: skip
def test_progress_in_every_wire_form(progress: object, expected: float | None) -> None:
    assert action(progress=progress).progress == expected


@pytest.mark.parametrize(
    ("raw", "status"),
    [("pending", Status.PENDING), ("queued", Status.PENDING), ("starting", Status.RUNNING),
     ("active", Status.RUNNING), ("running", Status.RUNNING), ("cancelling", Status.RUNNING),
     ("completed", Status.COMPLETED), ("failed", Status.FAILED), ("cancelled", Status.CANCELLED),
     ("ACTIVE", Status.RUNNING), ("paused-by-operator", Status.UNKNOWN)],
)  # fmt: skip
def test_statuses_of_both_vocabularies(raw: str, status: Status) -> None:
    parsed = action(status=raw)
    assert (parsed.status, parsed.raw_status) == (status, raw)


def test_a_missing_status_is_unknown() -> None:
    assert map_status(None) is Status.UNKNOWN
    assert action(status=None).status is Status.UNKNOWN


def test_the_real_task_reads_completely() -> None:
    parsed = parse_action("redis", REAL_TASK)
    assert parsed.ref == f"redis:{UID}" and parsed.id == UID
    assert parsed.backend == "redis" and parsed.backend_type == "redis-enterprise"
    assert (parsed.name, parsed.node, parsed.progress) == ("retry_bdb", "1", 100.0)
    assert parsed.created_at == datetime(2025, 10, 14, 0, 1, 27, tzinfo=UTC)
    assert parsed.raw == REAL_TASK


@pytest.mark.parametrize(
    ("node_uid", "creation_time", "node", "created"),
    [("1", "1760400087", "1", 1760400087), (1, 1760400087, "1", 1760400087),
     (None, None, None, None), ("2", "yesterday", "2", None)],
)  # fmt: skip
def test_node_and_creation_time_as_strings_or_numbers(
    node_uid: object, creation_time: object, node: str | None, created: int | None
) -> None:
    parsed = action(node_uid=node_uid, creation_time=creation_time)
    assert parsed.node == node
    assert parsed.created_at == (datetime.fromtimestamp(created, UTC) if created else None)


def test_the_real_state_machine_without_progress() -> None:
    parsed = parse_action("redis", REAL_MACHINE)
    assert parsed.progress is None
    assert parsed.updated_at == datetime.fromtimestamp(1650378874, UTC)
    assert (parsed.object_name, parsed.resource, parsed.resource_type) == ("bdb:1", "bdb:1", "bdb")
    assert parsed.created_at is None and parsed.pending_ops == ()


@pytest.mark.parametrize(
    ("object_name", "kind"),
    [("bdb:3", "bdb"), ("node:2", "node"), ("cluster", "cluster"), ("BDB:4", "bdb"), (None, None),
     ("", None)],
)  # fmt: skip
def test_resource_type_from_the_object_name_prefix(
    object_name: str | None, kind: str | None
) -> None:
    assert resource_type(object_name) == kind


def test_pending_ops_sorted_numerically_with_every_field() -> None:
    op = {
        "heartbeat": 1703067908,
        "last_sample_time": "1703067905",
        "op_name": "migrate_shard",
        "status_code": "in_progress",
        "status_description": "Migrating",
        "progress": "42.5",
        "snapshot": {"source_node": "1"},
    }
    body = {**REAL_MACHINE, "pending_ops": {"10": op, "9": {}, "2": {"snapshot": "odd"}, "x": {}}}
    ops = parse_action("redis", body).pending_ops
    assert [o.shard for o in ops] == ["2", "9", "10", "x"]
    ten = ops[2]
    assert (ten.op_name, ten.status_code, ten.progress) == ("migrate_shard", "in_progress", 42.5)
    assert ten.heartbeat == datetime.fromtimestamp(1703067908, UTC)
    assert ten.last_sample_time == datetime.fromtimestamp(1703067905, UTC)
    assert ten.snapshot == {"source_node": "1"}
    assert ops[0].snapshot is None and ops[1].progress is None


def test_a_v2_object() -> None:
    body = {
        "action_uid": UID,
        "action_type": "state-machine",
        "creation_time": 1703067000,
        "name": "SMUpdateBDB",
        "progress": 50.0,
        "status": "active",
        "additional_info": {
            "description": "Updating bdb:1",
            "error": None,
            "object_type": "bdb",
            "object_uid": "1",
            "pending_ops": {"3": {"progress": 20.0}},
        },
    }
    parsed = parse_action("redis", body)
    assert (parsed.object_name, parsed.resource_type, parsed.message) == (
        "bdb:1", "bdb", "Updating bdb:1",
    )  # fmt: skip
    assert parsed.created_at == datetime.fromtimestamp(1703067000, UTC)
    assert [(o.shard, o.progress) for o in parsed.pending_ops] == [("3", 20.0)]


@pytest.mark.parametrize(
    ("extra", "message"),
    [({"error": "shard 4 timed out"}, "shard 4 timed out"),
     ({"error_code": "insufficient_resources", "error_message": "no memory"}, "no memory"),
     ({"additional_info": {"error": "v2 failure", "description": "d"}}, "v2 failure"),
     ({"additional_info": {"error": None, "description": "Backing up"}}, "Backing up"),
     ({"error": {"code": 7}}, '{"code":7}'),
     ({}, None)],
)  # fmt: skip
def test_message_from_whichever_error_field_is_there(
    extra: dict[str, Any], message: str | None
) -> None:
    assert parse_action("redis", {**REAL_TASK, **extra}).message == message


@pytest.mark.parametrize(
    "payload",
    [[], "retry_bdb", None, {}, {"action_uid": ""}, {"action_uid": True}, {"action_uid": 1.5},
     {**REAL_TASK, "pending_ops": ["3"]}, {**REAL_TASK, "pending_ops": {"3": "running"}},
     {**REAL_TASK, "additional_info": "none"}],
    ids=["list", "string", "null", "empty", "blank-uid", "bool-uid", "float-uid", "ops-list",
         "op-string", "info-string"],
)  # fmt: skip
def test_unreadable_shapes_raise_bad_response(payload: object) -> None:
    with pytest.raises(BadResponseError) as caught:
        parse_action("redis", payload, where="/v1/actions/x")
    assert str(caught.value).startswith("redis: /v1/actions/x")


def test_an_integer_uid_is_accepted() -> None:
    assert action(action_uid=42).id == "42"


@pytest.mark.parametrize(
    ("payload", "count"),
    [({"actions": [REAL_TASK], "state-machines": [REAL_MACHINE]}, 2),
     ({"actions": [REAL_TASK]}, 1),
     ({"state-machines": [REAL_MACHINE]}, 1),
     ({"actions": None, "state-machines": []}, 0),
     ({}, 0),
     ([REAL_TASK, REAL_MACHINE], 2)],
    ids=["both", "no-state-machines", "no-actions", "null", "empty", "bare-array"],
)  # fmt: skip
def test_v1_list_tolerates_missing_keys(payload: object, count: int) -> None:
    assert len(parse_v1_list("redis", payload, "/v1/actions")) == count


@pytest.mark.parametrize("payload", ['{"actions": []}', {"actions": {}}, {"actions": "x"}, 7])
def test_v1_list_with_the_wrong_shape_raises(payload: object) -> None:
    with pytest.raises(BadResponseError):
        parse_v1_list("redis", payload, "/v1/actions")


def test_unreadable_entries_are_skipped_and_recorded() -> None:
    bad = [
        1,
        {"name": "no uid"},
        {**REAL_TASK, "action_uid": "ops-list", "pending_ops": ["3"]},
        {**REAL_TASK, "action_uid": "info-text", "additional_info": "none"},
    ]
    unreadable: list[str] = []
    payload = {"actions": [REAL_TASK, *bad], "state-machines": [REAL_MACHINE]}
    entries = parse_v1_list("redis", payload, "/v1/actions", {}, unreadable)
    assert [fields["id"] for fields in entries] == [
        REAL_TASK["action_uid"],
        REAL_MACHINE["action_uid"],
    ]
    assert unreadable == [
        "/v1/actions actions[1]", "/v1/actions actions[2]", "ops-list", "info-text"
    ]  # fmt: skip
    v2_unreadable: list[str] = []
    assert parse_v2_list("redis", [None, REAL_TASK], "/v2/actions", None, v2_unreadable)
    assert v2_unreadable == ["/v2/actions[0]"]


def test_v2_list_must_be_an_array() -> None:
    assert len(parse_v2_list("redis", [REAL_TASK], "/v2/actions")) == 1
    with pytest.raises(BadResponseError, match="expected an array, got an object"):
        parse_v2_list("redis", {"actions": []}, "/v2/actions")


def test_views_merge_without_overwriting() -> None:
    v1 = parse_v1_list("redis", [REAL_MACHINE], "/v1")[0]
    v2 = {"created_at": datetime(2024, 1, 1, tzinfo=UTC), "progress": 100.0, "name": "other"}
    merged = fill_missing(dict(v1), v2)
    assert merged["created_at"] == v2["created_at"] and merged["progress"] == 100.0
    assert merged["name"] == "SMCreateBDB" and merged["object_name"] == "bdb:1"
    assert Action(**merged).created_at == v2["created_at"]


# -- property: arbitrary JSON never escapes as anything but BadResponseError -----

JSON_SCALARS = (
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats() | st.text(max_size=20)
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = st.sampled_from(
    ["action_uid", "name", "status", "progress", "node_uid", "object_name", "state", "heartbeat",
     "creation_time", "pending_ops", "additional_info", "error", "error_message", "task_id"]
)  # fmt: skip
SHAPED = st.dictionaries(KEYS, JSON, max_size=10) | st.fixed_dictionaries(
    {"action_uid": st.text(min_size=1, max_size=10)},
    optional={
        "status": JSON, "progress": JSON, "heartbeat": JSON, "creation_time": JSON,
        "pending_ops": st.dictionaries(st.text(max_size=4), JSON, max_size=3) | JSON,
        "additional_info": st.dictionaries(
            st.sampled_from(["object_type", "object_uid", "error", "description", "pending_ops"]),
            JSON, max_size=5,
        ),
    },
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(payload=JSON | SHAPED)
def test_any_json_gives_an_action_or_bad_response(payload: object) -> None:
    try:
        parsed = parse_action("redis", payload)
    except BadResponseError as exc:
        assert exc.backend == "redis"
        return
    assert parsed.id and parsed.ref == f"redis:{parsed.id}"
    assert parsed.progress is None or 0.0 <= parsed.progress <= 100.0
    assert all(op.progress is None or 0.0 <= op.progress <= 100.0 for op in parsed.pending_ops)


@settings(max_examples=150, deadline=None)
@given(
    payload=JSON
    | st.fixed_dictionaries({}, optional={"actions": st.lists(SHAPED), "state-machines": JSON})
)
def test_any_list_body_gives_actions_or_bad_response(payload: object) -> None:
    for parse in (parse_v1_list, parse_v2_list):
        try:
            entries = parse("redis", payload, "/actions")
        except BadResponseError:
            continue
        assert all(isinstance(Action(**fields), Action) for fields in entries)


# --- payloads redis-enterprise-rs tests against -------------------------------------------------
# redis-developer/redis-enterprise-rs tests/action_tests.rs (commit 282cebc6): actions with
# start_time/end_time, a top-level description and error.

RERS_RUNNING = {
    "action_uid": "action-123-abc",
    "name": "database_backup",
    "status": "running",
    "progress": "45",
    "start_time": "2023-01-01T12:00:00Z",
    "end_time": None,
    "description": "Backing up database test-db",
    "error": None,
}
RERS_FAILED = {
    "action_uid": "action-789-ghi",
    "name": "node_add",
    "status": "failed",
    "progress": "25",
    "start_time": "2023-01-01T10:00:00Z",
    "end_time": "2023-01-01T10:15:00Z",
    "description": "Adding new node to cluster",
    "error": "Connection timeout to new node",
}


def test_start_and_end_times_are_kept() -> None:
    """``start_time``/``end_time`` become ``started_at``/``finished_at`` (once final)."""
    running = parse_action("redis", RERS_RUNNING)
    assert running.started_at == datetime(2023, 1, 1, 12, 0, tzinfo=UTC)
    assert running.finished_at is None
    failed = parse_action("redis", RERS_FAILED)
    assert failed.finished_at == datetime(2023, 1, 1, 10, 15, tzinfo=UTC)
    early_end = parse_action("redis", {**RERS_RUNNING, "end_time": "2023-01-01T12:30:00Z"})
    assert early_end.finished_at is None  # not final: an end time would be a guess


def test_a_top_level_description_is_the_message_of_a_failed_action() -> None:
    """The error text wins; a failed action without one says what it was doing."""
    assert parse_action("redis", RERS_FAILED).message == "Connection timeout to new node"
    silent = parse_action("redis", {**RERS_FAILED, "error": None})
    assert silent.message == "Adding new node to cluster"
    assert parse_action("redis", RERS_RUNNING).message is None


def test_error_code_and_action_type_are_kept() -> None:
    """Failed tasks carry ``error_code`` (the action object docs); v1 arrays say the type."""
    failed = {**REAL_TASK, "status": "failed", "error_code": "insufficient_resources",
              "error_message": "Not enough memory"}  # fmt: skip
    parsed = parse_action("redis", failed)
    assert (parsed.error_code, parsed.message) == ("insufficient_resources", "Not enough memory")
    assert parse_action("redis", REAL_TASK).error_code is None
    listed = parse_v1_list(
        "redis", {"actions": [REAL_TASK], "state-machines": [REAL_MACHINE]}, "/v1/actions"
    )
    assert [fields["action_type"] for fields in listed] == ["task", "state-machine"]
    v2 = {"action_uid": UID, "action_type": "task", "name": "backup", "status": "completed"}
    assert parse_action("redis", v2).action_type == "task"
    bdb = parse_v1_list("redis", [REAL_MACHINE], "/v1/actions/bdb/1", kind="state-machine")
    assert bdb[0]["action_type"] == "state-machine"
