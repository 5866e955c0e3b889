"""The Seeweb backend against the simulated API over real loopback HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

import tui.backends.http as http_module
import tui.backends.seeweb.backend as seeweb_module
import tui.backends.seeweb.listing as listing
from tests.helpers.sim import SEED
from tui.backends.base import (
    AuthError,
    Backend,
    BackendError,
    BackendTimeout,
    BadResponseError,
    ListQuery,
    NotFoundError,
    RateLimitedError,
    UnreachableError,
    UnreadableEntryError,
)
from tui.backends.seeweb.backend import SeewebBackend
from tui.model import Status
from tui.sim import FrozenClock, Simulator
from tui.sim.http import ApiServer, Handler, Route, SimRequest, SimResponse
from tui.sim.seeweb.api import DEFAULT_ACTIONS, SeewebApi

"""The seed of the shared test worlds (the ``sim`` fixture's)."""

NAME = "seeweb-test"


def make_backend(simulator: Simulator, **options: Any) -> SeewebBackend:
    """A backend on the simulator's Seeweb API with its demo token."""
    options.setdefault("token", simulator.credentials.seeweb_token)
    return SeewebBackend(NAME, url=simulator.seeweb_url, **options)


def wire(simulator: Simulator, **params: Any) -> dict[str, Any]:
    """What the simulator itself answers to ``GET /actions``."""
    headers = {"X-APITOKEN": simulator.credentials.seeweb_token}
    response = httpx.get(f"{simulator.seeweb_url}/actions", params=params, headers=headers)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def wire_ids(simulator: Simulator, **params: Any) -> list[str]:
    """The ids the simulator lists, as the backend writes them."""
    return [str(action["id"]) for action in wire(simulator, **params)["actions"]]


def move(simulator: Simulator, seconds: float) -> None:
    """Advance a test simulator's frozen clock."""
    assert isinstance(simulator.clock, FrozenClock)
    simulator.clock.advance(seconds)


@pytest.fixture
async def backend(sim: Simulator) -> AsyncIterator[SeewebBackend]:
    """A backend on the shared, frozen simulator."""
    async with make_backend(sim) as client:
        yield client


# -- listing and reading --------------------------------------------------------


async def test_is_a_backend(backend: SeewebBackend) -> None:
    assert isinstance(backend, Backend)
    assert backend.type == "seeweb"


async def test_list_matches_the_wire(sim: Simulator, backend: SeewebBackend) -> None:
    expected = wire(sim, length=50)["actions"]
    page = await backend.list_actions(ListQuery())
    assert page.total == DEFAULT_ACTIONS
    assert [action.raw for action in page.actions] == expected
    assert [action.ref for action in page.actions] == [f"{NAME}:{a['id']}" for a in expected]
    running = [action for action in page.actions if action.raw_status == "in-progress"]
    assert running and all(action.status is Status.RUNNING for action in running)


async def test_window_and_detail(sim: Simulator, backend: SeewebBackend) -> None:
    page = await backend.list_actions(ListQuery(start=40, limit=20))
    assert [action.id for action in page.actions] == wire_ids(sim, start=40, length=20)
    detail = await backend.get_action(page.actions[0].id)
    assert detail == page.actions[0]


async def test_resource_filter(sim: Simulator, backend: SeewebBackend) -> None:
    page = await backend.list_actions(ListQuery(limit=1000, resource="ec200285"))
    assert page.total == len(page.actions) >= 5
    assert {action.resource for action in page.actions} == {"ec200285"}
    tail = await backend.list_actions(ListQuery(start=2, limit=3, resource="ec200285"))
    assert tail.actions == page.actions[2:5]


async def test_limit_above_page_size_reads_several_pages(fresh_sim: Simulator) -> None:
    async with make_backend(fresh_sim, page_size=7) as client:
        before = fresh_sim.seeweb.requests
        page = await client.list_actions(ListQuery(limit=30))
        assert fresh_sim.seeweb.requests - before == 5
    assert [action.id for action in page.actions] == wire_ids(fresh_sim, length=30)


async def test_list_past_the_end_is_short(sim: Simulator, backend: SeewebBackend) -> None:
    page = await backend.list_actions(ListQuery(start=DEFAULT_ACTIONS - 4, limit=50))
    assert [action.id for action in page.actions] == wire_ids(sim, start=DEFAULT_ACTIONS - 4)
    assert len(page.actions) == 4


async def test_unknown_action_is_not_found(backend: SeewebBackend) -> None:
    with pytest.raises(NotFoundError, match=NAME):
        await backend.get_action("99999999")
    with pytest.raises(NotFoundError):
        await backend.get_action("../actions")


# -- paging while new actions arrive -------------------------------------------


@dataclass
class Growing:
    """A Seeweb world whose clock jumps ``step`` seconds after every answer."""

    url: str
    token: str
    clock: FrozenClock
    step: float = 0.0


@pytest.fixture
def growing() -> Iterator[Growing]:
    """Simulated time passes between two page requests, as it does for real."""
    clock = FrozenClock()
    world = SeewebApi(seed=SEED, clock=clock, actions=None)
    state = Growing("", world.token, clock)

    def after_answer(handler: Handler) -> Handler:
        def handle(request: SimRequest) -> SimResponse:
            response = handler(request)
            clock.advance(state.step)
            return response

        return handle

    routes = [Route(r.method, r.pattern, after_answer(r.handler)) for r in world.routes()]
    server = ApiServer("seeweb-growing", routes)
    server.start()
    state.url = f"{server.url}/ecs/v2"
    try:
        yield state
    finally:
        server.stop()


@pytest.mark.parametrize(("step", "page_size"), [(90, 5), (900, 5), (300, 50)])
async def test_paging_while_the_list_grows(growing: Growing, step: float, page_size: int) -> None:
    async with SeewebBackend(NAME, url=growing.url, token=growing.token, page_size=5) as probe:
        snapshot = await probe.list_actions(ListQuery(start=3, limit=60))
    growing.step = step
    async with SeewebBackend(
        NAME, url=growing.url, token=growing.token, page_size=page_size
    ) as client:
        page = await client.list_actions(ListQuery(start=3, limit=60))
        after = await client.list_actions(ListQuery(limit=1))
    assert [action.id for action in page.actions] == [action.id for action in snapshot.actions]
    assert None not in (snapshot.total, page.total, after.total)
    assert after.total >= page.total > snapshot.total, "the latest total is reported"  # type: ignore[operator]


# -- polling ------------------------------------------------------------------------


async def test_first_poll_reads_two_pages(fresh_sim: Simulator) -> None:
    async with make_backend(fresh_sim, page_size=10) as client:
        update = await client.poll()
    expected = wire(fresh_sim, length=20)["actions"]
    assert [action.raw for action in update.actions] == expected
    assert update.total == DEFAULT_ACTIONS
    assert update.in_flight == sum(a["status"] == "in-progress" for a in expected) >= 3


async def test_first_poll_of_big_pages_reads_one_short_page(fresh_sim: Simulator) -> None:
    # Pages of 500 would make a first poll of 1,000 actions parsed before the first rows.
    limit = seeweb_module.FIRST_POLL_MAX
    async with make_backend(fresh_sim, page_size=500) as client:
        before = fresh_sim.seeweb.requests
        update = await client.poll()
        assert fresh_sim.seeweb.requests - before == 1
        assert [action.raw for action in update.actions] == wire(fresh_sim, length=limit)["actions"]
        assert len(update.actions) == limit < 500
        assert update.total == DEFAULT_ACTIONS
        second = await client.poll()
    older = wire(fresh_sim, length=500)["actions"][limit:]
    assert [action.raw for action in second.actions] == older, "the next poll reads on"


async def test_quiet_poll_reports_nothing_and_reads_one_page(fresh_sim: Simulator) -> None:
    async with make_backend(fresh_sim, page_size=10) as client:
        first = await client.poll()
        before = fresh_sim.seeweb.requests
        second = await client.poll()
        assert fresh_sim.seeweb.requests - before == 1
    assert second.actions == []
    assert (second.total, second.in_flight) == (first.total, first.in_flight)


def count_page_reads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record every ``/actions`` answer the backend reads from now on (bytes or decoded)."""
    parsed: list[Any] = []
    read_list = SeewebBackend._read_list
    read_page = listing.read_page

    def counting(self: SeewebBackend, payload: Any) -> Any:
        parsed.append(payload)
        return read_list(self, payload)

    def counting_bytes(backend: str, content: bytes) -> Any:
        parsed.append(content)
        return read_page(backend, content)

    monkeypatch.setattr(SeewebBackend, "_read_list", counting)
    monkeypatch.setattr(seeweb_module, "read_page", counting_bytes)
    return parsed


async def test_an_unchanged_newest_page_is_not_parsed_again(
    fresh_sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An idle account answers the same bytes every poll: parsing them was most of a poll."""
    parsed = count_page_reads(monkeypatch)
    async with make_backend(fresh_sim, page_size=10) as client:
        await client.poll()
        first = await client.poll()
        before = len(parsed)
        quiet = await client.poll()
        assert len(parsed) == before, "the same body again is not parsed again"
        assert quiet.actions == []
        assert (quiet.total, quiet.in_flight) == (first.total, first.in_flight)
        move(fresh_sim, 120)
        busy = await client.poll()
    assert len(parsed) > before and busy.actions, "a changed body is read"


async def test_an_unreadable_answer_after_an_unchanged_one_is_still_reported(
    fresh_sim: Simulator,
) -> None:
    async with make_backend(fresh_sim, page_size=10) as client:
        await client.poll()
        await client.poll()
        fresh_sim.seeweb.faults.update(malformed=True, remaining=1)
        with pytest.raises(BadResponseError, match="JSON"):
            await client.poll()
        fresh_sim.seeweb.faults.clear()
        fresh_sim.seeweb.faults.update(body=b'{"actions": {}}', path="/ecs/v2/actions")
        for _ in range(2):
            with pytest.raises(BadResponseError, match="'actions' is not a list"):
                await client.poll()
        fresh_sim.seeweb.faults.clear()
        again = await client.poll()
    assert again.actions == [] and again.total == DEFAULT_ACTIONS, "the same list as before"


async def test_poll_reports_only_new_and_changed(fresh_sim: Simulator) -> None:
    async with make_backend(fresh_sim, page_size=10) as client:
        await client.poll()
        before = {a["id"]: a for a in wire(fresh_sim, length=40)["actions"]}
        move(fresh_sim, 120)
        after = {a["id"]: a for a in wire(fresh_sim, length=40)["actions"]}
        update = await client.poll()
    changed = {str(key) for key, action in after.items() if before.get(key) != action}
    assert changed, "two minutes bring arrivals and completions"
    assert {action.id for action in update.actions} == changed
    assert update.total == DEFAULT_ACTIONS + sum(key not in before for key in after)


async def test_poll_catches_up_after_a_burst(fresh_sim: Simulator) -> None:
    async with make_backend(fresh_sim, page_size=10) as client:
        first = await client.poll()
        running = {action.id for action in first.actions if action.status.in_flight}
        top = int(first.actions[0].id)
        move(fresh_sim, 3600)
        update = await client.poll()
    newest = int(wire_ids(fresh_sim, length=1)[0])
    assert newest - top > 60, "an hour brings several pages of arrivals"
    reported = {action.id: action for action in update.actions}
    assert {str(number) for number in range(top + 1, newest + 1)} <= set(reported)
    assert all(reported[action_id].status.is_final for action_id in running)


async def test_in_flight_actions_outside_the_window_are_refreshed(
    fresh_sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seeweb_module, "REFRESH_LIMIT", 1)
    async with make_backend(fresh_sim, page_size=1) as client:
        first = await client.poll()
        older, newer = sorted((action.id for action in first.actions), key=int)
        assert all(action.status is Status.RUNNING for action in first.actions)
        move(fresh_sim, 1200)  # more arrivals than one poll reads with pages of 1
        second = {action.id: action for action in (await client.poll()).actions}
        third = {action.id: action for action in (await client.poll()).actions}
    assert older in second and newer not in second, "oldest first, one per poll"
    assert second[older].status.is_final
    assert newer in third and third[newer].status.is_final


# -- errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("faults", "error", "text"),
    [
        ({"status": 401}, AuthError, "401"),
        ({"status": 403}, AuthError, "403"),
        ({"status": 404}, NotFoundError, "404"),
        ({"status": 429, "retry_after": 7}, RateLimitedError, "429"),
        ({"status": 500}, BadResponseError, "500"),
        ({"status": 503}, BadResponseError, "503"),
        ({"html": True}, BadResponseError, "HTML"),
        ({"malformed": True}, BadResponseError, "JSON"),
        ({"reset": True}, UnreachableError, "connection"),
    ],
)
async def test_faults_become_typed_errors(
    fresh_sim: Simulator, faults: dict[str, Any], error: type[BackendError], text: str
) -> None:
    fresh_sim.seeweb.faults.update(**faults)
    async with make_backend(fresh_sim) as client:
        calls = (lambda: client.list_actions(ListQuery()), lambda: client.get_action("1500"))
        for call in (*calls, client.poll):
            with pytest.raises(error) as caught:
                await call()
            assert text in str(caught.value)
            assert str(caught.value).startswith(f"{NAME}: ")
            assert fresh_sim.credentials.seeweb_token not in str(caught.value)
    if isinstance(caught.value, RateLimitedError):
        assert caught.value.retry_after == 7.0


