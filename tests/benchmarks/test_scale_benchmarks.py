"""Store and memory figures at 100,000 and 1,000,000 actions, each beside its floor.

Run with ``pytest -m benchmark -s tests/benchmarks/test_scale_benchmarks.py``.
The 1,000,000 cases take minutes: they run only with ``ACTIONDECK_BENCH_1M=1``.
Floors, measured in the same run: a plain list comprehension over the same
actions (for a filter), a plain ``list.extend`` (for loading).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.helpers.bench import measure, report, say
from tui import json_body
from tui.backends.seeweb.backend import parse_action
from tui.console.fetcher import PRELOAD_MAX
from tui.model import Action, Status
from tui.search import parse_filter
from tui.sim import FrozenClock, Simulator
from tui.store import ActionStore

T0 = datetime(2026, 3, 14, tzinfo=UTC)
WINDOW = PRELOAD_MAX
"""Actions per merge while loading, as the console's preload asks them (its biggest window)."""

SIZES = [100_000] + ([1_000_000] if os.environ.get("ACTIONDECK_BENCH_1M") else [])
BEFORE = os.environ.get("ACTIONDECK_BENCH_BEFORE")
ROOT = Path(__file__).parents[2]


def _action(n: int) -> Action:
    statuses = list(Status)
    return Action(
        ref=f"seeweb:{n}",
        backend="seeweb",
        backend_type="seeweb",
        id=str(n),
        name=("create_server", "resize", "delete_server")[n % 3],
        status=statuses[n % len(statuses)],
        raw_status=statuses[n % len(statuses)].value,
        progress=float(n % 101),
        resource=f"ec2{n % 5000:05d}",
        resource_type="ECS",
        user="alice",
        created_at=T0 - timedelta(seconds=n),
        started_at=T0 - timedelta(seconds=n - 1),
        raw={"id": n, "status": "completed", "type": "create_server", "resource": f"ec2{n}"},
    )


def _forget_views(store: ActionStore) -> None:
    """A new keystroke: no filtered view computed yet (whatever the store caches)."""
    for cache in ("_views", "_view_cache"):
        if isinstance(getattr(store, cache, None), dict):
            getattr(store, cache).clear()
        elif hasattr(store, cache):
            setattr(store, cache, None)


def _newest_first(count: int) -> list[Action]:
    return [_action(n) for n in range(count)]


@pytest.mark.parametrize("count", SIZES)
def test_load_in_windows(count: int) -> None:
    """Merge ``count`` actions a window at a time, newest window first (as preload does)."""
    actions = _newest_first(count)
    windows = [actions[i : i + WINDOW] for i in range(0, count, WINDOW)]
    store = ActionStore()
    started = time.perf_counter()
    slowest = 0.0
    for window in windows:
        began = time.perf_counter()
        store.merge(window)
        store.page(0, 40)  # the console re-reads its page after every merge
        slowest = max(slowest, time.perf_counter() - began)
    total = time.perf_counter() - started
    floor: list[Action] = []
    began = time.perf_counter()
    for window in windows:
        floor.extend(window)
    report(f"store: load {count:,} in windows of {WINDOW}", (total,) * 3)
    report(f"store: slowest window of {WINDOW} at {count:,}", (slowest,) * 3)
    report(f"floor: list.extend {count:,} in windows", ((time.perf_counter() - began),) * 3)


