"""The OpenStack backend against the simulated Keystone + Nova over real loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import replace
from typing import Any

import pytest

from tui.backends.base import (
    AuthError,
    Backend,
    BackendError,
    BackendTimeout,
    BadResponseError,
    ListQuery,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnreachableError,
)
from tui.backends.openstack.auth import (
    KeystoneAuth,
    OpenStackCredentials,
    session_from_credentials,
)
from tui.backends.openstack.backend import OpenStackBackend
from tui.backends.openstack.nova import NovaClient
from tui.model import Action, Status
from tui.sim import FrozenClock, Simulator
from tui.sim.openstack.plan import US, ActionPlan

NAME = "os-test"
DEFAULT_ACTIONS = 100
DELETED_ACTIONS = 6
"""Two deleted servers with three actions each."""


def make_backend(simulator: Simulator, *, user: str = "demo", **options: Any) -> OpenStackBackend:
    """A backend on the simulator's cloud, judging time by the simulator's clock."""
    creds = OpenStackCredentials(
        auth_url=simulator.auth_url,
        username=user,
        password=simulator.credentials.os_password,
        project_name="demo",
        user_domain_name="Default",
        project_domain_name="Default",
    )
    options.setdefault("clock", simulator.clock)
    return OpenStackBackend.from_credentials(NAME, creds, **options)


@pytest.fixture
async def backend(sim: Simulator) -> AsyncIterator[OpenStackBackend]:
    """A backend on the shared (read-only) simulator."""
    created = make_backend(sim)
    yield created
    await created.aclose()


@pytest.fixture
async def fresh_backend(fresh_sim: Simulator) -> AsyncIterator[OpenStackBackend]:
    """A backend on a private simulator the test may move and break."""
    created = make_backend(fresh_sim)
    yield created
    await created.aclose()


def move(simulator: Simulator, seconds: float) -> None:
    """Advance a test simulator's frozen clock."""
    assert isinstance(simulator.clock, FrozenClock)
    simulator.clock.advance(seconds)


def plans(simulator: Simulator, ahead: float = 0.0) -> list[ActionPlan]:
    """Every action of the simulated world ``ahead`` seconds after the simulator's time."""
    world = simulator.openstack_api.world
    at = round((simulator.clock.now() + ahead) * US)
    return [plan for server in world.servers for plan in world.actions(server.id, at)]


def find_plan(simulator: Simulator, test: Callable[[ActionPlan], bool]) -> ActionPlan:
    """The newest action of the world passing ``test``."""
    return max((p for p in plans(simulator) if test(p)), key=lambda p: p.start_us)


def _names(plan: ActionPlan) -> list[str]:
    return [row.name for row in plan.events]


def has_duplicate_row(plan: ActionPlan) -> bool:
    """Nova's duplicate row: a rewritten first row and a never-finishing retry."""
    return any(row.rewrite_us is not None for row in plan.events)


def is_clean_retry(plan: ActionPlan) -> bool:
    """A retried event (Error then Success rows), no duplicate-row artifact."""
    names = _names(plan)
    retried = len(set(names)) < len(names)
    return retried and not has_duplicate_row(plan) and plan.events[-1].result == "Success"


def is_plain_failure(plan: ActionPlan) -> bool:
    """An action whose only failed event was never retried."""
    names = _names(plan)
    return plan.error_us is not None and len(set(names)) == len(names)


def action_id(plan: ActionPlan) -> str:
    """The backend's id of a planned action."""
    return f"{plan.server_id}/{plan.request_id}"


# -- first poll and listing ------------------------------------------------------------------


async def test_first_poll_returns_everything(sim: Simulator, backend: OpenStackBackend) -> None:
    """Every action of every server, normalised; four are running at the frozen moment."""
    update = await backend.poll()
    statuses = {a.status for a in update.actions}
    assert isinstance(backend, Backend)
    assert backend.microversion == (2, 90)
    assert len(update.actions) == update.total == DEFAULT_ACTIONS
    assert update.in_flight == 4
    assert statuses == {Status.RUNNING, Status.COMPLETED, Status.FAILED}
    for action in update.actions:
        assert action.ref == f"{NAME}:{action.id}"
        assert action.backend_type == "openstack"
        assert action.resource_type == "server"
        assert action.progress is None
    times = [a.created_at for a in update.actions]
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]


