"""Store, search and simulator figures at 100,000 actions.

Run with ``pytest -m benchmark -s tests/benchmarks``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx

from tests.helpers.bench import measure, report
from tui.model import Action, Status
from tui.search import ActionFilter, parse_filter
from tui.sim import FrozenClock, Simulator
from tui.store import ActionStore

N = 100_000
T0 = datetime(2026, 3, 14, tzinfo=UTC)


def _actions(count: int) -> list[Action]:
    statuses = list(Status)
    return [
        Action(
            ref=f"sw:{n}",
            backend="sw",
            backend_type="seeweb",
            id=str(n),
            name="create_server",
            status=statuses[n % len(statuses)],
            resource=f"ec2{n % 5000:05d}",
            user="alice",
            created_at=T0 + timedelta(seconds=n),
        )
        for n in range(count)
    ]


def test_store_at_100k() -> None:
    started = time.perf_counter()
    actions = _actions(N)
    report("build 100k Action objects", (time.perf_counter() - started,) * 3)
    store = ActionStore()
    started = time.perf_counter()
    store.merge(actions)
    report("merge 100k into an empty store", (time.perf_counter() - started,) * 3)
    report(
        "merge 100 changed into 100k",
        measure(
            lambda: store.merge(
                [replace(a, progress=50.0 + store.version % 7) for a in actions[:100]]
            )
        ),
    )
    for query in ("e", "ec2", "ec2004", "ec20042", "status:failed", "ec2004 status:running"):
        action_filter = parse_filter(query)

        def run(action_filter: ActionFilter = action_filter) -> None:
            store._views.clear()  # a new keystroke: nothing cached
            store.page(0, 30, action_filter)

        report(f"filter 100k + first page for {query!r}", measure(run))
    report("page 1,000 of the unfiltered view", measure(lambda: store.page(1000, 30)))


def test_simulator_pages_at_100k() -> None:
    with Simulator(seed=1, actions=N, clock=FrozenClock()) as sim:
        headers = {"X-APITOKEN": sim.credentials.seeweb_token}
        with httpx.Client(base_url=sim.seeweb_url, headers=headers) as http:
            report("seeweb sim: first page of 50", measure(lambda: http.get("/actions")))
            report(
                "seeweb sim: deep page (start=50000)",
                measure(lambda: http.get("/actions", params={"start": 50_000, "length": 50})),
            )
        auth = (sim.credentials.redis_username, sim.credentials.redis_password)
        with httpx.Client(base_url=sim.redis_url, auth=auth) as http:
            report(
                "redis sim: /v1/actions (1,000 actions, its cap)",
                measure(lambda: http.get("/v1/actions"), 3),
            )
