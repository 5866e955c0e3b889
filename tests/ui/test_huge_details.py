"""Huge details stay usable: what is visible, where the cursor is, what opens, what is copied.

Timing is measured in ``tests/benchmarks/test_detail_benchmarks.py``; these
tests pin behaviour on the same huge data (10,000 shards, 10,000 events,
1 MB strings).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Sequence

import pytest
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Static

from tests.helpers.app import DEMO_BANNER, QUIET_REFRESH, polls, settle_app, sim_now, wait_until
from tests.ui.bigdata import (
    MEGABYTE,
    NOW,
    at,
    event_traceback,
    huge_strings_action,
    many_events_action,
    many_shards_action,
)
from tests.ui.harness import ThemedApp
from tui.console.app import ActionDeckApp
from tui.console.widgets import timeline_rows
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.event_groups import EventGroup, group_events
from tui.console.widgets.event_timeline import EventTimeline
from tui.console.widgets.formatting import LAYOUT_CHARS
from tui.console.widgets.line_view import LineView
from tui.console.widgets.pending_ops import PendingOpsView
from tui.console.widgets.raw_json import RawJsonView
from tui.embedded import simulator_config
from tui.model import Action, Event
from tui.sim import Simulator
from tui.text import DISPLAY_LIMIT

SIZE = (120, 36)
NARROW = (64, 36)


class HugeApp(ThemedApp):
    """One detail pane with a fixed clock."""

    def __init__(self, action: Action) -> None:
        super().__init__()
        self._action = action

    def compose(self) -> ComposeResult:
        yield DetailPane(self._action, now=lambda: NOW, age_refresh=None)


def visible(view: LineView | EventTimeline) -> list[str]:
    """The lines the view paints now, as plain text."""
    height = view.scrollable_content_region.height
    return [view.render_line(y).text.rstrip() for y in range(height)]


async def _focus_body(app: HugeApp, pilot: Pilot[None]) -> None:
    app.query_one(DetailPane).focus_body()
    await pilot.pause()


async def test_10000_shards_scroll_to_the_last_and_keep_the_shard_column() -> None:
    app = HugeApp(many_shards_action(10_000))
    async with app.run_test(size=NARROW) as pilot:
        await _focus_body(app, pilot)
        view = app.query_one(PendingOpsView)
        focused = app.focused
        top = visible(view)
        await pilot.press("G")
        await pilot.pause()
        bottom = visible(view)
        await pilot.press(*"llllllllll")
        await pilot.pause()
        sideways = visible(view)
        lines = view.line_count

    assert focused is view
    assert lines == 3 + 1 + 10_000  # state, blank, warning; heading; one row per shard
    assert top[0] == "state upgrade_shards · node 2 · object bdb:1"
    assert view.line_content(2).plain == (
        "⚠ stale heartbeat (over 60s): shards 100, 200, 300, 400, 500, 600, 700, 800, 900,"
        " 1000 and 90 more"
    )
    assert top[3].split()[:4] == ["shard", "operation", "progress", "heartbeat"]
    assert top[4].split()[:2] == ["1", "upgrade_redis"]
    assert bottom[-1].split()[:2] == ["10000", "upgrade_redis"]
    assert "⚠ stale, 2m ago" in bottom[-1]
    assert bottom[-2].split()[0] == "9999"
    [row] = [line for line in sideways if line.startswith("10000 ")]
    assert "upgrade_redis" not in row  # scrolled past the operation column…
    assert row.split()[0] == "10000"  # …but the shard column stayed


def requests_in(messages: list[Message]) -> list[DetailPane.TracebackRequested]:
    """Each traceback request once (the hook sees a message at every hop)."""
    unique = {id(m): m for m in messages if isinstance(m, DetailPane.TracebackRequested)}
    return list(unique.values())


async def test_10000_events_open_at_the_top_with_a_bounded_heading() -> None:
    app = HugeApp(many_events_action(10_000))
    async with app.run_test(size=SIZE) as pilot:
        await _focus_body(app, pilot)
        timeline = app.query_one(EventTimeline)
        focused = app.focused
        top = visible(timeline)
        rows = timeline.row_count
        await pilot.press("down")
        first = timeline.highlighted_event

    assert focused is timeline
    assert rows == 50 + 10_000  # a heading per name, then every attempt
    assert top[0].startswith("step_000 — 200 attempts: ✔ Success → ✖ Error → ✖ Error → ✔ Success →")
    heading = " ".join(top[: next(i for i, line in enumerate(top) if "attempt 1/200" in line)])
    assert heading.count("Success") + heading.count("Error") == 20
    assert heading.endswith("… and 180 more")
    assert first is not None and (first.name, first.started_at) == ("step_000", at(-100_000))


async def test_10000_events_shown_again_are_not_grouped_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Back to an action shown a moment ago, its timeline reads as before without its
    10,000 events being grouped and judged again (another action's events are)."""
    grouped: list[int] = []

    def counting(events: Sequence[Event]) -> list[EventGroup]:
        grouped.append(len(events))
        return group_events(events)

    monkeypatch.setattr(timeline_rows, "group_events", counting)
    big, small = many_events_action(10_000), many_events_action(10)
    app = HugeApp(big)
    async with app.run_test(size=SIZE) as pilot:
        pane, timeline = app.query_one(DetailPane), app.query_one(EventTimeline)
        await pilot.pause()
        first = visible(timeline)
        pane.action = small
        await pilot.pause()
        other = visible(timeline)
        pane.action = big
        await pilot.pause()
        again = visible(timeline)
        rows, cursor = timeline.row_count, timeline.cursor

    assert grouped == [10_000, 10]  # the big one once, though shown twice
    assert again == first != other
    assert rows == 50 + 10_000 and cursor is None