@pytest.mark.parametrize("count", SIZES)
def test_filter_keystrokes(count: int) -> None:
    """Typing a filter one key at a time, then a pasted field filter, then clearing it."""
    actions = _newest_first(count)
    store = ActionStore()
    store.merge(actions)
    store.page(0, 40)
    typed = ["e", "ec", "ec2", "ec20", "ec200", "ec2004"]

    def typing() -> None:
        _forget_views(store)
        for text in typed:
            action_filter = parse_filter(text)
            store.page(0, 40, action_filter)
            store.position(actions[count // 2].ref, action_filter)
        store.page(0, 40)

    samples = measure(typing, 3)
    low, mid, high = (sample / 7 for sample in samples)
    report(f"store: one keystroke at {count:,} (typing ec2004)", (low, mid, high))
    pasted = parse_filter("status:failed")

    def paste() -> None:
        _forget_views(store)
        store.page(0, 40, pasted)
        store.page(0, 40)

    report(f"store: paste status:failed and clear at {count:,}", measure(paste, 3))
    report(
        f"store: position of the middle ref at {count:,}",
        measure(lambda: store.position(actions[count // 2].ref), 5),
    )
    report(
        f"floor: list comprehension 'ec2' in resource at {count:,}",
        measure(lambda: [a for a in actions if "ec2" in (a.resource or "")], 3),
    )


@pytest.mark.parametrize("count", SIZES)
def test_filter_keystrokes_with_polls_between(count: int) -> None:
    """The store's CPU time a key while typing ``ec2004``, with and without a poll before each key.

    The poll is the live demo's (new actions, moved ones, ended ones: see
    ``store_keys.py``). With ``ACTIONDECK_BENCH_BEFORE`` the same is measured
    of that code, in turn, in the same run. Floor: the same keys without polls.
    """
    codes = [("now", str(ROOT)), *([("before", BEFORE)] if BEFORE else [])]
    script = Path(__file__).with_name("store_keys.py")
    for code, tree in codes:
        for polls in ("0", "1"):
            run = subprocess.run(
                [sys.executable, str(script), str(count), polls],
                env={**os.environ, "PYTHONPATH": tree},
                capture_output=True,
                text=True,
                check=True,
                timeout=1800,
            )
            figures = json.loads(run.stdout)
            seconds, merges = figures["seconds"], figures["merges"]
            what = "a poll before each key" if polls == "1" else "no poll between keys"
            report(
                f"store: one keystroke at {count:,} (typing ec2004), {what}, code {code}",
                (min(seconds), statistics.median(seconds), max(seconds)),
            )
            if merges:
                report(
                    f"store: merge of that poll at {count:,}, code {code}",
                    (min(merges), statistics.median(merges), max(merges)),
                )


@pytest.mark.parametrize("count", SIZES)
def test_memory_per_action(count: int) -> None:
    """Bytes per action held by the store, as the Seeweb backend parses them from the simulator.

    Floor: the decoded JSON payloads alone (of the first 100,000).
    """
    with Simulator(seed=1, actions=count + 40_000, clock=FrozenClock()) as sim:
        headers = {"X-APITOKEN": sim.credentials.seeweb_token}
        with httpx.Client(base_url=sim.seeweb_url, headers=headers) as http:
            bodies = [
                http.get("/actions", params={"start": start, "length": 1000}).content
                for start in range(0, count, 1000)
            ]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    store = ActionStore()
    for body in bodies:
        store.merge([parse_action("seeweb", entry) for entry in json.loads(body)["actions"]])
    store.page(0, 40)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    payloads = [entry for body in bodies[:100] for entry in json.loads(body)["actions"]]
    floor = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"BENCH memory per action in the store at {len(store):,}: {held / len(store):.0f} bytes")
    say(f"BENCH floor: the decoded JSON payload alone: {floor / len(payloads):.0f} bytes")
    say(f"BENCH peak RSS of the benchmark process at {len(store):,}: {peak:.0f} MB")


@pytest.mark.parametrize("count", SIZES)
def test_decode_parse_and_merge_per_action(count: int) -> None:
    """What loading costs the console per action, step by step, on the simulator's own pages.

    Each step over every page of ``count`` Seeweb actions (as the demo reads
    them): decoding under the payload rules, parsing into actions, merging a
    window at a time. Floor: ``json.loads`` of the same bodies.
    """
    length = 1000
    with Simulator(seed=1, actions=count + 40_000, clock=FrozenClock()) as sim:
        headers = {"X-APITOKEN": sim.credentials.seeweb_token}
        with httpx.Client(base_url=sim.seeweb_url, headers=headers) as http:
            bodies = [
                http.get("/actions", params={"start": start, "length": length}).content
                for start in range(0, count, length)
            ]
    began = time.perf_counter()
    for body in bodies:
        json.loads(body)
    floor = time.perf_counter() - began
    began = time.perf_counter()
    pages = [json_body.loads(body)["actions"] for body in bodies]
    decoded = time.perf_counter() - began
    began = time.perf_counter()
    actions = [parse_action("seeweb", entry) for page in pages for entry in page]
    parsed = time.perf_counter() - began
    store = ActionStore()
    began = time.perf_counter()
    for start in range(0, len(actions), WINDOW):
        store.merge(actions[start : start + WINDOW])
    merged = time.perf_counter() - began
    for what, seconds in [
        ("floor: json.loads", floor),
        ("decode under the payload rules", decoded),
        ("parse into actions", parsed),
        (f"merge in windows of {WINDOW:,}", merged),
    ]:
        say(f"BENCH {what} at {count:,}: {seconds * 1e6 / count:.2f} us/action")
