"""Refreshing: selection kept by ref, pause/refresh, watching, backend errors and recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from textual.message import Message
from textual.notifications import Notify

from tests.helpers.app import AppFactory, Polled, Settle, Until
from tests.helpers.sim import advance
from tui.backends.base import BadResponseError, PollUpdate, Request, ServerError
from tui.config import UiConfig
from tui.console.app import ActionDeckApp
from tui.console.messages import ActionsPolled
from tui.console.screens.main_view import WatchList, segment_view
from tui.console.screens.notices import HealthNotices
from tui.console.widgets.backend_bar import BackendBar, BackendSegment
from tui.model import Action, Status
from tui.poller import BackendHealth, HealthState, PollResult
from tui.sim import Simulator

SIZE = (120, 36)
BACKENDS = 3


def toasts(messages: list[Message]) -> list[Any]:
    """Every notification raised, once each, oldest first."""
    unique = {id(m): m.notification for m in messages if isinstance(m, Notify)}
    return list(unique.values())


def segment(app: ActionDeckApp, name: str) -> BackendSegment:
    """One backend's segment of the bar."""
    return next(s for s in app.main_screen.query(BackendSegment) if s.backend_name == name)


async def select(pilot: Any, app: ActionDeckApp, ref: str) -> None:
    """Move the cursor down to ``ref`` (on the first page)."""
    while app.main_screen.selected_ref != ref:
        await pilot.press("j")