async def test_wrong_token_is_an_auth_error_without_the_token(sim: Simulator) -> None:
    async with make_backend(sim, token="not-the-token-42") as client:
        with pytest.raises(AuthError) as caught:
            await client.list_actions(ListQuery())
    assert "401" in str(caught.value)
    assert "not-the-token-42" not in str(caught.value)


async def test_unreachable_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/ecs/v2"
    async with SeewebBackend(NAME, url=url, token="secret-token-x") as client:
        with pytest.raises(UnreachableError) as caught:
            await client.poll()
    assert "secret-token-x" not in str(caught.value)


async def test_slow_answer_times_out(fresh_sim: Simulator) -> None:
    fresh_sim.seeweb.faults.update(latency=1.0, remaining=1)
    async with make_backend(fresh_sim, timeout=0.2) as client:
        with pytest.raises(BackendTimeout, match="timed out"):
            await client.list_actions(ListQuery())


async def test_recovers_when_the_faults_run_out(fresh_sim: Simulator) -> None:
    fresh_sim.seeweb.faults.update(status=503, remaining=2)
    async with make_backend(fresh_sim, page_size=10) as client:
        for _ in range(2):
            with pytest.raises(BadResponseError):
                await client.poll()
        update = await client.poll()
    assert len(update.actions) == 20, "the failed polls did not count as the first one"


