"""Seeweb wire parsing and newest-first paging, as pure functions (no network)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.backends.base import BadResponseError
from tui.backends.seeweb.backend import NewestFirstCursor
from tui.backends.seeweb.wire import _STATUSES, _parse_id, parse_action
from tui.model import Action, Status, as_text, parse_progress

DOCUMENTED = {
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
}
"""The action of the API documentation, verbatim."""


def with_fields(**changes: Any) -> dict[str, Any]:
    """The documented action with some fields replaced (``None`` values are kept)."""
    return {**DOCUMENTED, **changes}


def test_documented_action() -> None:
    action = parse_action("sw", DOCUMENTED)
    assert action.ref == "sw:709"
    assert (action.backend, action.backend_type, action.id) == ("sw", "seeweb", "709")
    assert (action.name, action.status, action.raw_status) == (
        "delete_server",
        Status.COMPLETED,
        "completed",
    )
    assert action.progress == 100.0
    assert (action.resource, action.resource_type, action.user) == ("ec200285", "ECS", "foo")
    assert action.created_at == datetime(2024, 10, 19, 15, 8, 55, 887799, tzinfo=UTC)
    assert action.started_at is not None and action.started_at < action.created_at
    assert action.finished_at == datetime(2024, 10, 19, 15, 9, 56, 67592, tzinfo=UTC)
    assert action.raw == DOCUMENTED


@pytest.mark.parametrize(
    ("wire", "expected"),
    [("100", 100.0), (100, 100.0), (0, 0.0), (57.5, 57.5), (None, None), ("n/a", None)],
)
def test_progress(wire: object, expected: float | None) -> None:
    assert parse_action("sw", with_fields(progress=wire)).progress == expected


WIRE_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.integers(-5, 105)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["completed", " Completed ", "IN-PROGRESS", "error", "queued", "x"])
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(given_id=WIRE_VALUES, status=WIRE_VALUES, progress=WIRE_VALUES, text=WIRE_VALUES)
def test_the_usual_values_read_as_the_general_rules_read_them(
    given_id: object, status: object, progress: object, text: object
) -> None:
    """What parse_action takes without a call (an integer id, a status as the API
    spells it, a whole percentage, a string) reads as the model's general rules read it."""
    payload = with_fields(id=given_id, status=status, progress=progress, user=text, type=text)
    try:
        action = parse_action("sw", payload)
    except BadResponseError:
        assert _parse_id(given_id) is None
        return
    raw_status = as_text(status)
    assert action.id == _parse_id(given_id)
    assert action.raw_status == raw_status
    assert action.status is _STATUSES.get((raw_status or "").strip().lower(), Status.UNKNOWN)
    assert action.progress == Action(**_minimal(), progress=parse_progress(progress)).progress
    assert (action.user, action.name) == (as_text(text), as_text(text) or "unknown")


def _minimal() -> dict[str, Any]:
    return {"ref": "sw:1", "backend": "sw", "backend_type": "seeweb", "id": "1", "name": "n"}


@pytest.mark.parametrize(
    ("wire", "status"),
    [
        ("in-progress", Status.RUNNING),
        ("completed", Status.COMPLETED),
        ("failed", Status.FAILED),
        ("pending", Status.PENDING),
        ("queued", Status.PENDING),
        ("Completed", Status.COMPLETED),
        ("exploded", Status.UNKNOWN),
        (None, Status.UNKNOWN),
    ],
)
def test_status(wire: str | None, status: Status) -> None:
    action = parse_action("sw", with_fields(status=wire))
    assert action.status is status
    assert action.raw_status == wire


@pytest.mark.parametrize(
    "wire",
    [
        "2024-10-19T15:09:56.067592+00:00",
        "2024-10-19T15:09:56.067592",
        "2024-10-19T15:09:56.067592Z",
        "2024-10-19T17:09:56.067592+02:00",
    ],
)
def test_timestamps_in_every_zone_style(wire: str) -> None:
    action = parse_action("sw", with_fields(completed_at=wire))
    assert action.finished_at == datetime(2024, 10, 19, 15, 9, 56, 67592, tzinfo=UTC)


def test_running_action_has_no_completion() -> None:
    action = parse_action("sw", with_fields(status="in-progress", completed_at=None, progress=0))
    assert action.status is Status.RUNNING
    assert action.finished_at is None
    assert action.progress == 0.0


@pytest.mark.parametrize(("wire", "expected"), [(709, "709"), (709.0, "709"), ("709", "709")])
def test_id_as_int_float_or_digits(wire: object, expected: str) -> None:
    action = parse_action("sw", with_fields(id=wire))
    assert action.id == expected
    assert action.ref == f"sw:{expected}"


