"""The normalised model: wire-quirk parsing helpers and refs."""

from __future__ import annotations

import json
import pickle
import sys
from dataclasses import FrozenInstanceError, fields, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.model import (
    Action,
    ActionMaker,
    Event,
    PendingOp,
    Status,
    action_from_json,
    action_to_json,
    dumps_json,
    make_ref,
    parse_progress,
    parse_time,
    split_ref,
)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("2025-02-20T16:00:49.002883+00:00", datetime(2025, 2, 20, 16, 0, 49, 2883, tzinfo=UTC)),
        ("2018-04-25T01:26:29.585618", datetime(2018, 4, 25, 1, 26, 29, 585618, tzinfo=UTC)),
        ("2016-11-30T01:15:02", datetime(2016, 11, 30, 1, 15, 2, tzinfo=UTC)),
        ("2015-11-07T02:58:43.578887Z", datetime(2015, 11, 7, 2, 58, 43, 578887, tzinfo=UTC)),
        ("2024-10-19T17:08:55+02:00", datetime(2024, 10, 19, 15, 8, 55, tzinfo=UTC)),
        (1650378874, datetime(2022, 4, 19, 14, 34, 34, tzinfo=UTC)),
        ("1760400087", datetime(2025, 10, 14, 0, 1, 27, tzinfo=UTC)),
        (None, None),
        ("", None),
        ("yesterday", None),
        (True, None),
        ({"a": 1}, None),
        (1e300, None),
    ],
)
def test_parse_time_accepts_every_wire_form(wire: object, expected: datetime | None) -> None:
    assert parse_time(wire) == expected


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("100", 100.0),
        (100, 100.0),
        (57.5, 57.5),
        ("42.5", 42.5),
        (None, None),
        ("n/a", None),
        (-3, 0.0),
        (250, 100.0),
        (True, None),
        (float("nan"), None),
        ([], None),
    ],
)
def test_parse_progress_tolerates_strings_and_clamps(wire: object, expected: float | None) -> None:
    assert parse_progress(wire) == expected


@given(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.lists(st.integers())
    )
)
def test_parsers_never_raise(value: object) -> None:
    parsed = parse_time(value)
    assert parsed is None or parsed.tzinfo is not None
    progress = parse_progress(value)
    assert progress is None or 0.0 <= progress <= 100.0


def test_refs_round_trip_including_openstack_slashes() -> None:
    ref = make_ref("huawei", "e723eb40/req-5a42")
    assert ref == "huawei:e723eb40/req-5a42"
    assert split_ref(ref) == ("huawei", "e723eb40/req-5a42")
    assert split_ref("cache:a:b") == ("cache", "a:b")


@pytest.mark.parametrize("bad", ["", "noid", ":x", "x:"])
def test_split_ref_rejects_partial_refs(bad: str) -> None:
    with pytest.raises(ValueError, match="BACKEND:ID"):
        split_ref(bad)


def test_status_finality() -> None:
    assert {s for s in Status if s.is_final} == {Status.COMPLETED, Status.FAILED, Status.CANCELLED}
    assert {s for s in Status if s.in_flight} == {Status.PENDING, Status.RUNNING}


def test_sort_time_falls_back_and_failed_events_are_listed() -> None:
    started = datetime(2026, 1, 1, tzinfo=UTC)
    action = Action(
        ref="os:s/r",
        backend="os",
        backend_type="openstack",
        id="s/r",
        name="resize",
        started_at=started,
        events=(Event(name="a", result="Error"), Event(name="a", result="Success", attempt=2)),
    )
    assert action.sort_time == started
    assert [e.result for e in action.failed_events] == ["Error"]


def _payload(n: int) -> dict[str, object]:
    return {
        "id": n,
        "status": "completed",
        "user": "alice",
        "created_at": f"2026-03-14T11:59:{n % 60:02d}.316276+00:00",
        "resource": f"ec{200000 + n % 7}",
        "progress": 100,
        "nested": {"keep": ["as", "it", "is"], "big": 10**30, "ratio": 0.1, "none": None},
    }


def _seeweb_action(n: int, **changes: Any) -> Action:
    payload = _payload(n)
    action = Action(
        ref=f"sw:{n}",
        backend="sw",
        backend_type="seeweb",
        id=str(n),
        name="create_server",
        status=Status.COMPLETED,
        raw_status="completed",
        progress=100.0,
        resource=str(payload["resource"]),
        user="alice",
        created_at=parse_time(payload["created_at"]),
        raw=payload,
    )
    return replace(action, **changes)


