"""The console against a hostile server: it survives, keeps rows, says why, and recovers alone.

One backend at a time is routed through :class:`~tests.helpers.hostile.HostileServer`
(a loopback proxy in front of the simulator) while the other two talk to the
simulator directly. The hostile one then hangs, drips, bombs, redirects to
another origin, or sends payloads that are too deep, of the wrong shape or
full of unrepresentable numbers. For each fault the console must keep
answering keys, name the backend and the reason in the bar, keep that
backend's last good rows, leave the other backends alone, and — with nobody
pressing ``r`` — be healthy again within one poll cycle of the fault
clearing: the request under way ends at its deadline (the backend's
``timeout``), then the poller's capped backoff (``max_backoff``) runs out.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.helpers.app import DEMO_BANNER, Settle, sim_now
from tests.helpers.hostile import (
    Behaviour,
    HostileServer,
    drip_body,
    drip_headers,
    gzip_bomb,
    hang,
    raw,
    redirect,
)
from tui.config import Config, RefreshConfig
from tui.console.app import ActionDeckApp
from tui.console.widgets.backend_bar import BackendBar
from tui.embedded import simulator_config
from tui.poller import HealthState
from tui.sim import Simulator

TIMEOUT = 1.5
"""The hostile backend's request deadline (seconds)."""

REFRESH = RefreshConfig(busy_interval=0.3, idle_interval=0.5, max_backoff=1, stale_after=60)
"""Poll often and back off briefly, so recovery is measured in seconds."""

RECOVERY_BOUND = TIMEOUT + REFRESH.max_backoff + REFRESH.idle_interval
"""One poll cycle after the fault clears: the request under way ends, then the next one runs."""

SCHEDULING_SLACK = 4.0
"""What a loaded 2-core machine may add to any bound (the cycle itself is measured above)."""

LIST_PATHS = {
    "seeweb": r"^/ecs/v2/actions$",
    "openstack": r"/os-instance-actions$",
    "redis": r"^/v1/actions$",
}
"""The list request of each backend: where the faults are served."""

DEEP = b"[" * 100_000 + b"]" * 100_000


def _faults() -> list[tuple[str, str, Callable[[str], Behaviour], str]]:
    """(backend, fault name, behaviour given the other origin, a word of the reason)."""
    transport: list[tuple[str, Callable[[str], Behaviour], str]] = [
        ("hang", lambda _: hang(), "timed out"),
        ("drip-body", lambda _: drip_body(interval=0.2), "timed out"),
        ("drip-headers", lambda _: drip_headers(interval=0.2), "timed out"),
        ("gzip-bomb", lambda _: gzip_bomb(80 * 1024 * 1024), "larger than"),
        ("redirect", lambda other: redirect(f"{other}/elsewhere", 307), "redirect"),
    ]
    payload: list[tuple[str, str, Callable[[str], Behaviour], str]] = [
        ("seeweb", "deep-json", lambda _: raw(200, DEEP), "deeper"),
        ("redis", "wrong-envelope", lambda _: raw(200, b'{"actions": {"x": 1}}'), "array"),
        ("openstack", "no-list", lambda _: raw(200, b'{"instanceActions": 7}'), "instanceActions"),
    ]
    cases = [(b, name, make, word) for b in LIST_PATHS for name, make, word in transport]
    return cases + payload


FAULTS = _faults()


@pytest.fixture
def other_origin() -> Iterator[HostileServer]:
    """A second loopback origin a redirect points at; it must never be asked anything."""
    with HostileServer() as server:
        yield server


def _upstream(sim: Simulator, backend: str) -> str:
    return {"seeweb": sim.seeweb, "openstack": sim.openstack, "redis": sim.redis}[backend].url


def _through(config: Config, backend: str, proxy: HostileServer, sim: Simulator) -> Config:
    """``config`` with ``backend`` reached through ``proxy`` and a short deadline."""
    upstream = _upstream(sim, backend)
    entries = []
    for entry in config.backends:
        if entry.name != backend:
            entries.append(entry)
            continue
        url_key = "auth_url" if entry.type == "openstack" else "url"
        url = getattr(entry, url_key).replace(upstream, proxy.url)
        entries.append(dataclasses.replace(entry, **{url_key: url}, timeout=TIMEOUT))
    return dataclasses.replace(config, backends=entries)


async def _wait(pilot: Any, condition: Callable[[], bool], seconds: float) -> float:
    """Run the app until ``condition()`` holds; the seconds it took (fails after ``seconds``)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds:.1f}s: {condition}")
        await pilot.pause(0.05)
    return time.monotonic() - started


@pytest.mark.parametrize(
    ("backend", "fault", "make", "word"), FAULTS, ids=[f"{b}-{f}" for b, f, _, _ in FAULTS]
)
async def test_the_console_survives_a_hostile_backend_and_recovers_by_itself(
    fresh_sim: Simulator,
    other_origin: HostileServer,
    settle: Settle,
    backend: str,
    fault: str,
    make: Callable[[str], Behaviour],
    word: str,
) -> None:
    with HostileServer(upstream=_upstream(fresh_sim, backend)) as proxy:
        config = _through(simulator_config(fresh_sim, refresh=REFRESH), backend, proxy, fresh_sim)
        app = ActionDeckApp(config, simulator=fresh_sim, banner=DEMO_BANNER, now=sim_now(fresh_sim))
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            health = app.health[backend]  # a value: read app.health again to see a change
            known = {ref for ref in app.store.refs() if ref.startswith(f"{backend}:")}
            assert known and health.state is HealthState.OK

            proxy.script(LIST_PATHS[backend], make(other_origin.url))
            await _wait(
                pilot,
                lambda: app.health[backend].state is HealthState.ERROR,
                TIMEOUT + 3 + SCHEDULING_SLACK,
            )
            await pilot.press("j")  # the keyboard still answers during the fault
            await pilot.pause()
            reason = (app.health[backend].last_error or "").lower()
            assert word.lower() in reason, reason
            assert known <= set(app.store.refs()), "the last good rows stay"
            shown = app.main_screen.query_one(BackendBar).segment_text(backend)
            assert shown.startswith(f"✖ {backend} error"), shown
            others = [name for name in app.health if name != backend]
            assert all(app.health[name].state is HealthState.OK for name in others)

            proxy.clear()
            took = await _wait(
                pilot,
                lambda: app.health[backend].state is HealthState.OK,
                RECOVERY_BOUND + SCHEDULING_SLACK,
            )
            assert took <= RECOVERY_BOUND + SCHEDULING_SLACK
            assert known <= set(app.store.refs())
    assert not other_origin.seen, "nothing followed the redirect to the other origin"
