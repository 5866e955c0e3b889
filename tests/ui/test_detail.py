"""DetailPane: fields, per-backend sections, raw JSON, traceback requests, hostile text.

The pane is mounted alone in a tiny app with a fixed ``now``; assertions are
on what the pane shows (its widgets' content) and on the messages it posts.
Most actions are built here, shaped like the wire quirks they exercise; the
last tests take real actions from the simulator over loopback HTTP.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from tests.ui.harness import ThemedApp
from tui.backends.base import ListQuery
from tui.backends.openstack.auth import OpenStackCredentials
from tui.backends.openstack.backend import OpenStackBackend
from tui.connect import build_backend
from tui.console.widgets.detail_pane import GONE_TEXT, DetailPane
from tui.console.widgets.event_timeline import EventTimeline
from tui.console.widgets.line_view import LineView
from tui.console.widgets.pending_ops import PendingOpsView, is_stale
from tui.console.widgets.raw_json import RawJsonView
from tui.console.widgets.timeline_rows import NO_EVENTS, NOVA_RETRY_NOTE
from tui.embedded import simulator_config
from tui.model import Action, Event, PendingOp, Status
from tui.sim import Simulator

NOW = datetime(2026, 3, 14, 12, 0, 0, tzinfo=UTC)
HOSTILE = "[bold]x[/bold] \x1b[2J"
SHOWN_HOSTILE = "[bold]x[/bold] ␛[2J"


def at(seconds: float) -> datetime:
    """``NOW`` shifted by ``seconds``."""
    return NOW + timedelta(seconds=seconds)


def traceback_of(attempt: int) -> str:
    """A distinguishable Nova-like traceback."""
    return (
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3/dist-packages/nova/compute/manager.py", line 5, in prep\n'
        f"nova.exception.ResizeError: attempt {attempt} failed"
    )


def nova_action(status: Status = Status.FAILED) -> Action:
    """A resize whose prep was retried twice; events in Nova's newest-first order."""
    events = [
        Event(name="conductor_migrate_server", result="Success", started_at=at(-310),
              finished_at=at(-240)),
        Event(name="compute_prep_resize", result="Error", started_at=at(-300),
              finished_at=at(-290), host="compute-1", host_id="f" * 56,
              details=f"Resize error {HOSTILE}", traceback=traceback_of(1)),
        Event(name="compute_prep_resize", result="Error", started_at=at(-280),
              finished_at=at(-270), host="compute-2", traceback=traceback_of(2)),
        Event(name="compute_prep_resize", result="Success", started_at=at(-260),
              finished_at=at(-250), host="compute-3"),
        Event(name="compute_resize_instance", started_at=at(-200)),
        Event(name="compute_finish_resize", started_at=at(-100)),
    ]  # fmt: skip
    return Action(
        ref="openstack:srv-1/req-1", backend="openstack", backend_type="openstack",
        id="srv-1/req-1", name="resize", status=status, raw_status="Error",
        resource=f"web-1 {HOSTILE}", resource_type="server", user="alice",
        created_at=at(-310), updated_at=at(-240), message="Error",
        events=tuple(reversed(events)), raw={"action": "resize", "note": HOSTILE},
    )  # fmt: skip


def redis_action(*, status: Status = Status.RUNNING, gone: bool = False) -> Action:
    """An upgrade with a fresh shard, a stalled one and a finished one."""
    ops = (
        PendingOp(shard="10", op_name="upgrade_redis", status_code="in_progress", progress=80,
                  heartbeat=at(-5), last_sample_time=at(-5)),
        PendingOp(shard="9", op_name="upgrade_redis", status_code="in_progress",
                  status_description="Upgrading", progress=12.2, heartbeat=at(-70),
                  last_sample_time=at(-3), snapshot={"b": 1, "a": 2, "d": 3, "c": 4}),
        PendingOp(shard="2", op_name="upgrade_redis", status_code="done", progress=100,
                  heartbeat=at(-500)),
    )  # fmt: skip
    return Action(
        ref="redis:uid-1", backend="redis", backend_type="redis-enterprise",
        id="uid-1", name="SMUpgradeBDB", status=status, raw_status="active", progress=35.1,
        state="upgrade_shards", node="2", object_name="bdb:1", created_at=at(-150),
        pending_ops=ops, gone=gone, raw={"action_uid": "uid-1"},
    )  # fmt: skip