async def test_10000_events_cursor_skips_headings_and_enter_opens_that_attempt() -> None:
    messages: list[Message] = []
    app = HugeApp(many_events_action(10_000, names=5_000))  # two attempts per name
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await _focus_body(app, pilot)
        timeline = app.query_one(EventTimeline)
        await pilot.press("G")
        await pilot.pause()
        last = timeline.highlighted_event
        bottom = visible(timeline)
        await pilot.press("up", "up")  # the first attempt of step_4999, then over its heading
        await pilot.pause()
        above = timeline.highlighted_event
        await pilot.press("enter")
        await pilot.press("g", "pagedown")
        await pilot.pause()
        paged = timeline.highlighted_event

    assert last is not None and (last.name, last.started_at) == ("step_4999", at(-10))
    assert any("attempt 2/2  ✔ Success" in line for line in bottom[-3:])
    assert above is not None and above.name == "step_4998" and above.started_at == at(-20)
    [request] = requests_in(messages)
    assert request.event_name == "step_4998"
    assert request.traceback == event_traceback(9_998)
    assert paged is not None and paged.name not in ("step_000", "step_001")  # a page down


async def test_megabyte_strings_show_a_prefix_and_the_raw_json_keeps_everything() -> None:
    action = huge_strings_action()
    app = HugeApp(action)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(DetailPane)
        identity = pane.query_one("#detail-identity", Static).content
        title = pane.query_one("#detail-title", Static).content
        await _focus_body(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        raw = app.query_one(RawJsonView)
        focused = app.focused
        raw_lines = raw.plain_lines()
        first = visible(raw)
        await pilot.press("G")
        await pilot.pause()
        last = visible(raw)
        await pilot.press("g", "l", "l")
        await pilot.pause()
        sideways = visible(raw)
        await pilot.press("v")
        await pilot.pause()
        back = app.focused.id if app.focused else None

    assert isinstance(identity, Content) and isinstance(title, Content)
    fields = " ".join(identity.plain.split())
    assert fields.count(" more characters)") == 3  # resource, user, message
    assert f"… ({MEGABYTE - DISPLAY_LIMIT:,} more characters)" in fields  # tui.text's bound
    assert len(fields) < 4 * LAYOUT_CHARS  # three cut values and the short fields
    assert title.plain.endswith("more characters)") and len(title.plain) < 500
    assert focused is raw
    assert f'  "resource": "{"r" * MEGABYTE}",' in raw_lines
    assert f'  "message": "{"m" * MEGABYTE}"' in raw_lines
    assert first[:2] == ["{", '  "id": 4242,']
    assert "}" in last
    assert sideways[2].startswith('"resource": "rrrr')  # two columns to the right
    assert back == "detail-other"


POLL_TIMEOUT = 2.0
"""Backend timeout in the polling test: the loop must never be blocked this long."""


class LoopWatch:
    """Measures the longest time the event loop went without running a 10 ms sleeper."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(0.01)
            self.longest = max(self.longest, loop.time() - before - 0.01)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._watch())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


async def test_polls_of_every_backend_succeed_while_huge_details_are_open(
    fresh_sim: Simulator,
) -> None:
    config = simulator_config(fresh_sim, refresh=QUIET_REFRESH)
    backends = [dataclasses.replace(entry, timeout=POLL_TIMEOUT) for entry in config.backends]
    config = dataclasses.replace(config, backends=backends)
    app = ActionDeckApp(config, simulator=fresh_sim, banner=DEMO_BANNER, now=sim_now(fresh_sim))
    messages: list[Message] = []
    huge = [many_events_action(10_000), many_shards_action(10_000), huge_strings_action()]
    watch = LoopWatch()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle_app(app, pilot)
        names = set(app.health)
        detail = app.main_screen.detail

        def more_polls_than(count: int) -> Callable[[], bool]:
            return lambda: _polls_each(messages, names) > count

        watch.start()
        for number, action in enumerate(huge, 1):
            await pilot.press("r")  # polls in flight while the huge detail renders
            detail.action = action
            detail.focus_body()
            await pilot.press("j", "G", "v", "k", "v")
            detail.refresh_ages()
            await wait_until(pilot, more_polls_than(number))
            assert detail.action is action
        watch.stop()
        results = polls(messages)

    assert {result.result.backend for result in results} == names
    assert [r.result.error for r in results if r.result.error is not None] == []
    assert all(app.health[name].last_error is None for name in names)
    # Rendering never held the loop as long as a poll may take: no poll can time out for it.
    assert watch.longest < POLL_TIMEOUT, f"the event loop was blocked for {watch.longest:.1f} s"


def _polls_each(messages: list[Message], names: set[str]) -> int:
    """How many polls every backend has answered (the least of them)."""
    counts = {name: 0 for name in names}
    for message in polls(messages):
        counts[message.result.backend] += 1
    return min(counts.values())