async def test_failed_poll_loses_nothing(fresh_sim: Simulator) -> None:
    async with make_backend(fresh_sim, page_size=10) as client:
        await client.poll()
        before = {a["id"]: a for a in wire(fresh_sim, length=40)["actions"]}
        move(fresh_sim, 120)
        after = {a["id"]: a for a in wire(fresh_sim, length=40)["actions"]}
        fresh_sim.seeweb.faults.update(reset=True, remaining=1)
        with pytest.raises(UnreachableError):
            await client.poll()
        update = await client.poll()
    changed = {str(key) for key, action in after.items() if before.get(key) != action}
    assert changed
    assert {action.id for action in update.actions} == changed


# -- odd servers ------------------------------------------------------------------


@pytest.fixture
def odd_server() -> Iterator[Callable[[Any, Any], str]]:
    """Serve fixed bodies for ``/actions`` and ``/actions/{id}``; yields a URL maker."""
    servers: list[ApiServer] = []

    def serve(listing: Any, detail: Any) -> str:
        def reply(body: Any) -> Handler:
            return lambda request: body(request) if callable(body) else SimResponse(body)

        server = ApiServer(
            "seeweb-odd",
            [
                Route("GET", r"/ecs/v2/actions", reply(listing)),
                Route("GET", r"/ecs/v2/actions/[^/]+", reply(detail)),
            ],
        )
        server.start()
        servers.append(server)
        return f"{server.url}/ecs/v2"

    yield serve
    for server in servers:
        server.stop()