async def test_default_clock_is_keystones(sim: Simulator) -> None:
    """Without a clock the backend judges ages by Keystone's time, not this machine's."""
    creds = OpenStackCredentials(
        auth_url=sim.auth_url,
        username="demo",
        password=sim.credentials.os_password,
        project_name="demo",
        user_domain_name="Default",
        project_domain_name="Default",
    )
    unclocked = OpenStackBackend.from_credentials(NAME, creds)
    try:
        update = await unclocked.poll()
    finally:
        await unclocked.aclose()
    assert update.in_flight == 4  # the simulator's frozen time is months behind the wall clock


async def test_running_actions_carry_events(backend: OpenStackBackend) -> None:
    """Running actions were read in detail; the youngest has no event yet."""
    running = [a for a in (await backend.poll()).actions if a.status is Status.RUNNING]
    assert sum(1 for a in running if not a.events) == 1
    assert all(a.finished_at is None for a in running)
    assert any(e.finished_at is None for a in running for e in a.events)


async def test_deleted_servers_actions_are_listed_by_name(backend: OpenStackBackend) -> None:
    """Deleted servers come from ``changes-since`` and keep their names."""
    page = await backend.list_actions(ListQuery(limit=500, resource="tmp-build"))
    assert {a.name for a in page.actions} >= {"create", "delete"}
    assert {a.resource for a in page.actions} == {"tmp-build-01"}


async def test_list_actions_windows(backend: OpenStackBackend) -> None:
    """Offset windows over the newest-first list, with the total."""
    everything = await backend.list_actions(ListQuery(limit=DEFAULT_ACTIONS))
    first = await backend.list_actions(ListQuery(start=0, limit=10))
    second = await backend.list_actions(ListQuery(start=10, limit=10))
    assert first.total == second.total == DEFAULT_ACTIONS
    assert [a.id for a in first.actions + second.actions] == [a.id for a in everything.actions[:20]]


async def test_resource_filter_matches_name_or_id(backend: OpenStackBackend) -> None:
    """Case-insensitive substring of the server name or id."""
    by_name = await backend.list_actions(ListQuery(limit=500, resource="WEB-0"))
    server_id = by_name.actions[0].object_name or ""
    by_id = await backend.list_actions(ListQuery(limit=500, resource=server_id[:13].upper()))
    assert {a.resource for a in by_name.actions} == {"web-01", "web-02", "web-03"}
    assert by_name.total == len(by_name.actions)
    assert {a.object_name for a in by_id.actions} == {server_id}


async def test_servers_option_restricts_by_name_or_id(sim: Simulator) -> None:
    """Only the configured servers are watched."""
    db02 = next(s for s in sim.openstack_api.world.servers if s.name == "db-02")
    chosen = make_backend(sim, servers=["web-01", db02.id])
    try:
        update = await chosen.poll()
    finally:
        await chosen.aclose()
    assert {a.resource for a in update.actions} == {"web-01", "db-02"}


# -- one action ----------------------------------------------------------------------------


async def test_get_action_failed_event_has_traceback(
    sim: Simulator, backend: OpenStackBackend
) -> None:
    """A failed action: its failed event carries traceback, details and host."""
    plan = find_plan(sim, is_plain_failure)
    got = await backend.get_action(action_id(plan))
    [failed] = got.failed_events
    assert got.status is Status.FAILED
    assert got.message == "Error"
    assert failed.traceback and failed.traceback.startswith('  File "')
    assert failed.details and failed.host and failed.host_id
    assert got.finished_at == max(e.finished_at for e in got.events if e.finished_at)


async def test_get_action_groups_clean_retries(sim: Simulator, backend: OpenStackBackend) -> None:
    """Error then Success: attempts numbered oldest first; Nova's ``Error`` message decides."""
    got = await backend.get_action(action_id(find_plan(sim, is_clean_retry)))
    retried = [e for e in got.events if e.attempts > 1]
    assert got.status is Status.FAILED
    assert got.message == "Error"
    assert [e.attempt for e in retried] == list(range(1, len(retried) + 1))
    assert retried[0].result == "Error"
    assert retried[-1].result == "Success"