def seeweb_action() -> Action:
    """A completed Seeweb action whose start is recorded microseconds before its creation."""
    return Action(
        ref="seeweb:1960", backend="seeweb", backend_type="seeweb", id="1960",
        name="power_on", status=Status.COMPLETED, raw_status="completed", progress=100,
        resource="ec200001", resource_type="ECS", user="bob", created_at=at(-91.000274),
        started_at=at(-91.000550), finished_at=at(-69.7), raw={"id": 1960},
    )  # fmt: skip


class DetailApp(ThemedApp):
    """Just the pane, with the ActionDeck themes and a fixed clock."""

    def __init__(self, action: Action | None, now: datetime = NOW) -> None:
        super().__init__()
        self._action = action
        self._now = now

    def compose(self) -> ComposeResult:
        yield DetailPane(self._action, now=lambda: self._now, age_refresh=None)


def _shown(widget: Widget, pane: DetailPane) -> bool:
    node: Widget | None = widget
    while node is not None and node is not pane:
        if not node.display:
            return False
        node = node.parent if isinstance(node.parent, Widget) else None
    return True


def shown_text(pane: DetailPane) -> str:
    """The text of every visible part of the pane, top to bottom."""
    parts: list[str] = []
    for static in pane.query(Static):
        if _shown(static, pane) and isinstance(static.content, Content):
            parts.append(static.content.plain)
    for view in pane.query(LineView):
        if _shown(view, pane):
            parts.append(view_content(view).plain)
    timeline = pane.query_one(EventTimeline)
    if _shown(timeline, pane):
        parts += [prompt.plain for prompt in timeline.row_contents()]
    return "\n".join(parts)


def view_content(view: LineView) -> Content:
    """Every line of a line view, as one text."""
    return Content("\n").join(view.line_content(index) for index in range(view.line_count))


def styles_of(content: Content, text: str) -> set[str]:
    """The styles that cover every character of ``text`` inside ``content``."""
    start = content.plain.index(text)
    wanted = set(range(start, start + len(text)))
    covered: dict[str, set[int]] = {}
    for span in content.spans:
        covered.setdefault(str(span.style), set()).update(range(span.start, span.end))
    return {style for style, offsets in covered.items() if wanted <= offsets}


def requests_in(messages: list[Message]) -> list[DetailPane.TracebackRequested]:
    """Each traceback request once (the hook sees a message at every hop as it bubbles)."""
    unique = {id(m): m for m in messages if isinstance(m, DetailPane.TracebackRequested)}
    return list(unique.values())


@pytest.fixture
def messages() -> list[Message]:
    """Every message the app's widgets post."""
    return []


def timeline_prompts(pane: DetailPane) -> list[Content]:
    """The text of every row (heading or attempt) of the events timeline."""
    return pane.query_one(EventTimeline).row_contents()


async def test_every_field_is_shown_with_absolute_time_and_age() -> None:
    app = DetailApp(nova_action())
    async with app.run_test(size=(120, 36)):
        text = shown_text(app.query_one(DetailPane))

    for expected in (
        "openstack:srv-1/req-1", "openstack  (openstack)", "resize", "✖ failed", "raw status",
        "Error", "web-1", "(server)", "alice", "created     2026-03-14 11:54:50 UTC (5m ago)",
        "updated     2026-03-14 11:56:00 UTC (4m ago)",
    ):  # fmt: skip
        assert expected in text
    assert "progress" not in text.split("Events")[0]  # Nova sends none: not shown as "-"


async def test_retried_events_are_grouped_oldest_first_with_failures_marked() -> None:
    app = DetailApp(nova_action())
    async with app.run_test(size=(120, 36)):
        prompts = timeline_prompts(app.query_one(DetailPane))

    headings = [prompt.plain for prompt in prompts if not prompt.plain.startswith("  ")]
    assert headings == [
        "conductor_migrate_server — ✔ Success",
        "compute_prep_resize — 3 attempts: ✖ Error → ✖ Error → ✔ Success",
        "compute_resize_instance — ◌ no finish recorded",
        "compute_finish_resize — ◌ no finish recorded",
    ]
    attempts = [prompt for prompt in prompts if prompt.plain.startswith("  attempt")]
    assert [prompt.plain.split("  ")[1] for prompt in attempts] == [
        "attempt 1/3", "attempt 2/3", "attempt 3/3",
    ]  # fmt: skip
    assert "$status-failed" in styles_of(attempts[0], "✖ Error")
    assert "$status-completed" in styles_of(attempts[2], "✔ Success")
    assert "✖ Error  11:55:00 → 11:55:10 UTC (10s)" in attempts[0].plain
    assert "host compute-1  ·  hostId ffffffffffff…" in attempts[0].plain
    assert "t: view traceback" in attempts[0].plain
    assert "t: view traceback" not in attempts[2].plain