@pytest.mark.parametrize(
    ("listing", "detail", "reason"),
    [
        ({"status": "ok", "actions": "none"}, {"status": "ok"}, "'actions' is not a list"),
        ([{"id": 1}], ["action"], "not a JSON object"),
    ],
)
async def test_unexpected_shapes_are_bad_responses(
    odd_server: Callable[[Any, Any], str], listing: Any, detail: Any, reason: str
) -> None:
    async with SeewebBackend(NAME, url=odd_server(listing, detail), token="t0ken") as client:
        with pytest.raises(BadResponseError) as listed:
            await client.list_actions(ListQuery())
        with pytest.raises(BadResponseError) as shown:
            await client.get_action("1")
    assert reason in str(listed.value) and "/actions" in str(listed.value)
    assert "/actions/1" in str(shown.value)


async def test_one_unreadable_entry_costs_one_entry(
    odd_server: Callable[[Any, Any], str],
) -> None:
    listing = {"actions": [{"id": 2}, {"status": "no id"}, "not an object", {"id": 1}]}
    url = odd_server(listing, {"action": {"status": "ok"}})
    async with SeewebBackend(NAME, url=url, token="t0ken") as client:
        page = await client.list_actions(ListQuery())
        update = await client.poll()
        with pytest.raises(UnreadableEntryError) as shown:
            await client.get_action("1")
    assert [action.id for action in page.actions] == ["2", "1"]
    assert page.unreadable == 2
    assert update.unreadable == 2 and {a.id for a in update.actions} == {"1", "2"}
    assert "/actions/1" in str(shown.value) and "integer id" in str(shown.value)