def test_the_payload_reads_back_as_given_and_each_read_is_a_fresh_copy() -> None:
    action = _seeweb_action(7)
    assert action.raw == _payload(7)
    assert list(action.raw) == list(_payload(7))  # order kept
    action.raw["user"] = "mallory"
    assert action.raw["user"] == "alice"
    assert action_to_json(action)["raw"] == _payload(7)
    assert Action(ref="a:1", backend="a", backend_type="seeweb", id="1", name="x").raw == {}


def test_payloads_that_are_not_plain_data_are_kept_as_they_are() -> None:
    odd = {"when": datetime(2026, 1, 1, tzinfo=UTC), "text": "\ud800 lone surrogate"}
    action = _seeweb_action(1, raw=odd)
    assert action.raw == odd
    with pytest.raises(TypeError, match="JSON object"):
        _seeweb_action(1, raw=b"\xe3\x00")


def test_actions_compare_by_fields_and_payload() -> None:
    action = _seeweb_action(7)
    assert action == _seeweb_action(7)
    assert action != _seeweb_action(8)
    assert action != _seeweb_action(7, raw={**_payload(7), "progress": 99})
    reordered = dict(reversed(list(_payload(7).items())))
    assert action == _seeweb_action(7, raw=reordered)  # equal dicts, packed differently
    assert action != _seeweb_action(7, user="bob")
    copied = replace(action, user="bob")
    assert (copied.user, action.user, copied.raw) == ("bob", "alice", action.raw)


def test_loose_values_are_converted_as_the_model_always_did() -> None:
    op = PendingOp(shard="1", progress=40)
    action = Action(
        ref="r:1",
        backend="r",
        backend_type="redis-enterprise",
        id="1",
        name="x",
        status="failed",  # type: ignore[arg-type]
        progress=50,
        events=[Event(name="a")],  # type: ignore[arg-type]
        pending_ops=[op],  # type: ignore[arg-type]
    )
    assert action.status is Status.FAILED
    assert (type(action.progress), action.progress, type(op.progress)) == (float, 50.0, float)
    assert type(action.events) is tuple and type(action.pending_ops) is tuple
    with pytest.raises(ValueError):
        replace(action, status="exploded")  # type: ignore[arg-type]


def test_actions_share_their_repeated_strings() -> None:
    first, second = _seeweb_action(1), _seeweb_action(8)  # the same resource, apart
    assert first.resource == second.resource
    assert first.resource is second.resource
    assert first.name is second.name and first.raw_status is second.raw_status


def test_an_action_is_slotted_and_frozen() -> None:
    action = _seeweb_action(1)
    assert not hasattr(action, "__dict__")
    with pytest.raises(AttributeError):
        action.user = "bob"  # type: ignore[misc]


def _every_field(n: int) -> Action:
    when = datetime(2026, 3, 14, 12, n, tzinfo=UTC)
    return Action(
        ref=f"r:{n}",
        backend="r",
        backend_type="redis-enterprise",
        id=str(n),
        name="SMUpgradeBDB",
        status=Status.RUNNING,
        raw_status="active",
        progress=57.5,
        resource="bdb:3",
        resource_type="bdb",
        user="u",
        project_id="p",
        created_at=when,
        started_at=when,
        finished_at=when,
        updated_at=when,
        message="m\u202e",
        events=(Event(name="e", result="Error", started_at=when, attempt=2, attempts=2),),
        pending_ops=(PendingOp(shard="2", progress=10.0, heartbeat=when, snapshot={"k": [1]}),),
        state="s",
        node="1",
        object_name="bdb:3",
        action_type="task",
        error_code="oops",
        gone=True,
        raw={"action_uid": str(n), "deep": {"x": [1.5, None]}},
    )


@pytest.mark.parametrize(
    "action",
    [_every_field(1), Action(ref="a:1", backend="a", backend_type="seeweb", id="1", name="x")],
)
def test_the_json_form_reads_back_as_the_same_action(action: Action) -> None:
    written = json.loads(dumps_json(action_to_json(action)))
    assert action_from_json(written) == action
    assert action_from_json(action_to_json(action)) == action
    marked = action_from_json(written, from_history=True)
    assert marked.from_history and replace(marked, from_history=False) == action


