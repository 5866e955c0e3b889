"""Nova instance-action JSON to Action: status rules, event grouping, hostile input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.backends.base import BadResponseError
from tui.backends.openstack.wire import ServerRef, parse_action
from tui.model import Action, Status, parse_time

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
SETTLE = timedelta(hours=6)
SERVER = ServerRef("6c1b8a5e-0000-4000-8000-000000000001", "web-01")


def at(minutes: float) -> str:
    """A naive Nova timestamp ``minutes`` before NOW."""
    return (
        (NOW - timedelta(minutes=minutes)).replace(tzinfo=None).isoformat(timespec="microseconds")
    )


def event(
    name: str,
    start: float,
    finish: float | None = None,
    result: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A wire event started ``start`` minutes ago (and finished ``finish`` minutes ago)."""
    return {
        "event": name,
        "start_time": at(start),
        "finish_time": None if finish is None else at(finish),
        "result": result,
        "traceback": None,
        **extra,
    }


def action(
    events: list[dict[str, Any]] | None, *, message: str | None = None, start: float = 30
) -> dict[str, Any]:
    """A wire action started ``start`` minutes ago; ``events=None`` leaves the key out."""
    raw: dict[str, Any] = {
        "action": "resize",
        "instance_uuid": SERVER.id,
        "message": message,
        "project_id": "p",
        "request_id": "req-1",
        "start_time": at(start),
        "user_id": "u",
        "updated_at": at(start - 1),
    }
    if events is not None:
        raw["events"] = list(reversed(events))  # Nova sends newest first
    return raw


def parse(raw: object) -> Action:
    """Parse as the backend does."""
    return parse_action(
        raw, backend="os", server=SERVER, now=NOW, settle_after=SETTLE, path="/servers/x"
    )


def retried(
    *attempts: tuple[float, float | None, str | None], message: str | None
) -> dict[str, Any]:
    """An action whose one event ran several times: ``(start, finish, result)`` per attempt."""
    return action([event("compute_build", *attempt) for attempt in attempts], message=message)


STATUS_CASES = [
    ("message Error, no events", action([], message="Error"), Status.FAILED),
    ("no events yet, young", action([], start=1), Status.RUNNING),
    ("no events ever (lock), old", action([], start=30), Status.COMPLETED),
    ("one success", action([event("reboot", 29, 28, "Success")]), Status.COMPLETED),
    ("unfinished event", action([event("reboot", 29)]), Status.RUNNING),
    ("event error", action([event("prep", 29, 28, "Error")], message="Error"), Status.FAILED),
    # Only ``message`` fails an action (list and show must agree; the list has no events):
    ("event error, message not set", action([event("prep", 29, 28, "Error")]), Status.COMPLETED),
    ("lower-case message", action([event("p", 29, 28, "error")], message="error"), Status.FAILED),
    ("finished without result", action([event("cold_migrate", 29, 28)]), Status.COMPLETED),
    (
        "retry recovered, Nova's message stays Error",
        retried((29, 28, "Error"), (27, 26, "Success"), message="Error"),
        Status.FAILED,
    ),
    (
        "retry recovered, cloud without message",
        retried((29, 28, "Error"), (27, 26, "Success"), message=None),
        Status.COMPLETED,
    ),
    (
        "retry running after an error, cloud without message",
        retried((29, 28, "Error"), (27, None, None), message=None),
        Status.RUNNING,
    ),
    (
        "three attempts",
        retried((29, 28, "Error"), (27, 26, "Error"), (25, 24, "Success"), message=None),
        Status.COMPLETED,
    ),
    (
        "duplicate row: first row rewritten after the duplicate began",
        retried((29, 20, "Success"), (25, None, None), message=None),
        Status.COMPLETED,
    ),
    (
        "duplicate row after an error",
        retried((29, 20, "Success"), (25, None, None), message="Error"),
        Status.FAILED,
    ),
    (
        "genuine second run: earlier success ended before it began",
        retried((29, 28, "Success"), (25, None, None), message=None),
        Status.RUNNING,
    ),
    (
        "one name failed while another runs",
        action([event("cold_migrate", 29, 28, "Error"), event("prep", 27)], message="Error"),
        Status.FAILED,
    ),
    (
        "an error event without message Error does not stop the running one",
        action([event("cold_migrate", 29, 28, "Error"), event("prep", 27)]),
        Status.RUNNING,
    ),
    ("events hidden, recent", action(None, start=30), Status.UNKNOWN),
    ("events hidden, settled", action(None, start=600), Status.COMPLETED),
    ("events hidden, message Error", action(None, message="Error"), Status.FAILED),
]