async def test_unfinished_retry_after_success_reads_no_finish_recorded_not_running() -> None:
    action = replace(nova_action(status=Status.RUNNING), events=(
                Event(name="compute_resize_instance", result="Success", started_at=at(-60),
                      finished_at=at(-30)),
                Event(name="compute_resize_instance", started_at=at(-20)),
                Event(name="compute_finish_resize", started_at=at(-10)),
            ))  # fmt: skip
    app = DetailApp(action)
    async with app.run_test(size=(120, 36)):
        plains = [prompt.plain for prompt in timeline_prompts(app.query_one(DetailPane))]

    assert "compute_resize_instance — 2 attempts: ✔ Success → ◌ no finish recorded" in plains
    assert "compute_finish_resize — ● running" in plains
    assert any("11:59:50 UTC → … (10s so far)" in plain for plain in plains)
    [unfinished] = [plain for plain in plains if plain.startswith("  attempt 2/2")]
    assert "started 11:59:40 UTC" in unfinished
    assert NOVA_RETRY_NOTE in unfinished


async def test_t_without_cursor_requests_the_first_failed_traceback(
    messages: list[Message],
) -> None:
    app = DetailApp(nova_action())
    async with app.run_test(size=(120, 36), message_hook=messages.append) as pilot:
        app.query_one(DetailPane).focus_body()
        await pilot.press("t")
        await pilot.pause()

    [request] = requests_in(messages)
    assert (request.action_ref, request.event_name) == (
        "openstack:srv-1/req-1",
        "compute_prep_resize",
    )
    assert request.traceback == traceback_of(1)


async def test_cursor_picks_the_event_whose_traceback_t_and_enter_request(
    messages: list[Message],
) -> None:
    app = DetailApp(nova_action())
    async with app.run_test(size=(120, 36), message_hook=messages.append) as pilot:
        app.query_one(EventTimeline).focus()
        await pilot.press("down", "down", "down")  # skips headings: 2nd prep attempt
        await pilot.press("t")
        await pilot.press("up", "enter")
        await pilot.pause()

    requests = requests_in(messages)
    assert [request.traceback for request in requests] == [traceback_of(2), traceback_of(1)]


async def test_event_without_traceback_requests_nothing_and_says_so(
    messages: list[Message],
) -> None:
    app = DetailApp(nova_action())
    async with app.run_test(size=(120, 36), message_hook=messages.append) as pilot:
        app.query_one(EventTimeline).focus()
        await pilot.press("down", "enter")  # conductor_migrate_server: succeeded
        await pilot.pause()

    assert not requests_in(messages)
    assert app.notices == ["No traceback recorded for conductor_migrate_server."]


async def test_v_toggles_the_raw_json_view() -> None:
    app = DetailApp(nova_action())
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        pane.focus_body()
        await pilot.press("v")
        await pilot.pause()
        raw_text = shown_text(pane)
        raw_visible = _shown(pane.query_one(RawJsonView), pane)
        raw_focus = app.focused.id if app.focused else None
        await pilot.press("v")
        await pilot.pause()
        back_text = shown_text(pane)
        back_focus = app.focused.id if app.focused else None

    assert raw_visible
    assert (raw_focus, back_focus) == ("detail-raw-scroll", "detail-events")
    assert '"action": "resize"' in raw_text
    assert '"note": "[bold]x[/bold] \\u001b[2J"' in raw_text
    assert "attempt 1/3" not in raw_text
    assert '"action": "resize"' not in back_text
    assert "attempt 1/3" in back_text


async def test_markup_and_escapes_from_the_server_appear_literally() -> None:
    app = DetailApp(nova_action())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = shown_text(app.query_one(DetailPane))
        svg = app.export_screenshot()

    assert f"web-1 {SHOWN_HOSTILE}" in text
    assert f"details Resize error {SHOWN_HOSTILE}" in text
    assert "\x1b" not in text
    assert "[bold]x[/bold]" in svg
    assert "␛[2J" in svg


