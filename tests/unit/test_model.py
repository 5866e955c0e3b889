"""The normalised model: wire-quirk parsing helpers and refs."""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.model import (
    Action,
    Event,
    Status,
    compact_dict,
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


def test_actions_share_their_set_of_given_fields_without_mixing_them() -> None:
    def make(n: int, **extra: object) -> Action:
        fields = {"ref": f"sw:{n}", "backend": "sw", "backend_type": "seeweb", "id": str(n)}
        return Action.model_validate({**fields, "name": "x", **extra})

    first, second = make(1, user="alice"), make(2, user="bob")
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    assert first.model_fields_set == {"ref", "backend", "backend_type", "id", "name", "user"}
    copied = first.model_copy(update={"progress": 5.0})
    assert "progress" in copied.model_fields_set and "progress" not in second.model_fields_set
    other = make(3)
    assert "user" not in other.model_fields_set
    assert other.model_dump(exclude_unset=True) == {
        "ref": "sw:3", "backend": "sw", "backend_type": "seeweb", "id": "3", "name": "x"
    }  # fmt: skip


def _payload(n: int) -> dict[str, object]:
    return {
        "id": n,
        "status": "completed",
        "user": "alice",
        "created_at": f"2026-03-14T11:59:{n % 60:02d}.316276+00:00",
        "resource": f"ec{200000 + n % 7}",
        "progress": 100,
        "nested": {"keep": ["as", "it", "is"]},
    }


def _seeweb_action(n: int) -> Action:
    payload = _payload(n)
    return Action(
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


def test_a_compact_action_keeps_its_fields_payload_and_json() -> None:
    action = _seeweb_action(7)
    assert action.raw == _payload(7)
    assert json.loads(action.model_dump_json())["raw"] == _payload(7)
    assert action.model_dump()["progress"] == 100.0
    assert action == _seeweb_action(7)
    assert action != _seeweb_action(8)
    copied = action.model_copy(update={"user": "bob"})
    assert (copied.user, action.user, copied.raw) == ("bob", "alice", action.raw)


def test_actions_share_their_repeated_strings() -> None:
    first, second = _seeweb_action(1), _seeweb_action(8)  # the same resource, apart
    assert first.resource == second.resource
    assert first.resource is second.resource
    assert first.raw["resource"] is second.raw["resource"] is first.resource
    assert first.raw["created_at"] is not second.raw["created_at"]


def test_compact_dicts_are_equal_and_smaller() -> None:
    plain = [_payload(n) for n in range(2_000)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        copies = [dict(payload) for payload in plain]
        copied = tracemalloc.get_traced_memory()[0] - before
        before = tracemalloc.get_traced_memory()[0]
        compacted = [compact_dict(payload) for payload in plain]
        compact = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert compacted == copies == plain
    assert [list(c) for c in compacted[:3]] == [list(p) for p in plain[:3]]  # order kept
    assert compact < 0.75 * copied, (compact, copied)


@pytest.mark.parametrize(
    "keys",
    [("__class__", "a"), ("__dict__",), tuple(f"k{i}" for i in range(40))],
)
def test_dicts_that_cannot_share_keys_are_left_as_they_are(keys: tuple[str, ...]) -> None:
    values = dict.fromkeys(keys, "value")
    compacted = compact_dict(values)
    assert compacted == values
    assert type(compacted) is dict