@pytest.mark.parametrize(
    ("raw", "expected"), [c[1:] for c in STATUS_CASES], ids=[c[0] for c in STATUS_CASES]
)
def test_status_derivation(raw: dict[str, Any], expected: Status) -> None:
    """The documented rules, one wire shape each."""
    assert parse(raw).status is expected


def test_fields_of_a_finished_action() -> None:
    """Ids, ref, resource, times (naive means UTC), message and no progress."""
    raw = action([event("compute_reboot_instance", 29, 28, "Success")])
    parsed = parse(raw)
    assert parsed.id == f"{SERVER.id}/req-1"
    assert parsed.ref == f"os:{SERVER.id}/req-1"
    assert parsed.backend_type == "openstack"
    assert (parsed.resource, parsed.resource_type, parsed.object_name) == (
        "web-01",
        "server",
        SERVER.id,
    )
    assert parsed.created_at == parsed.started_at == NOW - timedelta(minutes=30)
    assert parsed.finished_at == NOW - timedelta(minutes=28)
    assert parsed.updated_at == NOW - timedelta(minutes=29)
    assert parsed.user == "u"
    assert parsed.progress is None
    assert parsed.raw == raw


def test_running_action_has_no_finish() -> None:
    """``finished_at`` stays empty until the action is final."""
    assert parse(action([event("compute_reboot_instance", 29)])).finished_at is None


def test_unknown_server_name_falls_back_to_id() -> None:
    """Deleted or unlisted servers show their id."""
    raw = action([])
    parsed = parse_action(
        raw, backend="os", server=ServerRef("abc"), now=NOW, settle_after=SETTLE, path="/x"
    )
    assert parsed.resource == "abc"


def test_events_grouped_and_numbered_oldest_first() -> None:
    """Attempts of one name are numbered oldest first; events sorted by start."""
    raw = action(
        [
            event("conductor_schedule_and_build_instances", 29, 28, "Success"),
            event("compute_build_and_run_instance", 27, 26, "Error", traceback="  File x\n"),
            event(
                "compute_build_and_run_instance",
                25,
                20,
                "Success",
                hostId="abc",
                host="c-1",
                details=None,
            ),
        ],
        message="Error",
    )
    events = parse(raw).events
    assert [e.name for e in events] == [
        "conductor_schedule_and_build_instances",
        "compute_build_and_run_instance",
        "compute_build_and_run_instance",
    ]
    assert [(e.attempt, e.attempts) for e in events] == [(1, 1), (1, 2), (2, 2)]
    assert events[1].failed
    assert events[1].traceback == "  File x\n"
    assert (events[2].host, events[2].host_id, events[2].details) == ("c-1", "abc", None)
    assert events[0].traceback is None