def test_missing_fields_and_extra_fields_are_tolerated() -> None:
    action = parse_action("sw", {"id": 5, "brand_new_field": {"x": 1}})
    assert action.name == "unknown"
    assert action.status is Status.UNKNOWN
    assert action.created_at is None
    assert action.raw == {"id": 5, "brand_new_field": {"x": 1}}


@pytest.mark.parametrize("wire", [None, "abc", 709.5, True, [], {}, "", "٣", float("nan")])
def test_invalid_id_is_a_bad_response(wire: object) -> None:
    with pytest.raises(BadResponseError) as caught:
        parse_action("sw", with_fields(id=wire), "/actions: actions[3]")
    assert caught.value.backend == "sw"
    assert "actions[3]" in str(caught.value)


@pytest.mark.parametrize("payload", [None, [], "action", 709, [DOCUMENTED]])
def test_non_object_is_a_bad_response(payload: object) -> None:
    with pytest.raises(BadResponseError, match=r"^sw: "):
        parse_action("sw", payload)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=12,
)
FIELDS = (*DOCUMENTED, "extra")
ACTION_LIKE = st.fixed_dictionaries(
    {}, optional={name: JSON | st.just(DOCUMENTED[name]) for name in DOCUMENTED}
) | st.dictionaries(st.sampled_from(FIELDS), JSON)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(payload=JSON | ACTION_LIKE)
def test_any_json_gives_an_action_or_a_bad_response(payload: object) -> None:
    try:
        action = parse_action("sw", payload)
    except BadResponseError as exc:
        assert exc.backend == "sw"
        return
    assert isinstance(action, Action)
    assert action.ref == f"sw:{action.id}"
    assert action.id.lstrip("-").isdigit()
    assert action.progress is None or 0.0 <= action.progress <= 100.0
    for moment in (action.created_at, action.started_at, action.finished_at):
        assert moment is None or moment.tzinfo is not None


# -- paging over a list that grows at the top ---------------------------------


def numbered(ids: list[int]) -> list[Action]:
    """Bare actions with these ids."""
    return [parse_action("t", {"id": number}) for number in ids]


def walk(
    start: int, limit: int, page: int, initial: int, arrivals: list[int]
) -> tuple[list[int], list[int]]:
    """Page through a newest-first list that gains ``arrivals[i]`` actions before read ``i``.

    Returns the ids read and the window the first read saw.
    """
    top = initial
    cursor = NewestFirstCursor(start=start)
    read: list[int] = []
    snapshot: list[int] | None = None
    for step in range(200):
        if len(read) >= limit:
            break
        top += arrivals[step % len(arrivals)]
        current = list(range(top, 0, -1))
        if snapshot is None:
            snapshot = current
        offset = cursor.next_offset()
        length = cursor.next_length(min(page, limit - len(read)))
        served = current[offset : offset + length]
        fresh = cursor.accept(offset, numbered(served), len(current))
        read.extend(int(action.id) for action in fresh)
        if len(served) < length:
            break
    assert snapshot is not None
    return read, snapshot[start : start + limit]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    start=st.integers(0, 30),
    limit=st.integers(1, 60),
    page=st.integers(1, 12),
    initial=st.integers(0, 80),
    arrivals=st.lists(st.integers(0, 30), min_size=1, max_size=8),
)
def test_cursor_neither_skips_nor_repeats_while_the_list_grows(
    start: int, limit: int, page: int, initial: int, arrivals: list[int]
) -> None:
    read, expected = walk(start, limit, page, initial, arrivals)
    assert read[:limit] == expected


def test_cursor_without_totals_falls_back_to_ids() -> None:
    cursor = NewestFirstCursor()
    first = cursor.accept(0, numbered([10, 9, 8]), None)
    second = cursor.accept(cursor.next_offset(), numbered([8, 7, 6]), None)
    assert [action.id for action in first + second] == ["10", "9", "8", "7", "6"]
    assert cursor.total is None


def test_error_status_of_the_terraform_docs_is_failed() -> None:
    """``"error"`` is a failed action, like ``"failed"``; the wire word stays in ``raw_status``.

    Source: Seeweb/terraform-provider-seeweb, docs/data-sources/action.md (commit
    3a1a326b): "status - ... This can be "in-progress", "completed", or "error"."
    """
    for word in ("error", "Error", " ERROR "):
        action = parse_action("sw", with_fields(status=word, completed_at=None, progress=40))
        assert (action.status, action.raw_status) == (Status.FAILED, word)