async def test_redis_pending_ops_flag_the_stale_heartbeat() -> None:
    app = DetailApp(redis_action())
    async with app.run_test(size=(120, 36)):
        pending = view_content(app.query_one(PendingOpsView))

    lines = pending.plain.splitlines()
    assert lines[0] == "state upgrade_shards · node 2 · object bdb:1"
    assert "⚠ stale heartbeat (over 60s): shard 9" in lines
    [shard_2, shard_9, shard_10] = [line for line in lines if line.split(" ")[0].isdigit()]
    assert "⚠ stale, 1m ago" in shard_9
    assert "keys a, b, c +1 more" in shard_9
    assert "▌░░░░  12%" in shard_9
    assert "Upgrading" in shard_9
    assert "stale" not in shard_10 and " 5s ago " in shard_10
    assert "stale" not in shard_2
    assert "$status-stale bold" in styles_of(pending, "⚠ stale, 1m ago")


async def test_no_stale_warning_once_the_action_is_over() -> None:
    app = DetailApp(redis_action(status=Status.FAILED))
    async with app.run_test(size=(120, 36)):
        text = shown_text(app.query_one(DetailPane))

    assert "stale" not in text


async def test_forgotten_action_is_marked_as_last_known_state() -> None:
    app = DetailApp(redis_action(gone=True))
    async with app.run_test(size=(120, 36)):
        text = shown_text(app.query_one(DetailPane))

    assert f"⚠ {GONE_TEXT}" in text
    assert GONE_TEXT == "forgotten by the cluster (last known state)"


async def test_seeweb_timeline_never_shows_a_negative_duration() -> None:
    app = DetailApp(seeweb_action())
    async with app.run_test(size=(120, 36)):
        timeline = app.query_one("#detail-lifecycle", Static).content

    assert isinstance(timeline, Content)
    assert timeline.plain.splitlines() == [
        "◆ created   11:58:28 UTC (1m ago)",
        "│   0s",
        "◆ started   11:58:28 UTC (1m ago)",
        "│   21s",
        "◆ completed 11:58:50 UTC (1m ago)",
    ]


async def test_t_is_not_offered_without_a_traceback(messages: list[Message]) -> None:
    app = DetailApp(seeweb_action())
    async with app.run_test(size=(120, 36), message_hook=messages.append) as pilot:
        pane = app.query_one(DetailPane)
        pane.focus_body()
        offered = {key for key, active in app.screen.active_bindings.items() if active.enabled}
        await pilot.press("t")
        await pilot.pause()

    assert "v" in offered and "t" not in offered
    assert not requests_in(messages)
    assert app.notices == []


async def test_nova_action_without_events_says_so() -> None:
    app = DetailApp(replace(nova_action(), events=()))
    async with app.run_test(size=(120, 36)):
        plains = [prompt.plain for prompt in timeline_prompts(app.query_one(DetailPane))]

    assert plains == [NO_EVENTS]


async def test_no_action_shows_a_placeholder_and_t_does_nothing(
    messages: list[Message],
) -> None:
    app = DetailApp(None)
    async with app.run_test(size=(120, 36), message_hook=messages.append) as pilot:
        pane = app.query_one(DetailPane)
        pane.action_traceback()
        await pilot.pause()
        text = shown_text(pane)

    assert text == "No action selected."
    assert not requests_in(messages)


async def test_same_action_again_repaints_nothing_and_updates_keep_the_cursor() -> None:
    action = nova_action(status=Status.RUNNING)
    app = DetailApp(action)
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        timeline = pane.query_one(EventTimeline)
        fields = pane.query_one("#detail-identity", Static)
        before = fields.content
        timeline.focus()
        await pilot.press("down", "down", "down")
        chosen = timeline.highlighted_event
        pane.set_action(replace(action))
        await pilot.pause()
        unchanged = fields.content is before
        newer = Event(name="compute_confirm_resize", started_at=at(-5))
        pane.set_action(replace(action, events=(*action.events, newer)))
        await pilot.pause()
        still_chosen = timeline.highlighted_event

    assert unchanged
    assert chosen is not None and chosen.traceback == traceback_of(2)
    assert still_chosen == chosen


async def test_timeline_keeps_textual_message_pump_running_state() -> None:
    """The timeline's own bookkeeping must not overwrite ``MessagePump._running``."""
    action = nova_action(status=Status.FAILED)
    app = DetailApp(action)
    async with app.run_test(size=(120, 36)) as pilot:
        timeline = app.query_one(DetailPane).query_one(EventTimeline)
        app.query_one(DetailPane).set_action(replace(action))
        await pilot.pause()
        running = timeline.is_running

    assert running is True


