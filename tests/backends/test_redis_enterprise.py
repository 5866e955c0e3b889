"""RedisEnterpriseBackend against the simulated cluster over real loopback HTTP(S).

Covers listing (newest first, paging, resource filter, v1+v2 merge, clusters
without v2), details with per-shard pending ops over time, polling with
actions the cluster forgets, typed errors for every failure, and TLS with a
private CA. The password must never appear in any error message.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import trustme

from tui.backends.base import (
    ActionPage,
    AuthError,
    Backend,
    BackendError,
    BackendTimeout,
    BadResponseError,
    ListQuery,
    NotFoundError,
    RateLimitedError,
    UnreachableError,
)
from tui.backends.redis_enterprise import backend as redis_enterprise
from tui.backends.redis_enterprise import wire
from tui.backends.redis_enterprise.backend import RedisEnterpriseBackend
from tui.model import Action, Status
from tui.sim import FrozenClock, Simulator
from tui.sim.http import ApiServer, Handler, Route, SimRequest, SimResponse
from tui.sim.redis_enterprise.api import RedisEnterpriseApi

PASSWORD = RedisEnterpriseApi.password
NAME = "redis-test"


def advance(simulator: Simulator, seconds: float) -> None:
    """Move a private simulator's frozen clock."""
    clock = simulator.clock
    assert isinstance(clock, FrozenClock)
    clock.advance(seconds)


def make_backend(url: str, **options: object) -> RedisEnterpriseBackend:
    """A backend with the simulator's credentials unless overridden."""
    settings: dict[str, object] = {"username": RedisEnterpriseApi.username, "password": PASSWORD}
    settings.update(options)
    return RedisEnterpriseBackend(NAME, url=url, **settings)  # type: ignore[arg-type]


@pytest.fixture
async def backend(sim: Simulator) -> AsyncIterator[RedisEnterpriseBackend]:
    """A backend of the shared, frozen simulator."""
    redis = make_backend(sim.redis_url)
    yield redis
    await redis.aclose()


@pytest.fixture
async def fresh_backend(fresh_sim: Simulator) -> AsyncIterator[RedisEnterpriseBackend]:
    """A backend of a private simulator whose clock and faults tests may change."""
    redis = make_backend(fresh_sim.redis_url)
    yield redis
    await redis.aclose()


async def everything(redis: RedisEnterpriseBackend) -> ActionPage:
    """The whole list in one page."""
    return await redis.list_actions(ListQuery(limit=10_000))


def the_upgrade(actions: list[Action]) -> Action:
    """The scripted six-shard upgrade of ``bdb:3``."""
    [found] = [
        a
        for a in actions
        if a.name == "SMUpgradeBDB" and a.object_name == "bdb:3" and a.state == "upgrade_shards"
    ]
    return found


# -- listing --------------------------------------------------------------------


async def test_it_is_a_backend(backend: RedisEnterpriseBackend) -> None:
    assert isinstance(backend, Backend)
    assert backend.type == "redis-enterprise" and backend.name == NAME


async def test_list_is_complete_normalised_and_newest_first(
    backend: RedisEnterpriseBackend,
) -> None:
    page = await everything(backend)
    actions = page.actions
    assert page.total == len(actions) == 30
    assert len({a.ref for a in actions}) == 30
    assert all(a.ref == f"{NAME}:{a.id}" and a.backend == NAME for a in actions)
    assert [a.sort_time for a in actions] == sorted((a.sort_time for a in actions), reverse=True)
    assert {a.status for a in actions} == {
        Status.PENDING, Status.RUNNING, Status.COMPLETED, Status.FAILED, Status.CANCELLED,
    }  # fmt: skip
    assert {"queued", "active", "running", "pending"} <= {a.raw_status for a in actions}


async def test_v2_adds_import_export_backup_and_creation_times(
    backend: RedisEnterpriseBackend,
) -> None:
    actions = (await everything(backend)).actions
    assert {"backup", "export", "import"} <= {a.name for a in actions}
    assert all(a.created_at is not None for a in actions)
    assert all(a.progress is not None for a in actions)