async def test_older_payload_without_total_and_with_float_ids(
    odd_server: Callable[[Any, Any], str],
) -> None:
    actions = [{"id": 12.0, "status": "completed", "type": "power_on"}, {"id": 11.0}]
    url = odd_server({"status": "ok", "actions": actions}, {"action": actions[0]})
    async with SeewebBackend(NAME, url=url, token="t0ken", page_size=2) as client:
        page = await client.list_actions(ListQuery(limit=10))
        detail = await client.get_action("12")
    assert page.total is None
    assert [action.id for action in page.actions] == ["12", "11"], "repeats are dropped"
    assert detail.status is Status.COMPLETED


async def test_a_token_echoed_by_the_server_is_masked(
    odd_server: Callable[[Any, Any], str],
) -> None:
    def echo(request: SimRequest) -> SimResponse:
        message = f"token {request.headers.get('x-apitoken')} is not valid"
        return SimResponse({"error_code": 401, "status": "error", "message": message}, 401)

    url = odd_server(echo, echo)
    async with SeewebBackend(NAME, url=url, token="s3cret-token-value") as client:
        with pytest.raises(AuthError) as caught:
            await client.list_actions(ListQuery())
    assert "s3cret-token-value" not in str(caught.value)
    assert "s3cret-token-value" not in caught.value.reason
    assert "***" in str(caught.value)


