"""Property: whatever JSON a server sends, every backend returns actions or a typed error.

Arbitrary documents (hostile numbers, NaN/Infinity literals, wrong types at
every level, deep nesting) are served by the simulator's ``body`` fault over
loopback and read by the real backends: ``list_actions``, ``poll`` and
``get_action`` either succeed or raise a :class:`~tui.backends.base.BackendError`.
Nothing else (RecursionError, OverflowError, ValueError, TypeError...) escapes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.sim import deterministic_sim
from tui.backends.base import ActionPage, Backend, BackendError, ListQuery, PollUpdate
from tui.backends.openstack.backend import OpenStackBackend, OpenStackCredentials
from tui.backends.openstack.nova import _version_range
from tui.backends.redis_enterprise.backend import RedisEnterpriseBackend
from tui.backends.seeweb.backend import SeewebBackend
from tui.model import Action
from tui.sim import Simulator

HOSTILE_NUMBERS = ["1" + "0" * 400, "9" * 5000, "1e400", "-1e400", "NaN", "Infinity", "-Infinity"]
"""Number literals Python's decoder accepts but no double holds (or JSON does not have)."""


class Raw(str):
    """A JSON fragment inserted verbatim into the document."""


LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(HOSTILE_NUMBERS).map(Raw)
    | st.integers(195, 260).map(lambda n: Raw("[" * n + "]" * n))
    | st.just(Raw("[" * 100_000 + "]" * 100_000))
)


def values(keys: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        LEAVES,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
        max_leaves=25,
    )


def render(value: Any) -> str:
    """JSON text of ``value``, with :class:`Raw` fragments verbatim."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(render(item) for item in value) + "]"
    return json.dumps(value)


SEEWEB_KEYS = st.sampled_from(
    ["id", "status", "type", "progress", "resource", "resource_type", "user", "created_at",
     "started_at", "completed_at", "actions", "action", "total_actions"]
)  # fmt: skip
REDIS_KEYS = st.sampled_from(
    ["action_uid", "name", "status", "progress", "heartbeat", "creation_time", "pending_ops",
     "additional_info", "object_name", "error", "node_uid", "state", "snapshot", "op_name",
     "actions", "state-machines"]
)  # fmt: skip
NOVA_KEYS = st.sampled_from(
    ["id", "name", "request_id", "action", "start_time", "updated_at", "message", "user_id",
     "events", "event", "result", "finish_time", "traceback", "servers", "instanceActions",
     "instanceAction", "links", "servers_links", "rel", "version", "versions", "min_version"]
)  # fmt: skip


def shaped(keys: st.SearchStrategy[str], envelope: dict[str, str]) -> st.SearchStrategy[Any]:
    """Documents that look like the API's (so parsing goes deep), or any value at all."""
    item = st.dictionaries(keys, values(keys), max_size=8)
    fields = {key: (st.lists(item, max_size=5) if kind == "list" else item | values(keys))
              for key, kind in envelope.items()}  # fmt: skip
    return st.fixed_dictionaries({}, optional=fields) | values(keys)


@pytest.fixture(scope="module")
def hostile_sim() -> Iterator[Simulator]:
    with deterministic_sim() as simulator:
        yield simulator


def seeweb(sim: Simulator) -> Backend:
    return SeewebBackend("seeweb", url=sim.seeweb_url, token=sim.credentials.seeweb_token)


def redis(sim: Simulator) -> Backend:
    creds = sim.credentials
    return RedisEnterpriseBackend(
        "redis", url=sim.redis_url, username=creds.redis_username, password=creds.redis_password
    )


def nova(sim: Simulator) -> Backend:
    creds = OpenStackCredentials(
        auth_url=sim.auth_url,
        username=sim.credentials.os_username,
        password=sim.credentials.os_password,
        project_name=sim.credentials.os_project,
        user_domain_name=sim.credentials.os_domain,
        project_domain_name=sim.credentials.os_domain,
    )
    return OpenStackBackend.from_credentials("nova", creds, clock=sim.clock)


async def exercise(backend: Backend, action_id: str) -> None:
    """Every read a backend offers; only typed errors may come out."""
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: backend.list_actions(ListQuery(limit=20)),
        backend.poll,
        lambda: backend.get_action(action_id),
    ]
    try:
        for call in calls:
            try:
                result = await call()
            except BackendError as error:
                assert error.backend == backend.name and error.reason
                assert "\n" not in str(error)
                continue
            assert isinstance(result, ActionPage | PollUpdate | Action)
            if isinstance(result, ActionPage | PollUpdate):
                assert result.unreadable >= 0
                assert all(isinstance(action, Action) for action in result.actions)
    finally:
        await backend.aclose()


CASES: dict[str, tuple[Callable[[Simulator], Backend], str, str, st.SearchStrategy[Any]]] = {
    "seeweb": (seeweb, "/ecs/v2/actions*", "1",
               shaped(SEEWEB_KEYS, {"actions": "list", "action": "item", "total_actions": "any"})),
    "redis": (redis, "/v*/actions*", "a-1",
              shaped(REDIS_KEYS, {"actions": "list", "state-machines": "list"})),
    "nova": (nova, "/compute/v2.1/servers*", "srv/req",
             shaped(NOVA_KEYS, {"servers": "list", "instanceActions": "list",
                                "instanceAction": "item"})),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(CASES))
def test_any_body_gives_actions_or_a_typed_error(hostile_sim: Simulator, kind: str) -> None:
    build, path, action_id, documents = CASES[kind]
    api = {"seeweb": hostile_sim.seeweb, "redis": hostile_sim.redis, "nova": hostile_sim.openstack}

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )  # fmt: skip
    @given(document=documents)
    def check(document: Any) -> None:
        api[kind].faults.update(body=render(document).encode(), path=path)
        try:
            asyncio.run(exercise(build(hostile_sim), action_id))
        finally:
            api[kind].faults.clear()

    check()


@pytest.mark.parametrize(
    "document",
    [
        {"version": {"version": "2." + "9" * 5000, "min_version": "2.1"}},
        {"version": {"version": "2.90", "min_version": "9" * 5000 + ".1"}},
        {"versions": [{"status": "CURRENT", "version": ["2.90"]}]},
        {"versions": "x"},
        None,
    ],
)
def test_odd_compute_version_documents_never_raise(document: Any) -> None:
    found = _version_range(document)
    assert found is None or all(isinstance(part, int) for v in found for part in v)
