"""An open console writes to its terminal only what changed: nothing when nothing changes.

Over SSH every byte counts, all day long. These tests paint through a
recording driver (:mod:`tests.helpers.terminal`) and count the bytes the app
sends after its first paint: an idle console with a frozen simulator sends
none, and a tick of the clock sends the cells whose text changed, each on its
own (the console's copy of its terminal, :mod:`tui.console.terminal_copy`,
cuts what Textual resends to the cells that read otherwise), never other
cells or lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tests.helpers.app import AppFactory, Settle
from tests.helpers.terminal import record_terminal, terminal_output, written_bytes
from tests.ui.test_detail import NOW, DetailApp, nova_action, redis_action, seeweb_action
from tui.console.terminal_copy import QuietTerminalApp
from tui.console.widgets.action_table import HEADER_HEIGHT, ActionTable
from tui.console.widgets.columns import CELL_PADDING
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.event_timeline import EventTimeline
from tui.console.widgets.pending_ops import PendingOpsView
from tui.model import Action, Status

T0 = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)

CELL_BYTES = 48
"""A generous bound on rewriting one cell of the list (cursor move, colours, 10 cells of text)."""

TICK_BYTES = 32
"""A tick of one duration: a cursor move, its colours, a character or two, the cursor put back."""

MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")

CURSOR = re.compile(r"\x1b\[(\d*)(?:;(\d*))?([HABCD])")
"""A cursor move: absolute (``ESC[y;xH``) or relative (``ESC[3C``…)."""

SGR = re.compile(r"\x1b\[[0-9;]*m")

STEPS = {"A": (0, -1), "B": (0, 1), "C": (1, 0), "D": (-1, 0)}


@pytest.fixture(autouse=True)
def recording(monkeypatch: pytest.MonkeyPatch) -> None:
    record_terminal(monkeypatch)


def running(n: int, age: float) -> Action:
    started = T0 - timedelta(seconds=age)
    return Action(
        ref=f"sw:{n}",
        backend="sw",
        backend_type="seeweb",
        id=str(n),
        name="create_server",
        status=Status.RUNNING,
        resource=f"ec{n}",
        created_at=started,
        started_at=started,
    )


class ListApp(QuietTerminalApp[None]):
    """The list alone, writing through a copy of its terminal as the console does."""

    def compose(self) -> ComposeResult:
        yield ActionTable(id="actions")


async def output_of(app: App[None], pilot: Pilot[None], step: Callable[[], None]) -> str:
    """What the app writes for ``step`` (run at once), once it is painted."""
    before = len(terminal_output(app))
    step()
    await pilot.pause()
    await pilot.pause()
    return terminal_output(app)[before:]


def text_x(table: ActionTable, key: str) -> int:
    """Where the text of column ``key`` starts (after its left padding)."""
    return table.column_x(key) + CELL_PADDING


def duration_x(table: ActionTable, at: int) -> int:
    """Where cell ``at`` of the duration's text is (8 cells, right-aligned: ``    4.2s``)."""
    return text_x(table, "duration") + at


def text_written(output: str) -> str:
    """The characters ``output`` writes, without its cursor moves and colours."""
    return CURSOR.sub("", SGR.sub("", output))


def places_written(output: str) -> list[tuple[int, int]]:
    """The (column, line), 0-based, of each place of the screen ``output`` writes text to.

    Follows absolute and relative cursor moves (text leaves the cursor after
    it). A move followed by nothing (the terminal's cursor put back) writes nothing.
    """
    parts = CURSOR.split(output)
    places = []
    x = y = 0
    moves = zip(parts[1::4], parts[2::4], parts[3::4], parts[4::4], strict=True)
    for first, second, final, chunk in moves:
        if final == "H":
            y, x = int(first or 1) - 1, int(second or 1) - 1
        else:
            dx, dy = STEPS[final]
            x, y = x + dx * int(first or 1), y + dy * int(first or 1)
        text = SGR.sub("", chunk).strip("\n")
        if text:
            places.append((x, y))
            x += cell_len(text)
    return places


async def test_an_idle_console_writes_nothing_after_its_first_paint(
    make_app: AppFactory, settle: Settle
) -> None:
    app = make_app()  # frozen simulator; the app's clock is the simulator's
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.pause(0.5)
        painted = written_bytes(app)
        await pilot.pause(3.5)  # three ticks of the one-second clock, at least
        idle = written_bytes(app) - painted
    assert painted > 10_000  # the first paint is real output
    assert idle == 0


async def test_a_tick_rewrites_only_the_duration_cell() -> None:
    app = ListApp()
    async with app.run_test(size=(72, 10)) as pilot:  # 72 cells: no "started" column
        table = app.query_one(ActionTable)
        table.show_page([running(1, 5)], T0)
        await pilot.pause()
        assert "started" not in table.column_keys and "duration" in table.column_keys
        one = await output_of(app, pilot, lambda: table.tick(T0 + timedelta(seconds=1)))
        again = await output_of(app, pilot, lambda: table.tick(T0 + timedelta(seconds=1)))
        assert table.get_cell("sw:1", "duration").plain == "6.0s"
    # That cell only, and of it only the changed character:
    # "    5.0s" -> "    6.0s" sends "6", not the blanks that right-align it.
    assert "m6\x1b" in one and text_written(one) == "6"
    assert places_written(one) == [(duration_x(table, 4), HEADER_HEIGHT)]
    assert 0 < len(one.encode()) < TICK_BYTES
    assert again == ""  # nothing changed: nothing written


async def test_ticks_on_a_wide_list_write_each_changed_cell_alone() -> None:
    app = ListApp()
    async with app.run_test(size=(160, 12)) as pilot:  # every column, the cursor on row 0
        table = app.query_one(ActionTable)
        table.show_page([running(n, 9) for n in range(1, 6)], T0)
        await pilot.pause()
        assert "started" in table.column_keys
        out = await output_of(app, pilot, lambda: table.tick(T0 + timedelta(seconds=1)))
        started, duration = text_x(table, "started"), duration_x(table, 4)
    rows = range(HEADER_HEIGHT, HEADER_HEIGHT + 5)
    assert sorted(places_written(out)) == sorted(
        (x, y) for y in rows for x in (started, duration)
    )  # "10s ago" and "10s" of each row, nothing else: not the row up to them
    assert "create_server" not in out and "running" not in out
    assert len(out.encode()) < 10 * CELL_BYTES


async def test_a_long_running_duration_ticks_coarsely() -> None:
    app = ListApp()
    async with app.run_test(size=(72, 10)) as pilot:
        table = app.query_one(ActionTable)
        table.show_page([running(1, 70), running(2, 700)], T0)
        await pilot.pause()
        assert [table.get_cell(ref, "duration").plain for ref in table.refs] == ["1m 10s", "11m"]
        quiet = await output_of(app, pilot, lambda: table.tick(T0 + timedelta(seconds=9)))
        assert [table.get_cell(ref, "duration").plain for ref in table.refs] == ["1m 10s", "11m"]
        moved = await output_of(app, pilot, lambda: table.tick(T0 + timedelta(seconds=10)))
        assert table.get_cell("sw:1", "duration").plain == "1m 20s"
    assert quiet == ""  # 10-second steps past a minute, minutes past ten
    # 1m 10s -> 1m 20s: the changed digit alone, not the unit.
    assert text_written(moved) == "2"
    assert places_written(moved) == [(duration_x(table, 5), HEADER_HEIGHT)]
    assert len(moved.encode()) < TICK_BYTES


async def test_a_progress_step_rewrites_its_percentage_without_the_bar() -> None:
    app = ListApp()
    async with app.run_test(size=(160, 10)) as pilot:
        table = app.query_one(ActionTable)
        table.show_page([replace(running(1, 5), progress=30.0)], T0)
        await pilot.pause()
        step = [replace(running(1, 5), progress=31.0)]
        out = await output_of(app, pilot, lambda: table.show_page(step, T0))
        assert table.get_cell("sw:1", "progress").plain == "█▏    31%"
        units = text_x(table, "progress") + 7  # "█▏    31%": the 1
    assert places_written(out) == [(units, HEADER_HEIGHT)]
    assert text_written(out) == "1"  # 30% -> 31%: not the bar, the tens or the sign
    assert len(out.encode()) < TICK_BYTES


def finished(n: int, name: str, backend: str) -> Action:
    return Action(
        ref=f"{backend}:{n}",
        backend=backend,
        backend_type="seeweb",
        id=str(n),
        name=name,
        status=Status.COMPLETED,
        resource=f"ec{n}",
        created_at=T0 - timedelta(hours=2),
        started_at=T0 - timedelta(hours=2),
        finished_at=T0 - timedelta(hours=2) + timedelta(seconds=30),
    )


async def test_a_new_action_on_top_rewrites_only_the_cells_that_now_read_otherwise() -> None:
    app = ListApp()
    names = ["backup", "create_server", "delete_server", "power_on"]
    old = [finished(n, names[n % 4], "sw") for n in range(8, 0, -1)]
    async with app.run_test(size=(160, 12)) as pilot:
        table = app.query_one(ActionTable)
        table.show_page(old, T0)
        await pilot.pause()
        arrived = finished(9, "power_off", "nova")
        out = await output_of(app, pilot, lambda: table.show_page([arrived, *old[:-1]], T0))
        columns = {key: text_x(table, key) for key in ("backend", "action", "status", "duration")}
    places = places_written(out)
    rows = {y for _, y in places}
    assert rows == set(range(HEADER_HEIGHT, HEADER_HEIGHT + 8))  # every row moved down
    # Each row now shows its upper neighbour: another name and resource, but the same
    # backend (except the new one), status and duration, which are not resent.
    for y in range(HEADER_HEIGHT + 1, HEADER_HEIGHT + 8):
        assert (columns["action"], y) in places
        assert (columns["status"], y) not in places
        assert not [x for x, at in places if at == y and x >= columns["duration"]]
        assert (columns["backend"], y) not in places
    assert (columns["backend"], HEADER_HEIGHT) in places  # sw -> nova, the new row
    assert "completed" not in out and "nova" in out
    assert len(out.encode()) < 8 * 3 * CELL_BYTES


async def test_a_new_row_that_differs_by_a_character_writes_that_character() -> None:
    """A new row marks its changed cells whole; what is sent is the characters that differ."""
    app = ListApp()
    async with app.run_test(size=(160, 12)) as pilot:
        table = app.query_one(ActionTable)
        table.show_page([finished(8, "backup", "sw")], T0)
        await pilot.pause()
        out = await output_of(
            app, pilot, lambda: table.show_page([finished(9, "backup", "sw")], T0)
        )
        assert table.refs == ["sw:9"]
    written = text_written(out)
    assert written and set(written) == {"9"}  # id and resource: 8 -> 9, nothing else


async def test_a_ticking_event_timeline_writes_only_its_running_attempts() -> None:
    app = DetailApp(nova_action(status=Status.RUNNING))  # two attempts still running
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        timeline = pane.query_one(EventTimeline)
        await pilot.pause()
        same = await output_of(app, pilot, pane.refresh_ages)

        def tick(seconds: float) -> Callable[[], None]:
            def step() -> None:
                app._now = NOW + timedelta(seconds=seconds)
                pane.refresh_ages()

            return step

        quiet = await output_of(app, pilot, tick(1))
        ticked = await output_of(app, pilot, tick(60))
        region = timeline.region
    in_timeline = [place for place in places_written(ticked) if region.contains(*place)]
    assert same == ""  # nothing changed: nothing written
    assert "so far" not in quiet  # past a minute, a running attempt moves in 10 s steps
    assert "running" in ticked
    assert 1 <= len(in_timeline) <= 2  # the running attempts' lines, not the whole list


async def test_an_age_moving_in_the_detail_rewrites_its_line_up_to_the_digit() -> None:
    app = DetailApp(seeweb_action())  # created and started 91 s ago, finished 70 s ago
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        await pilot.pause()

        def tick() -> None:
            app._now = NOW + timedelta(seconds=30)  # 1m ago -> 2m ago, but not the finish
            pane.refresh_ages()

        out = await output_of(app, pilot, tick)
        times = pane.query_one("#detail-times").region
    parts = MOVE.split(out)
    written = [
        (int(y) - 1 - times.y, chunk)
        for y, x, chunk in zip(parts[1::3], parts[2::3], parts[3::3], strict=True)
        if times.contains(int(x) - 1, int(y) - 1) and chunk.strip("\n")
    ]
    assert [line for line, _ in written] == [0, 1]  # created and started, not finished
    assert all(chunk.rstrip("\n").endswith("UTC (2\x1b[0m") for _, chunk in written)
    assert not any("ago" in chunk for _, chunk in written)  # up to the digit, no further
    assert "ago" not in out and out.count("(2") == 4  # the Seeweb timeline's two ages too


@pytest.mark.parametrize("make", [nova_action, redis_action, seeweb_action])
async def test_a_fetched_detail_that_shows_the_same_writes_nothing(
    make: Callable[[], Action],
) -> None:
    """The detail fetched after the list's version differs only in what is not shown."""
    listed = make()
    app = DetailApp(listed)
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        await pilot.pause()

        def fetched() -> None:
            pane.action = replace(listed, raw={**listed.raw, "extra": "from the detail call"})

        out = await output_of(app, pilot, fetched)
    assert out == ""


async def test_a_fetched_detail_rewrites_only_the_field_that_changed() -> None:
    listed = nova_action()
    app = DetailApp(listed)
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        await pilot.pause()
        out = await output_of(
            app, pilot, lambda: setattr(pane, "action", replace(listed, user="bob"))
        )
        identity = pane.query_one("#detail-identity").region
    places = places_written(out)
    assert "bob" in out
    assert places and all(identity.contains(*place) for place in places)


@pytest.mark.parametrize("make", [nova_action, redis_action, seeweb_action])
async def test_a_fetched_detail_a_moment_later_writes_nothing(
    make: Callable[[], Action],
) -> None:
    """The fetch takes a fraction of a second: ages read the same, so nothing is redrawn."""
    listed = make()
    app = DetailApp(listed)
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        await pilot.pause()

        def fetched() -> None:
            app._now = NOW + timedelta(milliseconds=300)
            pane.action = replace(listed, raw={**listed.raw, "extra": "from the detail call"})

        out = await output_of(app, pilot, fetched)
    assert out == ""


async def test_a_fetched_detail_rewrites_only_the_shard_row_that_changed() -> None:
    listed = redis_action()
    app = DetailApp(listed)
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        await pilot.pause()
        ops = list(listed.pending_ops)
        ops[0] = replace(ops[0], progress=81)  # shard 10, the last row: 80 → 81
        fetched = replace(listed, pending_ops=tuple(ops))
        out = await output_of(app, pilot, lambda: setattr(pane, "action", fetched))
        table = pane.query_one(PendingOpsView).region
    in_table = {y for x, y in places_written(out) if table.contains(x, y)}
    assert "81" in out
    assert len(in_table) == 1  # one row of the shard table, not the whole table


async def test_the_raw_json_shows_what_the_fetched_detail_brought() -> None:
    listed = nova_action()
    app = DetailApp(listed)
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_raw = True
        await pilot.pause()
        fetched = replace(listed, raw={**listed.raw, "extra": "from the detail call"})
        out = await output_of(app, pilot, lambda: setattr(pane, "action", fetched))
    assert "from the detail call" in out