@pytest.mark.parametrize(("age", "stale"), [(60, False), (61, True)])
def test_stale_means_heartbeat_older_than_sixty_seconds(age: int, stale: bool) -> None:
    op = PendingOp(shard="1", progress=50, heartbeat=at(-age))

    assert is_stale(op, redis_action(), NOW) is stale


# --- real actions from the simulator over loopback HTTP ---------------------------------


async def _sim_actions(simulator: Simulator, backend_name: str) -> list[Action]:
    [entry] = [e for e in simulator_config(simulator).backends if e.name == backend_name]
    backend = build_backend(entry)
    try:
        return (await backend.list_actions(ListQuery(limit=100))).actions
    finally:
        await backend.aclose()


def _sim_now(simulator: Simulator) -> datetime:
    return datetime.fromtimestamp(simulator.clock.now(), UTC)


async def test_simulated_redis_upgrade_shows_its_stalled_shard(fresh_sim: Simulator) -> None:
    actions = await _sim_actions(fresh_sim, "redis")
    [upgrade] = [a for a in actions if a.name == "SMUpgradeBDB" and a.status is Status.RUNNING]
    now = _sim_now(fresh_sim)
    stalled = [op.shard for op in upgrade.pending_ops if is_stale(op, upgrade, now)]
    app = DetailApp(upgrade, now=now)
    async with app.run_test(size=(120, 36)):
        text = shown_text(app.query_one(DetailPane))

    assert len(stalled) == 1
    assert f"⚠ stale heartbeat (over 60s): shard {stalled[0]}" in text
    assert text.count(" stale") == 2  # the warning and the shard's heartbeat
    assert f"state {upgrade.state}" in text
    assert "── " not in text


async def test_simulated_seeweb_action_timeline(fresh_sim: Simulator) -> None:
    actions = await _sim_actions(fresh_sim, "seeweb")
    [done] = [a for a in actions if a.status is Status.COMPLETED][:1]
    app = DetailApp(done, now=_sim_now(fresh_sim))
    async with app.run_test(size=(120, 36)):
        timeline = app.query_one("#detail-lifecycle", Static).content

    assert isinstance(timeline, Content)
    lines = timeline.plain.splitlines()
    assert [line.split()[1] for line in lines if line.startswith("◆")] == [
        "created", "started", "completed",
    ]  # fmt: skip
    assert lines[1] == "│   0s"
    assert "-" not in lines[3]


async def _nova_details(simulator: Simulator) -> list[Action]:
    """Full details of the simulated Nova actions that failed or retried somewhere."""
    creds = simulator.credentials
    credentials = OpenStackCredentials(
        auth_url=simulator.auth_url, username=creds.os_username, password=creds.os_password,
        project_name=creds.os_project, user_domain_name=creds.os_domain,
        project_domain_name=creds.os_domain,
    )  # fmt: skip
    backend = OpenStackBackend.from_credentials("openstack", credentials, clock=simulator.clock)
    try:
        listed = (await backend.list_actions(ListQuery(limit=100))).actions
        eventful = [a for a in listed if a.status is Status.FAILED or len(a.events) > 1]
        return [await backend.get_action(action.id) for action in eventful]
    finally:
        await backend.aclose()


def _retried_with_error(action: Action) -> bool:
    return any(event.attempts > 2 and event.failed for event in action.events)


async def test_simulated_nova_retries_are_grouped_and_t_opens_the_first_failure(
    fresh_sim: Simulator, messages: list[Message]
) -> None:
    details = await _nova_details(fresh_sim)
    action = next(a for a in details if _retried_with_error(a))
    first_failure = min(action.failed_events, key=lambda event: event.started_at or NOW)
    app = DetailApp(action, now=_sim_now(fresh_sim))
    async with app.run_test(size=(120, 36), message_hook=messages.append) as pilot:
        plains = [prompt.plain for prompt in timeline_prompts(app.query_one(DetailPane))]
        app.query_one(DetailPane).focus_body()
        await pilot.press("t")
        await pilot.pause()

    name = first_failure.name
    assert f"{name} — 3 attempts: ✖ Error → ✖ Error → ✔ Success" in plains
    [request] = requests_in(messages)
    assert (request.action_ref, request.event_name) == (action.ref, name)
    assert request.traceback == first_failure.traceback
    assert request.traceback.lstrip().startswith("File ")


