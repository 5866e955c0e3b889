"""What the console looks like, state by state (pytest-textual-snapshot).

Each picture is taken against the deterministic simulator (seed 7, frozen
clock) with the app's clock set to the simulator's, polling timers too long to
fire, and the cursor not blinking: the same SVG on every run. Update with
``pytest tests/snapshots --snapshot-update`` only after looking at the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.helpers.app import DEMO_BANNER, QUIET_REFRESH, settle_app, sim_now, wait_until
from tests.helpers.sim import deterministic_sim
from tui.config import UiConfig
from tui.console.app import ActionDeckApp
from tui.embedded import simulator_config
from tui.model import Status
from tui.sim import Simulator

WIDE = (120, 36)
NARROW = (80, 24)

RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes snapshot tests nondeterministic."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def snap_sim() -> Iterator[Simulator]:
    """A private deterministic simulator for one picture."""
    with deterministic_sim() as simulator:
        yield simulator


def make_app(sim: Simulator, theme: str | None = None) -> ActionDeckApp:
    """The console watching ``sim``, with the simulator's clock as its own."""
    config = simulator_config(
        sim, refresh=QUIET_REFRESH, ui=UiConfig(theme=theme or "actiondeck-dark")
    )
    return ActionDeckApp(config, simulator=sim, banner=DEMO_BANNER, now=sim_now(sim))


async def settled(pilot: Pilot[Any]) -> None:
    """Every backend answered and nothing is being fetched."""
    await settle_app(pilot.app, pilot)  # type: ignore[arg-type]


def search(query: str, then: tuple[str, ...] = ()) -> RunBefore:
    """Type ``query`` in the search box, leave it, press ``then``."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        await pilot.press("slash", *query, "escape", *then)
        await settled(pilot)

    return run_before


def open_first(predicate: Callable[[Any], bool], then: tuple[str, ...] = ()) -> RunBefore:
    """Search for the newest action matching ``predicate`` by its ref and open it."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        app: ActionDeckApp = pilot.app  # type: ignore[assignment]
        action = next(a for a in app.store.actions() if predicate(a))
        await pilot.press("slash", *action.ref.split(":", 1)[1], "escape", "enter")
        await settled(pilot)
        await wait_until(pilot, lambda: _detail_ref(app) == action.ref)
        await pilot.press(*then)
        await settled(pilot)

    return run_before


def _detail_ref(app: ActionDeckApp) -> str | None:
    shown = app.main_screen.query_one("#detail").action  # type: ignore[attr-defined]
    return shown.ref if shown is not None else None


def _failed_nova(action: Any) -> bool:
    return action.backend_type == "openstack" and action.status is Status.FAILED


def _redis_upgrade(action: Any) -> bool:
    return action.name == "SMUpgradeBDB" and action.status is Status.RUNNING


class TestList:
    def test_list(self, snap_compare: Any, snap_sim: Simulator) -> None:
        """The merged list, newest first: backend bar, pager, the first row's detail."""
        assert snap_compare(make_app(snap_sim), run_before=settled, terminal_size=WIDE)

    def test_narrow_terminal_stacks_the_detail_under_the_list(
        self, snap_compare: Any, snap_sim: Simulator
    ) -> None:
        """At 80×24 everything essential is still there."""
        assert snap_compare(make_app(snap_sim), run_before=settled, terminal_size=NARROW)

    def test_search_by_status_and_backend(self, snap_compare: Any, snap_sim: Simulator) -> None:
        """Only failed Seeweb actions; the pager counts the matches."""
        run_before = search("status:failed backend:seeweb")
        assert snap_compare(make_app(snap_sim), run_before=run_before, terminal_size=WIDE)

    def test_second_page(self, snap_compare: Any, snap_sim: Simulator) -> None:
        """`]` flips to the next page."""
        assert snap_compare(make_app(snap_sim), run_before=search("", ("]",)), terminal_size=WIDE)


class TestDetail:
    def test_nova_failed_action_with_grouped_attempts(
        self, snap_compare: Any, snap_sim: Simulator
    ) -> None:
        """A failed Nova action: events oldest first, retries grouped, the failure marked."""
        assert snap_compare(
            make_app(snap_sim), run_before=open_first(_failed_nova), terminal_size=WIDE
        )

    def test_redis_upgrade_shards(self, snap_compare: Any, snap_sim: Simulator) -> None:
        """A Redis upgrade: per-shard progress bars, heartbeat ages, a stale shard warned about."""
        assert snap_compare(
            make_app(snap_sim), run_before=open_first(_redis_upgrade), terminal_size=WIDE
        )

    def test_redis_upgrade_beside_the_list(self, snap_compare: Any, snap_sim: Simulator) -> None:
        """After Esc the list has its room back; the shard table's essentials still show."""
        run_before = open_first(_redis_upgrade, then=("escape",))
        assert snap_compare(make_app(snap_sim), run_before=run_before, terminal_size=WIDE)

    def test_narrow_terminal_gives_the_opened_detail_most_of_the_height(
        self, snap_compare: Any, snap_sim: Simulator
    ) -> None:
        """At 80×24 Enter lets the detail take most of the screen; the list keeps a few rows."""
        assert snap_compare(
            make_app(snap_sim), run_before=open_first(_failed_nova), terminal_size=NARROW
        )

    def test_traceback_viewer(self, snap_compare: Any, snap_sim: Simulator) -> None:
        """`t` on a failed Nova action: the error summed up on top, then the frames."""
        run_before = open_first(_failed_nova, then=("t",))
        assert snap_compare(make_app(snap_sim), run_before=run_before, terminal_size=WIDE)

    def test_traceback_viewer_wraps_at_80_columns(
        self, snap_compare: Any, snap_sim: Simulator
    ) -> None:
        """At 80×24 soft wrap is on: long frame lines continue under their text, nothing cut."""
        run_before = open_first(_failed_nova, then=("t",))
        assert snap_compare(make_app(snap_sim), run_before=run_before, terminal_size=NARROW)

    def test_traceback_viewer_finds_text(self, snap_compare: Any, snap_sim: Simulator) -> None:
        """`/` then a word: every match marked, the current one in the accent colour."""
        run_before = open_first(_failed_nova, then=("t", "slash", *"context", "enter", "n"))
        assert snap_compare(make_app(snap_sim), run_before=run_before, terminal_size=WIDE)


class TestTrouble:
    def test_backend_error_keeps_the_last_good_data(
        self, snap_compare: Any, snap_sim: Simulator
    ) -> None:
        """Seeweb answers 503: its segment of the backend bar says so, its rows stay."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await settled(pilot)
            snap_sim.seeweb.faults.update(status=503)
            await pilot.press("r")
            app: ActionDeckApp = pilot.app  # type: ignore[assignment]
            await wait_until(pilot, lambda: app.health["seeweb"].last_error is not None)
            await settled(pilot)

        assert snap_compare(make_app(snap_sim), run_before=run_before, terminal_size=WIDE)


@pytest.mark.parametrize("theme", ["actiondeck-light", "actiondeck-high-contrast"])
def test_themes(snap_compare: Any, snap_sim: Simulator, theme: str) -> None:
    """The list in each shipped theme other than the default."""
    assert snap_compare(make_app(snap_sim, theme), run_before=settled, terminal_size=WIDE)
