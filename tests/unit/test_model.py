"""The normalised model: wire-quirk parsing helpers and refs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.model import (
    Action,
    Event,
    Status,
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