async def test_simulated_nova_duplicate_row_reads_no_finish_recorded(fresh_sim: Simulator) -> None:
    details = await _nova_details(fresh_sim)
    quirky = next(
        a for a in details
        if any(e.attempt == 2 and e.finished_at is None and e.result is None for e in a.events)
    )  # fmt: skip
    app = DetailApp(quirky, now=_sim_now(fresh_sim))
    async with app.run_test(size=(120, 36)):
        text = shown_text(app.query_one(DetailPane))

    assert "2 attempts: ✔ Success → ◌ no finish recorded" in text
    assert NOVA_RETRY_NOTE in text
    assert "so far" not in text


async def test_narrow_pane_wraps_every_line_under_its_own_column() -> None:
    long_details = "internal error: process exited while connecting to monitor: qemu failed"
    action = replace(nova_action(), user="16e0e069190ed4ee648ea748a453ceab16e0e069", events=(
                Event(name="compute_prep_resize", result="Error", started_at=at(-300),
                      finished_at=at(-290), details=long_details),
                Event(name="compute_prep_resize", result="Error", started_at=at(-280),
                      finished_at=at(-270)),
                Event(name="compute_prep_resize", result="Success", started_at=at(-260),
                      finished_at=at(-250)),
            ))  # fmt: skip
    app = DetailApp(action)
    async with app.run_test(size=(48, 40)) as pilot:  # 46 columns inside the padding
        pane = app.query_one(DetailPane)
        identity = pane.query_one("#detail-identity", Static)
        for _ in range(100):  # on a loaded machine the first layouts may be at another width
            await pilot.pause(0.02)
            if identity.content_size.width == 46:
                break
        await pilot.pause()  # and the resize handler has re-wrapped for it
        fields = pane.query_one("#detail-identity", Static).content
        times = pane.query_one("#detail-times", Static).content
        heading, first, *_ = [prompt.plain for prompt in timeline_prompts(pane)]

    assert isinstance(fields, Content) and isinstance(times, Content)
    assert action.user is not None
    user = fields.plain.split("user")[1].splitlines()[:2]
    assert user == [" " * 8 + action.user[:34], " " * 12 + action.user[34:]]
    # "(5m ago)" is short enough for the whole time to fit: the date stays
    assert "created     2026-03-14 11:54:50 UTC (5m ago)" in times.plain.splitlines()
    assert heading.splitlines() == [
        "compute_prep_resize — 3 attempts: ✖ Error →",
        "  ✖ Error → ✔ Success",
    ]
    assert first.splitlines()[-3:] == [
        "    details internal error: process exited",
        "            while connecting to monitor: qemu",
        "            failed",
    ]


async def test_the_attempt_under_the_mouse_is_shaded_not_the_headings() -> None:
    app = DetailApp(nova_action())
    async with app.run_test(size=(120, 36)) as pilot:
        timeline = app.query_one(EventTimeline)

        def background(y: int) -> object:
            return next(iter(timeline.render_line(y))).style.bgcolor  # type: ignore[union-attr]

        await pilot.hover(EventTimeline, offset=(5, 1))  # the conductor attempt
        shaded = (background(0), background(1))
        await pilot.hover(EventTimeline, offset=(5, 0))  # its heading
        heading = (background(0), background(1))

    assert shaded[0] != shaded[1]
    assert heading[0] == heading[1]


async def test_a_long_ref_wraps_after_its_slash_never_inside_a_uuid() -> None:
    server, request = (
        "9a3c2f0e-5b7d-4e1a-8c6f-2d4b8e0a1c3f",
        "req-4f1e8d2c-7a6b-4c3d-9e0f-1a2b3c4d5e6f",
    )
    ref = f"openstack:{server}/{request}"
    action = replace(nova_action(), ref=ref, id=f"{server}/{request}")
    app = DetailApp(action)
    async with app.run_test(size=(60, 40)) as pilot:  # 58 columns inside the padding
        identity = app.query_one(DetailPane).query_one("#detail-identity", Static)
        for _ in range(100):  # on a loaded machine the first layouts may be at another width
            await pilot.pause(0.02)
            if identity.content_size.width == 58:
                break
        await pilot.pause()
        fields = identity.content

    assert isinstance(fields, Content)
    lines = fields.plain.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("ref "))
    assert lines[start : start + 3] == [
        "ref         openstack:",
        f"{'':12}{server}/",
        f"{'':12}{request}",
    ]