async def test_selection_stays_on_the_same_action_across_a_refresh(
    make_app: AppFactory, settle: Settle, until: Until, polled: Polled, fresh_sim: Simulator
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        chosen = screen.table.refs[3]
        await select(pilot, app, chosen)
        before = len(polled(messages))

        advance(fresh_sim, 300)  # new actions arrive at the top of every list
        await pilot.press("r")
        await until(pilot, lambda: len(polled(messages)) >= before + BACKENDS)
        await settle(app, pilot)

        position = app.store.position(chosen)
        assert position is not None and position > 3  # newer actions pushed it down...
        assert screen.selected_ref == chosen  # ...and the selection went with it
        assert screen.table.cursor_ref == chosen
        assert screen.page_index == position // screen.page_size()
        assert screen.detail.action is not None and screen.detail.action.ref == chosen

        await pilot.press("g")  # the top of the list follows the newest action instead
        newest = app.store.refs()[0]
        advance(fresh_sim, 300)
        await pilot.press("r")
        await until(pilot, lambda: app.store.refs()[0] != newest)
        await settle(app, pilot)
        assert screen.selected_ref == app.store.refs()[0]


async def test_p_pauses_polling_r_still_refreshes_and_p_resumes(
    make_app: AppFactory, settle: Settle, until: Until, polled: Polled
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        bar = app.main_screen.query_one(BackendBar)
        marker = bar.query_one("#paused-marker")
        assert len(polled(messages)) == BACKENDS and not marker.display

        await pilot.press("p")
        assert app.poller.paused and bar.has_class("-paused") and marker.display
        footer = [
            b.binding.description for b in app.active_bindings.values() if b.binding.key == "p"
        ]
        assert footer == ["Resume"]  # the footer says what p does now
        await pilot.press("r")  # a one-off poll of every backend, still paused
        await until(pilot, lambda: len(polled(messages)) == 2 * BACKENDS)
        assert app.poller.paused
        assert sorted(m.result.backend for m in polled(messages)[BACKENDS:]) == sorted(
            app.backend_names
        )

        await pilot.press("p")  # resuming polls straight away
        await until(pilot, lambda: len(polled(messages)) == 3 * BACKENDS)
        assert not app.poller.paused and not bar.has_class("-paused")
        footer = [
            b.binding.description for b in app.active_bindings.values() if b.binding.key == "p"
        ]
        assert footer == ["Pause"]
        await pilot.press("r")
        await until(pilot, lambda: len(polled(messages)) == 4 * BACKENDS)


async def test_a_watched_action_that_ends_raises_a_toast_and_rings_the_bell(
    make_app: AppFactory,
    settle: Settle,
    until: Until,
    fresh_sim: Simulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app(ui=UiConfig(bell=True))
    bells: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(True))
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        table = app.main_screen.table
        running = next(
            ref
            for ref in table.refs
            if ref.startswith("seeweb:") and app.store.get(ref).status is Status.RUNNING  # type: ignore[union-attr]
        )
        await select(pilot, app, running)
        await pilot.press("w")
        assert table.get_cell(running, "mark").plain == "★"
        assert toasts(messages)[-1].message.startswith("Watching ")

        advance(fresh_sim, 3600)
        await pilot.press("r")
        await until(pilot, lambda: app.store.get(running).status.is_final)  # type: ignore[union-attr]
        await settle(app, pilot)

        done = app.store.get(running)
        assert done is not None
        [toast] = [t for t in toasts(messages) if t.message.endswith(f" ({done.backend})")][-1:]
        icon = "✖ failed" if done.status is Status.FAILED else f"✔ {done.status.value}"
        assert toast.message.startswith(f"{icon}: {done.name} on {done.resource}")
        assert toast.severity == ("error" if done.status is Status.FAILED else "information")
        assert bells == [True]

        await select(pilot, app, running)
        await pilot.press("w")
        assert table.get_cell(running, "mark").plain == " "
        assert toasts(messages)[-1].message.startswith("Stopped watching ")


async def test_a_failing_backend_shows_in_the_bar_keeps_its_rows_and_recovers(
    make_app: AppFactory, settle: Settle, until: Until, fresh_sim: Simulator
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        table = app.main_screen.table
        rows, known = table.refs, len(app.store)
        seeweb_rows = [ref for ref in rows if ref.startswith("seeweb:")]
        other_rows = [ref for ref in rows if not ref.startswith("seeweb:")]

        fresh_sim.seeweb.faults.update(status=503)
        await pilot.press("r")
        await until(pilot, lambda: app.health["seeweb"].state is HealthState.ERROR)
        await pilot.pause()

        bar = app.main_screen.query_one(BackendBar)
        text = bar.segment_text("seeweb")
        assert (
            text.startswith("✖ seeweb error: HTTP 503 Service Unavailable") and "· data now" in text
        )
        assert segment(app, "seeweb").has_class("-error")
        assert bar.segment_text("redis").startswith("✔ redis")
        assert (table.refs, len(app.store)) == (rows, known)  # the last good data stays
        assert all(table.get_cell(ref, "backend").style for ref in seeweb_rows)
        assert not any(table.get_cell(ref, "backend").style for ref in other_rows)
        [warning] = [t for t in toasts(messages) if t.severity == "warning"]
        assert warning.message.startswith("seeweb: ") and "last good data" in warning.message

        fresh_sim.seeweb.faults.clear()
        await pilot.press("r")
        await until(pilot, lambda: app.health["seeweb"].state is HealthState.OK)
        await pilot.pause()
        assert bar.segment_text("seeweb").startswith("✔ seeweb")
        assert "ago" not in bar.segment_text("seeweb")  # healthy and fresh: no age
        assert not segment(app, "seeweb").has_class("-error")
        assert not any(table.get_cell(ref, "backend").style for ref in table.refs)


async def test_a_bug_in_a_worker_is_reported_not_raised(
    make_app: AppFactory, settle: Settle
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app()

    async def broken(ref: str, backend_name: str, action_id: str) -> None:
        raise RuntimeError("boom [bold]")

    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        app.fetcher.detail = broken  # type: ignore[method-assign]
        await pilot.press("j")
        await pilot.pause(0.3)
        assert app.is_running and app.return_code is None
        [error] = [t for t in toasts(messages) if t.severity == "error"]
        assert error.message.endswith("RuntimeError: boom [bold]") and not error.markup


def _action(ref: str, status: Status) -> Action:
    backend, action_id = ref.split(":")
    return Action(
        ref=ref, backend=backend, backend_type="seeweb", id=action_id, name="x",
        status=status,
    )  # fmt: skip


def _result(backend: str, actions: list[Action] | None) -> ActionsPolled:
    update = None if actions is None else PollUpdate(actions=actions)
    error = BadResponseError(backend, "down") if actions is None else None
    return ActionsPolled(PollResult(backend, update, error, datetime.now(UTC), 1.0))


def test_a_poll_that_changed_nothing_may_be_superseded_but_never_one_with_changes() -> None:
    empty, failed = _result("a", []), _result("a", None)
    changes = _result("a", [_action("a:1", Status.RUNNING)])
    assert empty.can_replace(_result("a", [])) and failed.can_replace(changes)
    assert not changes.can_replace(_result("a", []))
    assert not empty.can_replace(_result("b", []))


def test_watch_list_reports_each_ending_once() -> None:
    watching = WatchList()
    assert watching.toggle(_action("s:1", Status.RUNNING))
    assert watching.settled([_action("s:1", Status.RUNNING), _action("s:2", Status.FAILED)]) == []
    [done] = watching.settled([_action("s:1", Status.FAILED)])
    assert done.ref == "s:1" and watching.settled([_action("s:1", Status.FAILED)]) == []
    assert not watching.toggle(_action("s:1", Status.FAILED)) and "s:1" not in watching


def test_segment_states_and_error_toasts_once() -> None:
    now = datetime(2026, 3, 14, 12, tzinfo=UTC)
    health = BackendHealth("seeweb")
    assert segment_view(health, now, 60).state == "connecting"
    health = health.recorded(PollResult("seeweb", PollUpdate(in_flight=2), None, now, 1.0))
    assert segment_view(health, now + timedelta(seconds=5), 60).text().plain == (
        "✔ seeweb · 2 active"  # healthy and fresh: nothing that ticks every second
    )
    aged = segment_view(health, now + timedelta(seconds=61), 300)
    assert aged.text().plain == "✔ seeweb 1m ago · 2 active"  # not stale yet, but old
    stale = segment_view(health, now + timedelta(seconds=61), 60)
    assert stale.text().plain == "◌ seeweb stale · data 1m ago · 2 active"
    notices = HealthNotices()
    assert notices.changed(health) is None
    request = Request.of("GET", "/actions")
    failure = ServerError(
        "seeweb", "GET /actions: HTTP 503", status=503, request=request, detail="HTTP 503"
    )
    health = health.recorded(PollResult("seeweb", None, failure, now + timedelta(seconds=5), 4.0))
    error = segment_view(health, now + timedelta(seconds=5), 60)
    assert error.text().plain == "✖ seeweb error: HTTP 503 · data 5s ago"
    assert notices.changed(health) == "seeweb: GET /actions: HTTP 503 (showing the last good data)"
    assert notices.changed(health) is None