def test_timestamps_with_zone_or_seconds_only() -> None:
    """Huawei's ``.000000`` and zoned stamps are read too."""
    raw = action([event("compute_stop_instance", 29, 28, "Success")])
    raw["start_time"] = "2026-03-14T11:30:00Z"
    raw["events"][0]["finish_time"] = "2026-03-14T11:32:00.000000"
    parsed = parse(raw)
    assert parsed.started_at == datetime(2026, 3, 14, 11, 30, tzinfo=UTC)
    assert parsed.finished_at == datetime(2026, 3, 14, 11, 32, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    [
        [],
        "action",
        {"action": "reboot"},
        {"request_id": "req-1"},
        {"action": 3, "request_id": "req-1"},
        {"action": "reboot", "request_id": ""},
        {**action([]), "events": {"event": "x"}},
        {**action([]), "events": [{"result": "Success"}]},
        {**action([]), "events": ["compute_reboot_instance"]},
    ],
)
def test_malformed_payloads_are_bad_responses(raw: object) -> None:
    """Shapes that are not an instance action raise BadResponseError naming the backend."""
    with pytest.raises(BadResponseError, match=r"^os: /servers/x: unexpected payload"):
        parse(raw)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
EVENT_KEYS = st.sampled_from(
    ["event", "start_time", "finish_time", "result", "traceback", "hostId", "host", "details"]
)
ACTION_KEYS = st.sampled_from(
    [
        "action",
        "request_id",
        "message",
        "start_time",
        "updated_at",
        "user_id",
        "project_id",
        "instance_uuid",
    ]
)
PLAUSIBLE = st.fixed_dictionaries(
    {"action": st.text(max_size=10), "request_id": st.text(min_size=1, max_size=10)},
    optional={
        "events": st.lists(
            st.dictionaries(EVENT_KEYS, JSON | st.sampled_from([at(5), "Error", None])), max_size=5
        )
        | JSON
    },
).flatmap(
    lambda base: st.dictionaries(ACTION_KEYS, JSON | st.just(at(3))).map(
        lambda extra: {**extra, **base}
    )
)


def _accepts(raw: object) -> None:
    try:
        parsed = parse(raw)
    except BadResponseError:
        return
    assert isinstance(parsed.status, Status)
    assert all(1 <= e.attempt <= e.attempts for e in parsed.events)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_arbitrary_json_is_an_action_or_bad_response(raw: object) -> None:
    """Whatever arrives, the parser returns an Action or raises BadResponseError."""
    _accepts(raw)


@settings(max_examples=300, deadline=None)
@given(PLAUSIBLE)
def test_plausible_but_hostile_actions(raw: dict[str, Any]) -> None:
    """Real keys with arbitrary values: still an Action or BadResponseError."""
    _accepts(raw)


# --- payloads other projects collected from real clouds and Nova itself ------------------------

GOPHERCLOUD_LIST: dict[str, list[dict[str, Any]]] = {
    # gophercloud/gophercloud openstack/compute/v2/instanceactions/testing/fixtures_test.go
    # (commit 090f0e2f): a list below microversion 2.58, so no updated_at.
    "instanceActions": [
        {
            "action": "stop",
            "instance_uuid": "fcd19ef2-b593-40b1-90a5-fc31063fa95c",
            "message": None,
            "project_id": "6f70656e737461636b20342065766572",
            "request_id": "req-f8a59f03-76dc-412f-92c2-21f8612be728",
            "start_time": "2018-04-25T01:26:29.000000",
            "user_id": "admin",
        },
        {
            "action": "create",
            "instance_uuid": "fcd19ef2-b593-40b1-90a5-fc31063fa95c",
            "message": "test",
            "project_id": "6f70656e737461636b20342065766572",
            "request_id": "req-50189019-626d-47fb-b944-b8342af09679",
            "start_time": "2018-04-25T01:26:25.000000",
            "user_id": "admin",
        },
    ]
}