async def test_get_action_nova_duplicate_row_is_completed(
    sim: Simulator, backend: OpenStackBackend
) -> None:
    """The retry's own row never finishes, the first was rewritten: completed, not running."""
    plan = find_plan(sim, lambda p: has_duplicate_row(p) and p.error_us is None)
    got = await backend.get_action(action_id(plan))
    first, duplicate = [e for e in got.events if e.attempts == 2]
    assert got.status is Status.COMPLETED
    assert got.message is None
    assert (first.result, duplicate.result, duplicate.finished_at) == ("Success", None, None)
    assert got.finished_at == first.finished_at


async def test_duplicate_row_after_an_error_keeps_the_traceback(
    sim: Simulator, backend: OpenStackBackend
) -> None:
    """After a failed first attempt the rewritten row says Success but keeps its traceback."""
    plan = find_plan(sim, lambda p: has_duplicate_row(p) and p.error_us is not None)
    got = await backend.get_action(action_id(plan))
    first, _ = [e for e in got.events if e.attempts == 2]
    assert got.status is Status.FAILED
    assert (first.result, bool(first.traceback)) == ("Success", True)


async def test_get_action_before_any_sync_names_the_server(
    sim: Simulator, backend: OpenStackBackend
) -> None:
    """A fresh backend looks the server's name up."""
    plan = find_plan(sim, lambda p: p.action == "live-migration")
    got = await backend.get_action(action_id(plan))
    assert got.resource == sim.openstack_api.world.server(plan.server_id).name  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "wanted", ["nonsense", "/req-1", "no-such-server/req-1", "SERVER/req-nope"]
)
async def test_get_action_unknown(sim: Simulator, backend: OpenStackBackend, wanted: str) -> None:
    """Malformed ids and unknown actions are NotFoundError naming the backend."""
    server = sim.openstack_api.world.servers[0].id
    with pytest.raises(NotFoundError, match=NAME):
        await backend.get_action(wanted.replace("SERVER", server))


# -- incremental polls ---------------------------------------------------------------------------


def actions_read(seen: Iterable[tuple[str, dict[str, str]]]) -> set[str]:
    """The servers whose action lists the recorded requests read."""
    return {path.split("/")[-2] for path, _ in seen if path.endswith("/os-instance-actions")}


def unsettled_servers(update_actions: list[Action]) -> set[str]:
    """The servers of the actions that are not final."""
    return {a.object_name or "" for a in update_actions if not a.status.is_final}


def moved_servers(simulator: Simulator, since_us: int) -> set[str]:
    """The servers whose ``updated`` is at or after ``since_us`` now (deleted ones too)."""
    world = simulator.openstack_api.world
    now = round(simulator.clock.now() * US)
    return {s.id for s in world.servers if s.exists(now) and world.updated(s, now) >= since_us}


async def test_later_polls_read_only_servers_that_moved_or_are_unsettled(
    fresh_sim: Simulator, fresh_backend: OpenStackBackend
) -> None:
    """After the first poll, the server list by ``changes-since`` says whose actions to read:
    the servers that moved, and those with an action still unsettled."""
    counter, seen = fresh_sim.openstack, fresh_sim.openstack_api.nova.seen
    first = await fresh_backend.poll()
    first_cost = counter.requests
    since_us = round(fresh_sim.clock.now() * US)
    move(fresh_sim, 120)
    seen.clear()
    second = await fresh_backend.poll()
    second_cost = counter.requests - first_cost
    lists = [query for path, query in seen if path.endswith("/os-instance-actions")]
    servers = [query for path, query in seen if path.endswith("/servers/detail")]
    before = {a.id: a for a in first.actions}
    expected = moved_servers(fresh_sim, since_us) | unsettled_servers(first.actions)
    assert 0 < len(second.actions) < 10
    assert all(a.id not in before or a != before[a.id] for a in second.actions)
    assert second_cost < first_cost
    assert actions_read(seen) == expected
    assert 0 < len(expected) < 8
    assert all("changes-since" in query for query in lists + servers)
    assert len(servers) == 1


