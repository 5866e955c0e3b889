"""The console with its journal: instant start, since you last looked, kept history, faults.

Every app here writes a real SQLite file in the test's own data dir
(``tests/conftest.py`` points XDG_DATA_HOME at a temporary folder), or in
``tmp_path`` when the test names the file.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
import pytest
from textual.content import Content
from textual.message import Message
from textual.notifications import Notify

from tests.helpers.app import AppFactory, Settle, wait_until
from tests.helpers.journal import NOW, open_journal, sim_actions
from tests.helpers.sim import advance
from tui.config import HistoryConfig, default_history_path
from tui.console.screens.herald import AWAY_LOGGED
from tui.console.screens.notifications import NotificationsScreen
from tui.console.widgets.fields import HISTORY_TEXT, identity_fields
from tui.format import status_text
from tui.poller import HealthState
from tui.search import ended_after, ended_at
from tui.sim import Simulator

SIZE = (120, 36)


def _journal() -> HistoryConfig:
    """The journal at its default place (the test's own data dir): the demo keeps
    none unless a path is named."""
    return HistoryConfig(path=default_history_path())


async def _run_once(make_app: AppFactory, settle: Settle) -> set[str]:
    """One console run that polls every backend once and quits; the refs it saw."""
    app = make_app(history=_journal())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        refs = set(app.store.refs())
        await pilot.press("q")
    return refs


def _toasts(messages: list[Message]) -> list[str]:
    return [m.notification.message for m in messages if isinstance(m, Notify)]


def test_the_journal_of_tests_is_never_the_users() -> None:
    """The data dir is the test's own (the real one is never written)."""
    data = platformdirs.user_data_path("actiondeck")
    assert str(data).startswith(str(Path.home()))
    assert "pytest" in str(data) or "tmp" in str(data)
    assert default_history_path().parent == data


async def test_the_first_screen_shows_the_journal_before_any_backend_answers(
    make_app: AppFactory, settle: Settle, fresh_sim: Simulator
) -> None:
    seen = await _run_once(make_app, settle)
    assert default_history_path().exists()
    fresh_sim.seeweb.faults.update(latency=30)
    fresh_sim.openstack.faults.update(latency=30)
    fresh_sim.redis.faults.update(latency=30)
    app = make_app(history=_journal())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert all(h.state is HealthState.CONNECTING for h in app.health.values())
        table = app.main_screen.table
        assert table.refs, "rows on the first screen"
        assert set(table.refs) <= seen
        ref = table.refs[0]
        action = app.store.get(ref)
        assert action is not None and action.from_history
        stale = table._style("stale")
        assert table.get_cell(ref, "backend").style == stale
        status = next(field for field in identity_fields(action) if field.label == "status")
        assert isinstance(status.value, Content)
        assert HISTORY_TEXT in status.value.plain
        fresh_sim.clear_faults()
        await pilot.press("q")


async def test_a_backend_answer_replaces_the_journal_row(
    make_app: AppFactory, settle: Settle
) -> None:
    await _run_once(make_app, settle)
    app = make_app(history=_journal())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        ref = app.main_screen.table.refs[0]
        action = app.store.get(ref)
        assert action is not None and not action.from_history
        assert app.main_screen.table.get_cell(ref, "backend").style != app.main_screen.table._style(
            "stale"
        )
        await pilot.press("q")


async def test_what_ended_since_the_last_run_is_one_line_and_is_new(
    make_app: AppFactory, settle: Settle, fresh_sim: Simulator
) -> None:
    await _run_once(make_app, settle)
    advance(fresh_sim, 3600)  # an hour later: actions have finished, some failed
    messages: list[Message] = []
    app = make_app(history=_journal())
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        await pilot.pause()
        last_look = app.history.last_look
        assert last_look is not None
        ended = app.ended_since_last_run()
        assert ended
        assert all(ended_after(action, last_look) for action in ended)
        [line] = [t for t in _toasts(messages) if "since today" in t]
        failed = sum(1 for action in ended if action.status.value == "failed")
        completed = sum(1 for action in ended if action.status.value == "completed")
        if failed:
            assert f"{failed} failed" in line
        assert f"{completed} completed" in line
        assert "\n" not in line
        assert line.endswith(" — press n")
        await pilot.press("n")  # the notifications log lists them, each at its ending
        await pilot.pause()
        assert isinstance(app.screen, NotificationsScreen)
        logged = {entry.ref: entry for entry in app.main_screen.herald.log}
        assert {action.ref for action in ended[:AWAY_LOGGED]} <= set(logged)
        latest = ended[0]
        assert logged[latest.ref].at == ended_at(latest)
        assert logged[latest.ref].text.startswith(status_text(latest.status))
        await pilot.press("escape")
        await pilot.pause()
        app.set_filter("is:new")
        await pilot.pause()
        await pilot.pause()
        shown = set(app.store.refs(app.main_screen.list_state.filter))
        assert shown == {action.ref for action in ended}
        await pilot.press("q")


async def test_the_first_run_says_nothing_about_a_last_run(
    make_app: AppFactory, settle: Settle
) -> None:
    messages: list[Message] = []
    app = make_app(history=_journal())
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        assert app.history.last_look is None
        assert app.ended_since_last_run() == []
        assert not [t for t in _toasts(messages) if "since" in t]
        await pilot.press("q")


async def test_a_corrupt_journal_is_one_line_and_the_console_runs_without_it(
    make_app: AppFactory, settle: Settle, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"garbage, not SQLite\n" * 100)
    messages: list[Message] = []
    app = make_app(history=HistoryConfig(path=path))
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        [line] = [t for t in _toasts(messages) if t.startswith("History off:")]
        assert str(path) in line and "\n" not in line
        assert app.main_screen.table.refs  # the backends' rows, as always
        await pilot.press("q")
    assert path.read_bytes().startswith(b"garbage")


async def test_a_disabled_journal_writes_no_file(
    make_app: AppFactory, settle: Settle, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    app = make_app(history=HistoryConfig(path=path, enabled=False))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.main_screen.table.refs
        await pilot.press("q")
    assert not path.exists()


async def test_rows_a_backend_sends_unchanged_are_not_written_again(
    make_app: AppFactory, settle: Settle
) -> None:
    seen = await _run_once(make_app, settle)
    app = make_app(history=_journal())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        journal = app.history.journal
        assert journal is not None and journal.flush()
        assert not app._history_refs & seen  # every row was confirmed by its backend...
        assert journal.written < len(seen) // 10  # ...and hardly any was rewritten
        await pilot.press("q")


async def test_the_demo_keeps_no_journal_unless_a_path_is_named(
    make_app: AppFactory, settle: Settle
) -> None:
    """The simulator's world is drawn afresh each run: last run's would be another world."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.history.journal is None
        await pilot.press("q")
    assert not default_history_path().exists()
    assert not default_history_path(demo=True).exists()


@pytest.fixture
def forgotten_journal(fresh_sim: Simulator, tmp_path: Path) -> tuple[Path, set[str]]:
    """A journal holding the simulator's actions and, older than all, 600 it no longer has."""
    path = tmp_path / "history.sqlite3"
    actions = sim_actions(fresh_sim, 1000)
    old = datetime(2001, 1, 1, tzinfo=UTC)
    forgotten = [
        replace(actions[0], ref=f"{actions[0].ref}-gone-{n}", created_at=old, started_at=old)
        for n in range(600)
    ]
    journal = open_journal(path)
    journal.record([*actions, *forgotten], NOW)
    assert journal.flush()
    journal.close()
    return path, {action.ref for action in forgotten}


async def test_a_preload_reads_the_rest_of_the_journal_after_it(
    make_app: AppFactory, settle: Settle, forgotten_journal: tuple[Path, set[str]]
) -> None:
    """Every backend's action wins; those only the journal has still come, after the load."""
    path, forgotten = forgotten_journal
    app = make_app(history=HistoryConfig(path=path), preload=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await wait_until(pilot, lambda: forgotten <= set(app.store.refs()))
        kept = [app.store.get(ref) for ref in forgotten]
        assert all(action is not None and action.from_history for action in kept)
        sent = [app.store.get(ref) for ref in app.store.refs() if ref not in forgotten]
        assert sent and not any(action is None or action.from_history for action in sent)
        await pilot.press("q")


def test_only_a_console_that_keeps_history_hands_it_what_it_merged(make_app: AppFactory) -> None:
    """Without a journal (the demo's default), a merge looks nothing up for it."""
    assert not make_app().history.watching
    assert make_app(history=_journal()).history.watching