NTT_SHOW = {
    # NTT Enterprise Cloud 2.0 API reference, "server action details" (2.1 shape,
    # no updated_at): GET /v2/{tenant_id}/servers/{server_id}/os-instance-actions/{id}.
    "action": "rebuild",
    "events": [
        {
            "event": "compute_stop_instance",
            "finish_time": "2016-12-12T05:02:37.000000",
            "result": "Success",
            "start_time": "2016-12-12T05:02:35.000000",
            "traceback": None,
        },
        {
            "event": "compute_rebuild_instance",
            "finish_time": "2016-12-12T05:02:37.000000",
            "result": "Success",
            "start_time": "2016-12-12T05:02:25.000000",
            "traceback": None,
        },
    ],
    "instance_uuid": "fee86478-a120-488f-8359-97d200564b90",
    "message": None,
    "project_id": "bb46ff7286ed4e418958c2a5e06cd4a2",
    "request_id": "req-73190894-7461-4b1e-abf9-dc31b9a64ced",
    "start_time": "2016-12-12T05:02:23.000000",
    "user_id": "1f708e1376784e529a7b09eb5ff1a5fc",
}

NOVA_FAKE_RESIZE = {
    # openstack/nova nova/tests/unit/fake_server_actions.py (commit 0ac47bbd), as the
    # API renders it: message "" (not "Error") although its one event failed.
    "action": "resize",
    "instance_uuid": "b48316c5-71e8-45e4-9884-6c78055b9b13",
    "request_id": "req-25517360-b757-47d3-be45-0e8d2a01b36a",
    "project_id": "842",
    "user_id": "789",
    "start_time": "2012-12-05T01:00:00.000000",
    "message": "",
    "updated_at": None,
}
NOVA_FAKE_RESIZE_EVENTS = [
    {
        "event": "schedule",
        "start_time": "2012-12-05T03:00:00.000000",
        "finish_time": "2012-12-05T03:02:00.000000",
        "result": "Error",
        "traceback": "",
        "host": "host2",
        "hostId": "858f5ed465b4967dd1306a38078e9b83b8705bdedfa7f16f898119b4",
        "details": None,
    }
]


def test_listed_action_below_2_58_has_no_finish_time() -> None:
    """Without ``updated_at`` Nova gives no finish time: it is unknown, not ``start_time``."""
    for raw in GOPHERCLOUD_LIST["instanceActions"]:
        parsed = parse(raw)
        assert parsed.status is Status.COMPLETED  # settled long ago
        assert parsed.started_at == parse_time(raw["start_time"])
        assert parsed.finished_at is None


def test_shown_action_below_2_58_finishes_with_its_newest_event() -> None:
    """The NTT detail has no ``updated_at``: the newest event ``finish_time`` is the finish."""
    parsed = parse(NTT_SHOW)
    assert parsed.status is Status.COMPLETED
    assert parsed.finished_at == datetime(2016, 12, 12, 5, 2, 37, tzinfo=UTC)
    assert parsed.updated_at is None


def test_listed_and_shown_forms_agree_on_an_error_event_without_message_error() -> None:
    """Nova's fake resize: ``message`` is ``""`` and its event failed; list and show agree."""
    listed = parse(NOVA_FAKE_RESIZE)
    shown = parse({**NOVA_FAKE_RESIZE, "events": NOVA_FAKE_RESIZE_EVENTS})
    assert listed.status is shown.status is Status.COMPLETED
    assert [event.failed for event in shown.events] == [True]  # the detail still shows it
    failed = parse({**NOVA_FAKE_RESIZE, "message": "Error", "events": NOVA_FAKE_RESIZE_EVENTS})
    assert failed.status is parse({**NOVA_FAKE_RESIZE, "message": "Error"}).status


def test_project_id_is_kept() -> None:
    """Projects differ across backends: the action says which one it belongs to."""
    assert parse(NTT_SHOW).project_id == "bb46ff7286ed4e418958c2a5e06cd4a2"
    assert parse({**NTT_SHOW, "project_id": None}).project_id is None  # nova-manage actions


def test_unknown_duration_does_not_read_as_zero() -> None:
    """The console's duration cell of such an action is empty (unknown), never ``0s``."""
    from tui.console.widgets.cells import action_duration, duration_label

    parsed = parse(GOPHERCLOUD_LIST["instanceActions"][0])
    assert action_duration(parsed, NOW) is None
    assert duration_label(parsed, NOW) == ""
