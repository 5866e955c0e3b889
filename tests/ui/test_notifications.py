"""Watch endings that stay: the notifications log, sticky failure toasts, desktop notifications,
the watched action kept selected, and ``is:watched``."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import OptionList

from tests.helpers.app import AppFactory, Settle, Until, screenshot_after
from tests.helpers.sim import advance
from tests.helpers.terminal import record_terminal, terminal_output
from tui.config import UiConfig
from tui.config.values import NotifyMode
from tui.console.app import ActionDeckApp
from tui.console.screens.herald import STICKY, Entry, NotificationLog
from tui.console.screens.notifications import NotificationsScreen
from tui.console.widgets.search_box import SearchBox
from tui.model import Status
from tui.sim import Simulator

SIZE = (120, 36)


def running_ref(app: ActionDeckApp, prefix: str = "seeweb:") -> str:
    """A running action of one backend on the first page."""
    return next(
        ref
        for ref in app.main_screen.table.refs
        if ref.startswith(prefix) and app.store.get(ref).status is Status.RUNNING  # type: ignore[union-attr]
    )


async def select(pilot: Any, app: ActionDeckApp, ref: str) -> None:
    """Move the cursor down to ``ref`` (on the first page)."""
    for _ in range(100):
        if app.main_screen.selected_ref == ref:
            return
        await pilot.press("j")
    raise AssertionError(f"{ref} is not on the first page")


async def watch_to_the_end(
    pilot: Any, app: ActionDeckApp, sim: Simulator, settle: Settle, until: Until
) -> str:
    """Watch a running Seeweb action and let the simulator finish it; its ref."""
    ref = running_ref(app)
    await select(pilot, app, ref)
    await pilot.press("w")
    advance(sim, 3600)
    await pilot.press("r")
    await until(pilot, lambda: app.store.get(ref).status.is_final)  # type: ignore[union-attr]
    await settle(app, pilot)
    return ref


async def test_a_watch_ending_is_in_the_log_and_enter_goes_to_the_action(
    make_app: AppFactory, settle: Settle, until: Until, fresh_sim: Simulator
) -> None:
    messages: list[Message] = []
    app = make_app(ui=UiConfig(notify="off"))
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NotificationsScreen)
        assert "Nothing yet" in str(app.screen.query_one("#notifications-empty").render())
        await pilot.press("escape")

        ref = await watch_to_the_end(pilot, app, fresh_sim, settle, until)
        done = app.store.get(ref)
        assert done is not None
        entries = list(app.main_screen.herald.log)
        ended = [entry for entry in entries if entry.kind == "ended"]
        assert [entry.ref for entry in ended] == [ref]
        assert ended[0].at == app.now()
        if done.status is Status.FAILED:  # a failure's toast stays until dismissed
            toast = [m.notification for m in messages if isinstance(m, Notify)][-1]
            assert toast.timeout >= STICKY

        await pilot.press("g", "j", "j")  # move away, and hide it behind a search
        app.main_screen.set_filter("nothing-matches-this")
        await pilot.pause()
        assert ref not in app.main_screen.table.refs
        await pilot.press("n")
        screen = app.screen
        assert isinstance(screen, NotificationsScreen)
        options = screen.query_one(OptionList)
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(done.name in line and ":" in line[:8] for line in lines)
        shown = [entry.ref for entry in app.main_screen.herald.log]
        options.highlighted = shown.index(ref)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main_screen
        assert app.main_screen.selected_ref == ref
        assert app.main_screen.table.cursor_ref == ref
        assert app.main_screen.query_one(SearchBox).value == ""


async def test_new_failures_since_start_are_logged_once(
    make_app: AppFactory, settle: Settle, fresh_sim: Simulator
) -> None:
    app = make_app(ui=UiConfig(notify="off"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        failed_at_start = [a for a in app.store.actions() if a.status is Status.FAILED]
        assert failed_at_start  # the demo world has old failures...
        assert not [e for e in app.main_screen.herald.log if e.kind == "failed"]  # ...not news
        for _ in range(6):
            advance(fresh_sim, 600)
            await pilot.press("r")
            await settle(app, pilot)
        logged = [e.ref for e in app.main_screen.herald.log if e.kind == "failed"]
        assert logged and len(logged) == len(set(logged))
        for ref in logged:
            action = app.store.get(ref)
            assert action is not None and action.status is Status.FAILED
            assert ref not in {a.ref for a in failed_at_start}


async def test_the_watched_action_stays_selected_when_newer_ones_arrive(
    make_app: AppFactory, settle: Settle, until: Until, fresh_sim: Simulator
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        await pilot.press("g")
        top = screen.selected_ref
        assert top is not None and screen.list_state.at_top
        await pilot.press("w")
        newest = app.store.refs()[0]
        advance(fresh_sim, 600)
        await pilot.press("r")
        await until(pilot, lambda: app.store.refs()[0] != newest)
        await settle(app, pilot)
        assert app.store.refs()[0] != top  # newer ones came above it...
        assert screen.selected_ref == top  # ...and the cursor stayed on the watched one
        assert screen.table.cursor_ref == top


async def test_is_watched_keeps_the_watched_and_follows_changes(
    make_app: AppFactory, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        await pilot.press("j", "w", "j", "j", "w")
        watched = set(screen.watch_list.refs)
        assert len(watched) == 2
        await pilot.press("slash", *"is:watched", "enter")
        await pilot.pause()
        assert set(screen.table.refs) == watched
        await pilot.press("g", "w")  # stop watching the first: it leaves the view at once
        await pilot.pause()
        assert len(screen.table.refs) == 1 and set(screen.table.refs) < watched


@pytest.mark.parametrize(
    ("mode", "prefix"),
    [("osc9", "\x1b]9;ActionDeck: "), ("osc777", "\x1b]777;notify;ActionDeck: ")],
)
async def test_desktop_notification_bytes_reach_the_terminal_made_safe(
    make_app: AppFactory,
    settle: Settle,
    until: Until,
    fresh_sim: Simulator,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
    prefix: str,
) -> None:
    monkeypatch.delenv("TMUX", raising=False)
    monkeypatch.setenv("TERM_PROGRAM", "unknown")
    record_terminal(monkeypatch)
    app = make_app(ui=UiConfig(notify=cast(NotifyMode, mode)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        ref = running_ref(app)
        action = app.store.get(ref)
        assert action is not None
        hostile = replace(action, name="evil\x1b]52;c;aGk=\x07\x1b[2J;name")
        app.store.merge([hostile])
        await select(pilot, app, ref)
        await pilot.press("w")
        before = len(terminal_output(app))
        ended = replace(hostile, status=Status.FAILED, finished_at=app.now())
        app.main_screen.data_changed(app.store.merge([ended]))
        await pilot.pause()
        written = terminal_output(app)[before:]
        start = written.index(prefix)
        end = written.index("\a", start)
        sequence = written[start : end + 1]
        inner = sequence[len(prefix) : -1]
        assert "\x1b" not in inner and "\a" not in inner  # the name cannot drive the terminal
        assert "evil␛]52,c,aGk=␇␛[2J,name" in inner  # ';' would start another field
        assert written.count("\x1b]52") == 0


async def test_desktop_notifications_are_wrapped_for_tmux(
    make_app: AppFactory,
    settle: Settle,
    fresh_sim: Simulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,1,0")
    record_terminal(monkeypatch)
    app = make_app(ui=UiConfig(notify="osc9"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = len(terminal_output(app))
        app.desktop_notify("ActionDeck: ✔ completed", "start on web-1 (seeweb)")
        await pilot.pause()
        written = terminal_output(app)[before:]
        wrapped = "\x1bPtmux;\x1b\x1b]9;ActionDeck: ✔ completed: start on web-1 (seeweb)\a\x1b\\"
        assert wrapped in written


def test_entries_told_at_the_same_time_are_ordered_by_ref_then_as_told() -> None:
    log = NotificationLog()
    at, later = datetime(2026, 3, 14, 12, tzinfo=UTC), datetime(2026, 3, 14, 12, 5, tzinfo=UTC)
    for ref, kind, when in [
        ("seeweb:2", "failed", at), ("openstack:b/req-1", "ended", at),
        ("seeweb:2", "stuck", at), ("redis:1", "ended", later),
        ("openstack:a/req-9", "failed", at), ("openstack:z/req-0", "stuck", later),
    ]:  # fmt: skip
        log.add(Entry(when, kind, ref, f"{kind} {ref}", "information"))  # type: ignore[arg-type]

    assert [(entry.ref, entry.kind) for entry in log] == [
        ("openstack:z/req-0", "stuck"), ("redis:1", "ended"),
        ("openstack:a/req-9", "failed"), ("openstack:b/req-1", "ended"),
        ("seeweb:2", "failed"), ("seeweb:2", "stuck"),
    ]  # fmt: skip


async def test_the_log_lists_endings_of_one_poll_in_the_same_order_every_run(
    make_app: AppFactory, settle: Settle, until: Until, fresh_sim: Simulator
) -> None:
    app = make_app(ui=UiConfig(notify="off"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        refs = [running_ref(app, prefix) for prefix in ("seeweb:", "openstack:", "redis")]
        for ref in sorted(refs, reverse=True):  # watched in the opposite order
            await pilot.press("g")
            await select(pilot, app, ref)
            await pilot.press("w")
        advance(fresh_sim, 3600)
        await pilot.press("r")
        await until(pilot, lambda: all(app.store.get(ref).status.is_final for ref in refs))  # type: ignore[union-attr]
        await settle(app, pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NotificationsScreen)
        shown = app.screen._entries
        ended = [entry.ref for entry in shown if entry.kind == "ended"]
        assert ended == sorted(refs)
        keys = [(entry.at, entry.ref) for entry in shown]
        assert keys == sorted(keys, key=lambda key: key[1]) and len({at for at, _ in keys}) == 1


async def test_the_log_hides_the_console_beneath_it(make_app: AppFactory, settle: Settle) -> None:
    """The log is opaque: the console is not drawn (and tinted) under it on every frame."""
    app = make_app(ui=UiConfig(notify="off"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await screenshot_after(app, pilot, "n")
        assert "Nothing&#160;yet" in screen
        assert "seeweb" not in screen