async def test_quiet_poll_costs_the_server_list_and_the_unsettled_servers(
    fresh_sim: Simulator, fresh_backend: OpenStackBackend
) -> None:
    """Nothing moved: one server list, one action list per server with an unsettled
    action (four running at the frozen moment), nothing reported."""
    first = await fresh_backend.poll()
    seen = fresh_sim.openstack_api.nova.seen
    seen.clear()
    start = fresh_sim.openstack.requests
    quiet = await fresh_backend.poll()
    unsettled = unsettled_servers(first.actions)
    assert quiet.actions == []
    assert actions_read(seen) == unsettled
    assert fresh_sim.openstack.requests - start == 1 + len(unsettled) <= 5


async def test_a_new_action_is_seen_at_the_next_poll(
    fresh_sim: Simulator, fresh_backend: OpenStackBackend
) -> None:
    """An action that arrives between two polls is in the second one, events read."""
    await fresh_backend.poll()
    now_us = round(fresh_sim.clock.now() * US)
    coming = min(
        (p for p in plans(fresh_sim, ahead=3600) if p.start_us > now_us and p.events),
        key=lambda p: p.start_us,
    )
    move(fresh_sim, (coming.start_us - now_us) / US + 1)
    update = await fresh_backend.poll()
    got = {a.id: a for a in update.actions}
    assert action_id(coming) in got
    assert got[action_id(coming)].status is Status.RUNNING


async def test_every_nth_sync_is_a_full_sweep(fresh_sim: Simulator) -> None:
    """Full sweeps list every server and read every action list completely (they catch
    what ``changes-since`` cannot see); the polls between read only the unsettled."""
    periodic = make_backend(fresh_sim, full_sweep_every=2)
    seen = fresh_sim.openstack_api.nova.seen
    try:
        rounds, unsettled = [], set[str]()
        for _ in range(3):
            seen.clear()
            update = await periodic.poll()
            unsettled = unsettled or unsettled_servers(update.actions)
            lists = [q for path, q in seen if path.endswith("/os-instance-actions")]
            rounds.append((len(lists), sum("changes-since" in q for q in lists)))
    finally:
        await periodic.aclose()
    assert rounds[0] == (10, 0)  # eight live and two deleted servers, read whole
    assert rounds[1] == (len(unsettled), len(unsettled))
    assert rounds[2] == (8, 0)  # live servers only: the deleted ones are settled


async def test_running_actions_finish_in_later_polls(
    fresh_sim: Simulator, fresh_backend: OpenStackBackend
) -> None:
    """Actions running at the first poll are reported again once final."""
    first = await fresh_backend.poll()
    running = {a.id for a in first.actions if a.status is Status.RUNNING}
    move(fresh_sim, 3600)
    later = {a.id: a for a in (await fresh_backend.poll()).actions}
    assert running <= set(later)
    assert all(later[i].status.is_final and later[i].finished_at for i in running)


async def test_event_less_actions_settle_without_new_events(
    fresh_sim: Simulator, fresh_backend: OpenStackBackend
) -> None:
    """An action that never records events stops counting as running after a while."""
    now_us = round(fresh_sim.clock.now() * US)
    coming = [p for p in plans(fresh_sim, ahead=86_400) if p.start_us > now_us]
    lock = min((p for p in coming if p.action in ("lock", "unlock")), key=lambda p: p.start_us)
    move(fresh_sim, (lock.start_us - now_us) / US + 60)  # a minute after it arrived
    young = next(a for a in (await fresh_backend.poll()).actions if a.id == action_id(lock))
    move(fresh_sim, 600)
    settled = {a.id: a for a in (await fresh_backend.poll()).actions}
    assert young.status is Status.RUNNING
    assert settled[action_id(lock)].status is Status.COMPLETED


# -- microversions and roles -------------------------------------------------------------------


async def test_microversion_capped_by_the_cloud(
    fresh_sim: Simulator, fresh_backend: OpenStackBackend
) -> None:
    """The newest version both sides speak (the simulator 406s anything higher)."""
    fresh_sim.openstack_api.max_microversion = "2.60"
    update = await fresh_backend.poll()
    assert fresh_backend.microversion == (2, 60)
    assert len(update.actions) == DEFAULT_ACTIONS


