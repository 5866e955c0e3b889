"""The simulator works out one answer at a time; a request that waits holds no other."""

from __future__ import annotations

import threading
import time

import httpx

from tui.sim import Simulator
from tui.sim.http import ANSWERING


def _get_in_background(url: str, results: list[int]) -> threading.Thread:
    def get() -> None:
        results.append(httpx.get(url, timeout=10).status_code)

    thread = threading.Thread(target=get, daemon=True)
    thread.start()
    return thread


def test_an_answer_is_worked_out_only_while_no_other_is(fresh_sim: Simulator) -> None:
    results: list[int] = []
    with ANSWERING:  # as if another answer were being worked out
        asking = _get_in_background(f"{fresh_sim.seeweb.url}/nowhere", results)
        asking.join(0.5)
        assert asking.is_alive() and results == []
    asking.join(10)
    assert results == [404]


def test_a_delayed_request_does_not_hold_the_others(fresh_sim: Simulator) -> None:
    fresh_sim.seeweb.faults.update(latency=5.0)
    slow: list[int] = []
    delayed = _get_in_background(f"{fresh_sim.seeweb.url}/nowhere", slow)
    time.sleep(0.2)  # the delayed request is asleep by now
    started = time.monotonic()
    other = httpx.get(f"{fresh_sim.redis.url}/nowhere", timeout=10)
    assert other.status_code in (401, 404)
    assert time.monotonic() - started < 4.0  # not behind the 5 s sleep
    assert delayed.is_alive() and slow == []
    fresh_sim.seeweb.faults.update(latency=0.0)