@pytest.mark.parametrize(
    "damage",
    [
        {"ref": None},
        {"status": "exploded"},
        {"created_at": "yesterday"},
        {"progress": "50"},
        {"events": [{"result": "Error"}]},
        {"events": {"name": "e"}},
        {"pending_ops": [{"shard": 2}]},
        {"raw": []},
        {"gone": "yes"},
    ],
)
def test_a_damaged_json_form_is_a_value_error(damage: dict[str, object]) -> None:
    written = json.loads(dumps_json(action_to_json(_every_field(1))))
    with pytest.raises(ValueError):
        action_from_json({**written, **damage})
    with pytest.raises(ValueError, match="object"):
        action_from_json([])  # type: ignore[arg-type]


_FIELDS = [item.name for item in fields(Action)]
_MADE = ("ref", "backend", "backend_type", "id", "name", "status", "raw_status", "progress",
         "resource", "user", "created_at", "raw")  # fmt: skip


@pytest.mark.parametrize(
    ("status", "progress", "raw"),
    [
        (Status.RUNNING, 57, {"id": 1, "progress": 57}),
        ("failed", 57.5, {}),
        (Status.COMPLETED, 100.0, {"a": [1, {"b": None}]}),
        (Status.PENDING, None, {"when": datetime(2026, 1, 1, tzinfo=UTC)}),
        (Status.UNKNOWN, 150, {"id": 2}),
        (Status.UNKNOWN, -3.0, {"id": 3}),
    ],
)
def test_a_maker_builds_what_the_constructor_builds(
    status: Any, progress: float | None, raw: dict[str, Any]
) -> None:
    long_name = "n" * 41
    canonical = sys.intern("".join(["ec2", "0", "01"]))
    resource = "".join(["ec2", "001"])  # equal, but another string
    when = datetime(2026, 3, 14, tzinfo=UTC)
    values = ("s:1", "s", "seeweb", "1", "create_server", status, "in-progress", progress,
              resource, long_name, when, raw)  # fmt: skip
    made = ActionMaker(*_MADE)(*values)
    built = Action(**dict(zip(_MADE, values, strict=True)))
    assert made == built
    assert [getattr(made, name) for name in _FIELDS] == [getattr(built, name) for name in _FIELDS]
    assert [type(getattr(made, name)) for name in _FIELDS] == [
        type(getattr(built, name)) for name in _FIELDS
    ]
    assert resource is not canonical and made.resource is canonical is built.resource
    assert made.user is long_name  # a long string is not interned
    assert made.progress is built.progress or made.progress == built.progress


def test_a_maker_without_the_payload_leaves_it_empty() -> None:
    maker = ActionMaker("ref", "backend", "backend_type", "id", "name")
    made = maker("a:1", "a", "seeweb", "1", "x")
    assert made == Action(ref="a:1", backend="a", backend_type="seeweb", id="1", name="x")
    assert made.raw == {} and made.events == () and made.from_history is False


@pytest.mark.parametrize("names", [("ref", "nope"), ("ref", "ref"), ("ref", "events")])
def test_a_maker_takes_only_the_fields_it_converts(names: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        ActionMaker(*names)


def test_a_made_action_is_a_frozen_action_like_any_other() -> None:
    made = ActionMaker("ref", "backend", "backend_type", "id", "name", "raw")(
        "a:1", "a", "seeweb", "1", "x", {"id": 1}
    )
    assert type(made) is Action
    with pytest.raises(FrozenInstanceError):
        made.name = "y"  # type: ignore[misc]
    changed = replace(made, name="y")
    assert changed == Action(
        ref="a:1", backend="a", backend_type="seeweb", id="1", name="y", raw={"id": 1}
    )
    assert pickle.loads(pickle.dumps(made)) == made
    assert made.raw == {"id": 1} and made.raw is not made.raw  # a fresh copy each read


def test_a_maker_holds_json_text_as_it_came_and_reads_it_by_the_payload_rules() -> None:
    """A page read from its bytes gives each action its object's text, not a dict."""
    make = ActionMaker("ref", "backend", "backend_type", "id", "name", "raw")
    text = '{"id": 1, "far": 1e400, "when": "2024-10-19"}'
    made = make("a:1", "a", "seeweb", "1", "x", text)
    assert made.raw == {"id": 1, "far": None, "when": "2024-10-19"}
    assert made.raw is not made.raw
    same = Action(ref="a:1", backend="a", backend_type="seeweb", id="1", name="x", raw=made.raw)
    assert made == same and same == made, "held as text or packed, the same payload is equal"
    assert made != replace(same, raw={"id": 2})
    assert made == make("a:1", "a", "seeweb", "1", "x", text)
    assert pickle.loads(pickle.dumps(made)) == made
    with pytest.raises(TypeError):
        Action(ref="a:1", backend="a", backend_type="seeweb", id="1", name="x", raw=text)  # type: ignore[arg-type]