async def test_pages_and_resource_filter(backend: RedisEnterpriseBackend) -> None:
    full = (await everything(backend)).actions
    pages = [await backend.list_actions(ListQuery(start=s, limit=7)) for s in range(0, 35, 7)]
    assert [a.ref for p in pages for a in p.actions] == [a.ref for a in full]
    assert all(p.total == 30 for p in pages)
    filtered = await backend.list_actions(ListQuery(resource="BDB:3", limit=100))
    assert filtered.total == len(filtered.actions) > 0
    assert all("bdb:3" in (a.object_name or "") for a in filtered.actions)
    by_name = await backend.list_actions(ListQuery(resource="upgradebdb"))
    assert by_name.actions and all(a.name == "SMUpgradeBDB" for a in by_name.actions)


async def test_a_cluster_without_v2_is_read_through_v1_only() -> None:
    clock = FrozenClock()
    api = RedisEnterpriseApi(seed=7, clock=clock, actions=None)
    routes = [route for route in api.routes() if not route.pattern.startswith("/v2")]
    server = ApiServer("redis-v1-only", routes, error_body=api.error_body)
    server.start()
    redis = make_backend(server.url)
    try:
        first = await everything(redis)
        before = server.requests
        second = await everything(redis)
        assert server.requests - before == 1, "the missing /v2 is remembered"
    finally:
        await redis.aclose()
        server.stop()
    v1 = api.v1_actions(clock.now())
    assert first.total == second.total == len(v1["actions"]) + len(v1["state-machines"]) < 30
    assert not {"backup", "export", "import"} & {a.name for a in first.actions}


# -- details --------------------------------------------------------------------


async def test_get_action_returns_state_and_pending_ops(backend: RedisEnterpriseBackend) -> None:
    listed = the_upgrade((await everything(backend)).actions)
    detail = await backend.get_action(listed.id)
    assert detail.ref == listed.ref and detail.created_at == listed.created_at
    assert (detail.status, detail.state, detail.resource_type) == (
        Status.RUNNING, "upgrade_shards", "bdb",
    )  # fmt: skip
    assert [op.shard for op in detail.pending_ops] == ["7", "8", "9", "10", "11", "12"]
    for op in detail.pending_ops:
        assert op.op_name == "upgrade_redis" and op.status_code == "in_progress"
        assert isinstance(op.heartbeat, datetime) and isinstance(op.snapshot, dict)
        assert op.progress is not None and 0 < op.progress < 100


async def test_get_action_of_a_v2_only_job(backend: RedisEnterpriseBackend) -> None:
    backup = next(a for a in (await everything(backend)).actions if a.name == "backup")
    detail = await backend.get_action(backup.id)
    assert (detail.id, detail.object_name) == (backup.id, backup.object_name)


async def test_get_unknown_action_raises_not_found(backend: RedisEnterpriseBackend) -> None:
    with pytest.raises(NotFoundError) as caught:
        await backend.get_action("00000000-0000-4000-8000-000000000000")
    assert NAME in str(caught.value) and "Action does not exist" in str(caught.value)


async def test_shards_progress_and_a_stale_heartbeat_stays_stale(
    fresh_sim: Simulator, fresh_backend: RedisEnterpriseBackend
) -> None:
    uid = the_upgrade((await everything(fresh_backend)).actions).id
    before = {op.shard: op for op in (await fresh_backend.get_action(uid)).pending_ops}
    advance(fresh_sim, 30)
    after = {op.shard: op for op in (await fresh_backend.get_action(uid)).pending_ops}
    now = datetime.fromtimestamp(fresh_sim.clock.now(), UTC)
    for shard in ("7", "8", "10", "11", "12"):
        assert after[shard].progress > before[shard].progress  # type: ignore[operator]
        assert after[shard].heartbeat == now
    stalled = after["9"]
    assert stalled.progress == before["9"].progress and stalled.heartbeat == before["9"].heartbeat
    assert stalled.heartbeat is not None and (now - stalled.heartbeat).total_seconds() > 60
    assert stalled.status_code == "in_progress"