async def test_old_cloud_speaks_21(fresh_sim: Simulator, fresh_backend: OpenStackBackend) -> None:
    """A 2.1-only cloud: no paging, no deleted servers, events still read by an admin."""
    fresh_sim.openstack_api.max_microversion = "2.1"
    update = await fresh_backend.poll()
    running = [a for a in update.actions if a.status is Status.RUNNING]
    move(fresh_sim, 3600)
    later = {a.id: a for a in (await fresh_backend.poll()).actions}
    assert fresh_backend.microversion == (2, 1)
    assert len(update.actions) == DEFAULT_ACTIONS - DELETED_ACTIONS
    assert all(a.updated_at is None for a in update.actions)
    assert len(running) == 4
    assert all(later[a.id].status.is_final for a in running)


async def test_non_admin_on_old_cloud_sees_no_events(fresh_sim: Simulator) -> None:
    """Before 2.51 a reader gets no events: recent actions stay unknown until settled."""
    fresh_sim.openstack_api.max_microversion = "2.50"
    viewer = make_backend(fresh_sim, user="viewer")
    try:
        update = await viewer.poll()
        detail = await viewer.get_action(update.actions[-1].id)
    finally:
        await viewer.aclose()
    statuses = {a.status for a in update.actions}
    assert detail.events == ()
    assert Status.UNKNOWN in statuses
    assert Status.RUNNING not in statuses
    assert update.in_flight == 0


async def test_non_admin_events_lack_admin_fields(sim: Simulator) -> None:
    """From 2.51 a reader sees events, without traceback, host or details."""
    viewer = make_backend(sim, user="viewer")
    try:
        got = await viewer.get_action(action_id(find_plan(sim, is_plain_failure)))
    finally:
        await viewer.aclose()
    assert got.status is Status.FAILED
    assert got.events
    assert all(e.traceback is None and e.host is None and e.details is None for e in got.events)
    assert all(e.host_id for e in got.events)


# -- tokens ---------------------------------------------------------------------------------


async def test_expired_token_reauthenticates_once(
    fresh_sim: Simulator, fresh_backend: OpenStackBackend
) -> None:
    """Keystone revoked every token: one new token, the poll succeeds."""
    await fresh_backend.poll()
    fresh_sim.openstack.faults.update(expire_tokens=True)
    await fresh_backend.poll()
    assert fresh_sim.openstack_api.tokens_issued == 2


async def test_token_outlived_on_the_sim_clock(
    fresh_sim: Simulator, fresh_backend: OpenStackBackend
) -> None:
    """A token past its hour of simulated time is refused and transparently replaced."""
    await fresh_backend.poll()
    move(fresh_sim, 3700)
    update = await fresh_backend.poll()
    assert update.actions
    assert fresh_sim.openstack_api.tokens_issued == 2


async def test_persistent_401_is_auth_error(
    fresh_sim: Simulator, fresh_backend: OpenStackBackend
) -> None:
    """Refused even after re-authenticating: AuthError, with no secret in it."""
    await fresh_backend.poll()
    fresh_sim.openstack.faults.update(status=401)
    with pytest.raises(AuthError) as caught:
        await fresh_backend.poll()
    message = str(caught.value)
    assert message.startswith(f"{NAME}: ")
    assert fresh_sim.credentials.os_password not in message
    assert "gAAAA" not in message


# -- failures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("knobs", "expected"),
    [
        ({"status": 503}, ServerError),
        ({"status": 500}, ServerError),
        ({"status": 429, "retry_after": 7}, RateLimitedError),
        ({"html": True}, ServerError),
        ({"malformed": True}, BadResponseError),
        ({"reset": True}, UnreachableError),
    ],
)
async def test_faults_become_typed_errors_then_recover(
    fresh_sim: Simulator,
    fresh_backend: OpenStackBackend,
    knobs: dict[str, Any],
    expected: type[BackendError],
) -> None:
    """One broken answer: a typed error naming the backend; the next poll works."""
    await fresh_backend.poll()
    fresh_sim.openstack.faults.update(remaining=1, **knobs)
    with pytest.raises(expected) as caught:
        await fresh_backend.poll()
    assert type(caught.value) is expected
    assert caught.value.backend == NAME
    update = await fresh_backend.poll()
    assert update.total == DEFAULT_ACTIONS


async def test_slow_cloud_times_out(fresh_sim: Simulator) -> None:
    """An answer slower than the timeout is BackendTimeout."""
    slow = make_backend(fresh_sim, timeout=0.5)
    try:
        await slow.poll()
        fresh_sim.openstack.faults.update(latency=1.5, remaining=1)
        with pytest.raises(BackendTimeout):
            await slow.poll()
    finally:
        await slow.aclose()