def _record_reading_threads(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """The thread each Seeweb page is read on, from now on."""
    threads: list[threading.Thread] = []
    read_page = listing.read_page

    def recording(backend: str, content: bytes) -> Any:
        threads.append(threading.current_thread())
        return read_page(backend, content)

    monkeypatch.setattr(seeweb_module, "read_page", recording)
    return threads


async def test_a_body_above_the_bound_is_read_off_the_event_loop_and_a_small_one_on_it(
    fresh_sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A huge body would hold the loop (and every key) while it is parsed."""
    monkeypatch.setattr(http_module, "THREAD_PARSE_BYTES", 64 * 1024)  # 700 actions: ~190 KB
    threads = _record_reading_threads(monkeypatch)
    async with make_backend(fresh_sim, page_size=1000) as client:
        big = await client.list_actions(ListQuery(limit=700))
        small = await client.list_actions(ListQuery(limit=5))
    assert [len(big.actions), len(small.actions)] == [700, 5]
    assert big.actions[:5] == small.actions
    assert [t is threading.main_thread() for t in threads] == [False, True]


async def test_the_longest_page_of_demo_actions_is_read_on_the_event_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Read in 4 ms, a page costs more handed to a thread than parsed where it is awaited."""
    threads = _record_reading_threads(monkeypatch)
    with Simulator(seed=SEED, clock=FrozenClock(), actions=5_000) as demo:
        async with make_backend(demo, page_size=1000) as client:
            page = await client.list_actions(ListQuery(limit=1000))
    assert len(page.actions) == 1000
    assert threads == [threading.main_thread()]


async def test_a_big_unusable_page_is_still_a_typed_error(fresh_sim: Simulator) -> None:
    fresh_sim.seeweb.faults.update(
        body=b'{"actions": {"a": "' + b"x" * 200_000 + b'"}}', path="/ecs/v2/actions"
    )
    async with make_backend(fresh_sim, page_size=1000) as client:
        with pytest.raises(BadResponseError, match="'actions' is not a list"):
            await client.list_actions(ListQuery(limit=700))


async def test_long_pages_are_read_one_ahead_and_the_walk_is_the_same(
    fresh_sim: Simulator,
) -> None:
    """The server draws the next long page while this one is parsed: two slow answers in
    the time of one, and the same actions a page-by-page walk reads."""
    async with make_backend(fresh_sim, page_size=500) as client:
        walked = await client.list_actions(ListQuery(limit=1000))
        fresh_sim.seeweb.faults.update(latency=1.0)
        before = fresh_sim.seeweb.requests
        began = time.monotonic()
        ahead = await client.list_actions(ListQuery(limit=1000))
        elapsed = time.monotonic() - began
        asked = fresh_sim.seeweb.requests - before
        fresh_sim.seeweb.faults.update(latency=0.0)
        short = await client.list_actions(ListQuery(start=600, limit=1000))
    assert [a.id for a in walked.actions] == wire_ids(fresh_sim, length=754)
    assert ahead.actions == walked.actions and asked == 2
    assert elapsed < 1.9, "the second page was asked for only once the first was read"
    assert [a.id for a in short.actions] == wire_ids(fresh_sim, start=600, length=1000)


async def test_a_page_read_ahead_before_an_arrival_is_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No action is skipped when the page read ahead is answered before the page before it.

    The page at 0 is answered after the one at 4, and an action arrives in
    between: taken as it is, the page at 4 would sit one place too high (the
    action at 4 before the arrival would be in neither). Its total, one
    less than the page before it counts, gives it away: it is read again.
    """
    from tests.helpers.growing_list import OutOfOrder
    from tests.helpers.hostile import HostileServer

    monkeypatch.setattr(seeweb_module, "READ_AHEAD_FROM", 1)
    served = OutOfOrder(20, late=0, after=4)
    with HostileServer() as server:
        server.script(r"^/actions$", served.behave)
        async with SeewebBackend(NAME, url=server.url, token="t", page_size=4) as client:
            page = await client.list_actions(ListQuery(limit=12))
    assert (4, 20) in served.answered and (0, 21) in served.answered  # out of order, as meant
    assert [action.id for action in page.actions] == [str(n) for n in range(21, 9, -1)]
    assert page.first_total == 21