# -- polling --------------------------------------------------------------------


async def test_poll_reports_everything_then_only_changes(
    fresh_sim: Simulator, fresh_backend: RedisEnterpriseBackend
) -> None:
    first = await fresh_backend.poll()
    assert len(first.actions) == first.total == 30
    assert first.in_flight == sum(a.status.in_flight for a in first.actions) > 0
    assert (await fresh_backend.poll()).actions == []
    advance(fresh_sim, 20)
    changed = await fresh_backend.poll()
    assert changed.actions and all(a.status.in_flight or a.status.is_final for a in changed.actions)
    assert len(changed.actions) < changed.total  # type: ignore[operator]


async def test_unchanged_lists_are_not_read_again(
    fresh_sim: Simulator, fresh_backend: RedisEnterpriseBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quiet cluster answers the same bytes every poll: they are parsed once."""
    reads: list[str] = []
    read_v1, read_v2 = wire.parse_v1_list, wire.parse_v2_list

    def v1(backend: str, payload: object, path: str, *args: Any, **kwargs: Any) -> Any:
        reads.append(path)
        return read_v1(backend, payload, path, *args, **kwargs)

    def v2(backend: str, payload: object, path: str, *args: Any, **kwargs: Any) -> Any:
        reads.append(path)
        return read_v2(backend, payload, path, *args, **kwargs)

    monkeypatch.setattr(redis_enterprise, "parse_v1_list", v1)
    monkeypatch.setattr(redis_enterprise, "parse_v2_list", v2)
    first = await fresh_backend.poll()
    lists = ["/v1/actions", "/v2/actions"]
    assert [path for path in reads if path in lists] == lists
    reads.clear()
    quiet = await fresh_backend.poll()
    assert [path for path in reads if path in lists] == [], "the same bodies are not parsed again"
    assert quiet.actions == [] and (quiet.total, quiet.in_flight) == (first.total, first.in_flight)
    assert quiet.unreadable == first.unreadable
    advance(fresh_sim, 20)
    changed = await fresh_backend.poll()
    assert "/v1/actions" in reads and changed.actions, "changed bodies are read"


async def test_an_unreadable_answer_after_an_unchanged_one_is_still_reported(
    fresh_sim: Simulator, fresh_backend: RedisEnterpriseBackend
) -> None:
    await fresh_backend.poll()
    await fresh_backend.poll()
    for _ in range(2):
        fresh_sim.redis.faults.update(malformed=True, remaining=1)
        with pytest.raises(BadResponseError, match="JSON"):
            await fresh_backend.poll()
    again = await fresh_backend.poll()
    assert again.actions == [] and again.total == 30, "nothing lost, nothing new"


async def test_forgotten_actions_are_reported_gone_once_without_error(
    fresh_sim: Simulator, fresh_backend: RedisEnterpriseBackend
) -> None:
    await fresh_backend.poll()
    advance(fresh_sim, 120)
    seen = {a.id: a for a in (await fresh_backend.poll()).actions}
    upgrade = the_upgrade(list(seen.values()))
    assert upgrade.status is Status.RUNNING
    advance(fresh_sim, 2 * 3600)
    update = await fresh_backend.poll()
    gone = {a.id: a for a in update.actions if a.gone}
    assert upgrade.id in gone and len(gone) >= 25
    assert gone[upgrade.id].status is Status.RUNNING, "the last known state, not an error"
    assert replace(gone[upgrade.id], gone=False) == upgrade
    assert all(not a.gone for a in update.actions if a.id not in gone)
    assert not any(a.gone for a in (await fresh_backend.poll()).actions)
    with pytest.raises(NotFoundError):
        await fresh_backend.get_action(upgrade.id)


async def test_vanished_actions_are_looked_up_a_few_per_poll(
    fresh_sim: Simulator, fresh_backend: RedisEnterpriseBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redis_enterprise, "MAX_GONE_CHECKS", 4)
    await fresh_backend.poll()
    advance(fresh_sim, 3 * 3600)
    reported: list[str] = []
    for _ in range(10):
        update = await fresh_backend.poll()
        gone = [a.id for a in update.actions if a.gone]
        assert len(gone) <= 4
        reported += gone
    assert len(reported) == len(set(reported)) == 30


async def test_an_action_missing_from_the_list_but_still_known_is_not_gone() -> None:
    clock = FrozenClock()
    api = RedisEnterpriseApi(seed=7, clock=clock, actions=None)
    hidden: set[str] = set()

    def listing(request: SimRequest) -> SimResponse:
        body = api.v1_actions(clock.now())
        return SimResponse(
            {k: [a for a in v if a["action_uid"] not in hidden] for k, v in body.items()}
        )

    shows = [route for route in api.routes() if "(?P<uid>" in route.pattern]
    server = ApiServer("redis-hiding", [Route("GET", "/v1/actions", listing), *shows])
    server.start()
    redis = make_backend(server.url)
    try:
        first = await redis.poll()
        hidden.add(the_upgrade(first.actions).id)
        clock.advance(10)
        update = await redis.poll()
    finally:
        await redis.aclose()
        server.stop()
    [upgrade] = [a for a in update.actions if a.id in hidden]
    assert not upgrade.gone and upgrade.status is Status.RUNNING
    assert update.total == first.total, "still counted while the cluster answers for it"


async def test_a_database_filter_finds_state_machines_the_lists_leave_out() -> None:
    """``list --resource bdb:3`` also asks ``/v1/actions/bdb/3``, once, and keeps what it adds."""
    clock = FrozenClock()
    api = RedisEnterpriseApi(seed=7, clock=clock, actions=None)
    upgrade = next(p for p in api.world.plans_at(clock.now()) if p.name == "SMUpgradeBDB")

    def listing(request: SimRequest) -> SimResponse:
        body = api.v1_actions(clock.now())
        return SimResponse(
            {k: [a for a in v if a["action_uid"] != upgrade.uid] for k, v in body.items()}
        )

    def listing_v2(request: SimRequest) -> SimResponse:
        return SimResponse(
            [a for a in api.v2_actions(clock.now()) if a["action_uid"] != upgrade.uid]
        )

    others = [
        route for route in api.routes() if route.pattern not in ("/v1/actions", "/v2/actions")
    ]
    server = ApiServer(
        "redis-unlisted",
        [Route("GET", "/v1/actions", listing), Route("GET", "/v2/actions", listing_v2), *others],
        error_body=api.error_body,
    )
    server.start()
    redis = make_backend(server.url)
    try:
        everything_else = await redis.list_actions(ListQuery(limit=100))
        before = server.requests
        page = await redis.list_actions(ListQuery(resource="bdb:3", limit=100))
        cost = server.requests - before
        unknown_db = await redis.list_actions(ListQuery(resource="bdb:99", limit=100))
    finally:
        await redis.aclose()
        server.stop()
    assert upgrade.uid not in {a.id for a in everything_else.actions}
    [found] = [a for a in page.actions if a.id == upgrade.uid]
    assert (found.name, found.object_name, found.action_type) == (
        "SMUpgradeBDB", "bdb:3", "state-machine",
    )  # fmt: skip
    assert found.pending_ops and page.total == len(page.actions)
    assert cost == 3, "/v1/actions, /v2/actions and /v1/actions/bdb/3"
    assert unknown_db.total == 0  # "bdb not found" is no error


async def test_polls_sweep_the_databases_for_state_machines_the_lists_leave_out() -> None:
    """A poll reads one database's ``/v1/actions/bdb/{uid}`` in turn, a running find every poll.

    The unlisted upgrade of ``bdb:3`` shows within one round of the databases,
    is re-read each poll while it runs (one request), is reported once it has
    ended, and is then neither looked up one by one nor reported ``gone``.
    """
    clock = FrozenClock()
    api = RedisEnterpriseApi(seed=7, clock=clock, actions=None)
    upgrade = next(p for p in api.world.plans_at(clock.now()) if p.name == "SMUpgradeBDB")
    paths: list[str] = []

    def recorded(handler: Handler) -> Handler:
        def record(request: SimRequest) -> SimResponse:
            paths.append(request.path)
            return handler(request)

        return record

    def listing(request: SimRequest) -> SimResponse:
        body = api.v1_actions(clock.now())
        return SimResponse(
            {k: [a for a in v if a["action_uid"] != upgrade.uid] for k, v in body.items()}
        )

    def listing_v2(request: SimRequest) -> SimResponse:
        return SimResponse(
            [a for a in api.v2_actions(clock.now()) if a["action_uid"] != upgrade.uid]
        )

    others = [r for r in api.routes() if r.pattern not in ("/v1/actions", "/v2/actions")]
    routes = [Route("GET", "/v1/actions", listing), Route("GET", "/v2/actions", listing_v2)]
    server = ApiServer(
        "redis-unlisted",
        [Route(r.method, r.pattern, recorded(r.handler)) for r in [*routes, *others]],
        error_body=api.error_body,
    )
    server.start()
    redis = make_backend(server.url)
    try:
        databases = {a.object_name for a in (await redis.poll()).actions if a.object_name}
        rounds = len({d for d in databases if d.startswith("bdb:")})
        seen = None
        for _ in range(rounds):
            paths.clear()
            update = await redis.poll()
            assert paths.count("/v1/actions") == paths.count("/v2/actions") == 1
            assert 1 <= sum(p.startswith("/v1/actions/bdb/") for p in paths) <= 2
            seen = next((a for a in update.actions if a.id == upgrade.uid), None)
            if seen is not None:
                break
        assert seen is not None and seen.status is Status.RUNNING and not seen.gone
        assert seen.action_type == "state-machine" and seen.object_name == "bdb:3"
        paths.clear()
        await redis.poll()
        assert "/v1/actions/bdb/3" in paths, "a running find is read every poll"
        advance_by = upgrade.ended - clock.now() + 1
        assert advance_by < upgrade.forget_at - upgrade.ended
        clock.advance(advance_by)
        ended = next(a for a in (await redis.poll()).actions if a.id == upgrade.uid)
        paths.clear()
        after = [await redis.poll() for _ in range(rounds)]
    finally:
        await redis.aclose()
        server.stop()
    assert ended.status.is_final and not ended.gone
    assert all(upgrade.uid not in {a.id for a in u.actions} for u in after)
    assert not any(upgrade.uid in p for p in paths), "never looked up on its own"
    assert paths.count("/v1/actions/bdb/3") <= 1, "back to one database per poll"


# -- errors ---------------------------------------------------------------------


async def test_a_wrong_password_is_an_auth_error_without_the_password(sim: Simulator) -> None:
    secret = "hunter2-not-the-password"
    redis = make_backend(sim.redis_url, password=secret)
    try:
        with pytest.raises(AuthError) as caught:
            await redis.list_actions(ListQuery())
    finally:
        await redis.aclose()
    assert "401" in str(caught.value) and NAME in str(caught.value)
    assert secret not in str(caught.value) and PASSWORD not in str(caught.value)


@pytest.mark.parametrize(
    ("knobs", "error"),
    [({"status": 403}, AuthError),
     ({"status": 404}, NotFoundError),
     ({"status": 429, "retry_after": 7}, RateLimitedError),
     ({"status": 503}, BadResponseError),
     ({"html": True}, BadResponseError),
     ({"malformed": True}, BadResponseError),
     ({"reset": True}, UnreachableError),
     ({"latency": 1.0}, BackendTimeout)],
    ids=["403", "404", "429", "503", "html", "malformed", "reset", "timeout"],
)  # fmt: skip
async def test_failures_become_typed_errors(
    fresh_sim: Simulator, knobs: dict[str, object], error: type[BackendError]
) -> None:
    redis = make_backend(fresh_sim.redis_url, timeout=0.3)
    fresh_sim.redis.faults.update(**knobs)
    try:
        with pytest.raises(error) as caught:
            await redis.poll()
    finally:
        await redis.aclose()
    message = str(caught.value)
    assert message.startswith(f"{NAME}: ") and PASSWORD not in message
    if isinstance(caught.value, RateLimitedError):
        assert caught.value.retry_after == 7


async def test_it_recovers_after_a_failed_poll(
    fresh_sim: Simulator, fresh_backend: RedisEnterpriseBackend
) -> None:
    fresh_sim.redis.faults.update(status=503, remaining=1)
    with pytest.raises(BadResponseError):
        await fresh_backend.poll()
    assert len((await fresh_backend.poll()).actions) == 30


# -- TLS ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_ca() -> trustme.CA:
    """A private certificate authority, like a cluster's self-signed one."""
    return trustme.CA()


@pytest.fixture
def tls_sim(tls_ca: trustme.CA) -> Iterator[Simulator]:
    """A simulator whose Redis API speaks HTTPS with a certificate from ``tls_ca``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert("127.0.0.1").configure_cert(context)
    with Simulator(seed=7, clock=FrozenClock(), redis_ssl_context=context) as simulator:
        yield simulator


async def test_https_with_the_cluster_ca_bundle(
    tls_sim: Simulator, tls_ca: trustme.CA, tmp_path: Path
) -> None:
    bundle = tmp_path / "cluster-ca.pem"
    tls_ca.cert_pem.write_to_path(str(bundle))
    assert tls_sim.redis_url.startswith("https://")
    redis = make_backend(tls_sim.redis_url, verify=str(bundle))
    try:
        assert (await redis.list_actions(ListQuery())).total == 30
    finally:
        await redis.aclose()


async def test_https_with_an_unknown_ca_fails_as_unreachable(tls_sim: Simulator) -> None:
    redis = make_backend(tls_sim.redis_url)
    try:
        with pytest.raises(UnreachableError) as caught:
            await redis.list_actions(ListQuery())
    finally:
        await redis.aclose()
    assert "TLS" in str(caught.value) and "certificate" in str(caught.value).lower()
    assert PASSWORD not in str(caught.value)


async def test_https_without_verification_when_configured(tls_sim: Simulator) -> None:
    redis = make_backend(tls_sim.redis_url, verify=False)
    try:
        assert (await redis.list_actions(ListQuery())).total == 30
    finally:
        await redis.aclose()


def test_an_unreadable_ca_bundle_is_reported_at_construction(tmp_path: Path) -> None:
    with pytest.raises(UnreachableError, match="CA bundle"):
        make_backend("https://127.0.0.1:9443", verify=str(tmp_path / "missing.pem"))


# -- unreadable entries -----------------------------------------------------------


async def test_unreadable_entries_are_counted_once_and_the_other_view_fills_in() -> None:
    task = {"action_uid": "a", "name": "retry_bdb", "status": "running", "progress": "5"}
    state: dict[str, object] = {
        "v1": {"actions": [task, {"action_uid": "b", "name": "x", "pending_ops": ["1"]}]},
        "v2": [{"action_uid": "b", "name": "backup", "status": "completed"}, {"name": "no uid"}],
        "show": {"action_uid": "a", "additional_info": "not an object"},
    }

    def answer(key: str) -> Callable[[SimRequest], SimResponse]:
        return lambda request: SimResponse(state[key])

    routes = [
        Route("GET", "/v1/actions", answer("v1")),
        Route("GET", "/v2/actions", answer("v2")),
        Route("GET", "/v[12]/actions/a", answer("show")),
    ]
    server = ApiServer("redis-odd", routes)
    server.start()
    redis = make_backend(server.url)
    try:
        first = await redis.poll()
        page = await everything(redis)
        state["v1"] = {"actions": []}  # "a" leaves the list; its own answer is unreadable
        second = await redis.poll()
    finally:
        await redis.aclose()
        server.stop()
    assert {a.id for a in first.actions} == {a.id for a in page.actions} == {"a", "b"}
    assert first.unreadable == page.unreadable == 1  # "b" was read from /v2; the uid-less one lost
    assert second.unreadable == 2 and {a.id for a in second.actions} == set()
    assert second.total == 2, "an action whose answer is unreadable is kept, not gone"