async def test_wrong_password_on_first_poll(fresh_sim: Simulator) -> None:
    """Bad credentials surface as AuthError from poll, without the password."""
    creds = OpenStackCredentials(
        auth_url=fresh_sim.auth_url,
        username="demo",
        password="definitely-wrong-password",
        project_name="demo",
        user_domain_name="Default",
        project_domain_name="Default",
    )
    wrong = OpenStackBackend.from_credentials(NAME, creds, clock=fresh_sim.clock)
    try:
        with pytest.raises(AuthError) as caught:
            await wrong.poll()
    finally:
        await wrong.aclose()
    assert "definitely-wrong-password" not in str(caught.value)


# -- the Nova client ---------------------------------------------------------------------------


def nova_client(simulator: Simulator, **resolved: Any) -> NovaClient:
    """A bare Nova client with the demo user's credentials."""
    creds = OpenStackCredentials(
        auth_url=simulator.auth_url,
        username="demo",
        password=simulator.credentials.os_password,
        project_name="demo",
        user_domain_name="Default",
        project_domain_name="Default",
    )
    session = session_from_credentials(NAME, creds)
    return NovaClient(NAME, KeystoneAuth(NAME, replace(session, **resolved)))


async def test_transient_failure_does_not_pin_the_microversion(fresh_sim: Simulator) -> None:
    """A 503 on the version document fails this call; the next one negotiates normally."""
    nova = nova_client(fresh_sim)
    try:
        await nova.auth.grant()
        fresh_sim.openstack.faults.update(status=503, remaining=1)
        with pytest.raises(BadResponseError, match="503"):
            await nova.negotiate()
        assert await nova.negotiate() == (2, 90)
    finally:
        await nova.aclose()


async def test_endpoint_with_project_id_finds_the_version_document(fresh_sim: Simulator) -> None:
    """Catalogs that append the project id: the document is read one level up."""
    project = fresh_sim.openstack_api.world.identity.project_id
    nova = nova_client(
        fresh_sim, endpoint_override=f"{fresh_sim.openstack_api.compute_url}/{project}"
    )
    try:
        assert await nova.negotiate() == (2, 90)
        servers = await nova.pages("/servers", "servers", {})
    finally:
        await nova.aclose()
    assert len(servers) == 8


async def test_paging_follows_next_links_by_marker(sim: Simulator) -> None:
    """A cloud whose pages are smaller than asked: every page is fetched, none twice."""
    nova = nova_client(sim)
    server = next(s for s in sim.openstack_api.world.servers if s.name == "web-01")
    path = f"/servers/{server.id}/os-instance-actions"
    try:
        whole = await nova.pages(path, "instanceActions", {"limit": 1000})
        paged = await nova.pages(path, "instanceActions", {"limit": 3})
    finally:
        await nova.aclose()
    assert [a["request_id"] for a in paged] == [a["request_id"] for a in whole]
    assert len(whole) > 3


# -- unreadable entries ----------------------------------------------------------------------


async def test_an_unreadable_detail_keeps_the_listed_action_and_is_counted(
    fresh_sim: Simulator, fresh_backend: OpenStackBackend
) -> None:
    """A running action whose events cannot be read stays, as listed; the rest is unaffected."""
    first = await fresh_backend.poll()
    running = next(a for a in first.actions if a.status is Status.RUNNING)
    server_id, request_id = running.id.split("/")
    detail = f"/compute/v2.1/servers/{server_id}/os-instance-actions/{request_id}"
    bad = {"instanceAction": {"request_id": request_id, "action": "x", "events": [{"x": 1}]}}
    fresh_sim.openstack.faults.update(body=json.dumps(bad).encode(), path=detail)
    other = make_backend(fresh_sim)
    try:
        update = await other.poll()
        page = await other.list_actions(ListQuery(limit=1000))
        assert update.unreadable == page.unreadable == 1
        assert len(update.actions) == first.total and running.id in {a.id for a in page.actions}
        fresh_sim.openstack.faults.clear()
        again = await other.poll()
        assert again.unreadable == 0
        reread = {a.id: a for a in again.actions}[running.id]  # changed: its detail was read
        assert "events" in reread.raw and reread == running
    finally:
        await other.aclose()
