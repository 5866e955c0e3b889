"""How a preload walks a backend: it ends when the backend pages in circles, and asks ahead.

A server that ignores ``start`` (or cycles through a few pages) answers every
window in full and never says how many actions it holds: without the guard,
the preload would read it forever. From its second window on, a preload asks
for the next window while this one is read. Served over loopback by a hostile
server, read by the real Seeweb backend.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from textual.message import Message

from tests.helpers.hostile import HostileServer, raw
from tui.backends.seeweb.backend import SeewebBackend
from tui.console import fetcher
from tui.console.fetcher import Fetcher
from tui.console.messages import ActionsFetched

WINDOW = 10


def _page(first_id: int) -> str:
    """A full window of actions (ids ``first_id`` down), with no ``total_actions``."""
    actions = [
        {"id": first_id - n, "status": "completed", "type": "create_server", "resource": "ec2"}
        for n in range(WINDOW)
    ]
    return json.dumps({"status": "ok", "actions": actions})


async def _preloaded(server: HostileServer) -> list[list[str]]:
    """The refs of every window a preload of ``server`` posts (it must end within 10 s)."""
    backend = SeewebBackend("seeweb", url=server.url, token="t", page_size=WINDOW)
    posted: list[Message] = []
    try:
        await asyncio.wait_for(Fetcher([backend], posted.append).preload(), 10)
    finally:
        await backend.aclose()
    return [[a.ref for a in m.actions] for m in posted if isinstance(m, ActionsFetched)]


@pytest.fixture(autouse=True)
def _small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", WINDOW)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", WINDOW)


async def test_a_server_that_ignores_start_is_read_twice_then_left() -> None:
    with HostileServer() as server:
        server.script(r"^/actions", raw(200, _page(100)))
        windows = await _preloaded(server)
    assert len(windows) == 2
    assert windows[0] == windows[1]


def _by_start(first_ids: dict[int, int], then: int) -> Any:
    """Answer ``start=N`` with the window of ``first_ids[N]`` (``then`` for any other start).

    Chosen by the request, not by the order requests arrive in: a preload
    asks for two windows at once."""

    def behave(handler: Any) -> None:
        start = int(parse_qs(urlsplit(handler.path).query)["start"][0])
        raw(200, _page(first_ids.get(start, then)))(handler)

    return behave


async def test_a_server_cycling_through_pages_is_left_once_a_window_brings_nothing_new() -> None:
    with HostileServer() as server:
        server.script(r"^/actions$", _by_start({0: 100, 10: 90, 20: 80, 30: 100}, then=90))
        windows = await _preloaded(server)
    firsts = [window[0] for window in windows]
    assert firsts == ["seeweb:100", "seeweb:90", "seeweb:80", "seeweb:100"]


async def test_a_window_with_something_new_among_known_actions_reads_on() -> None:
    """Half old, half new (a list that shifted under the preload): not a loop."""
    with HostileServer() as server:
        server.script(r"^/actions$", _by_start({0: 100, 10: 95, 20: 85}, then=100))
        windows = await _preloaded(server)
    assert [window[0] for window in windows] == [
        "seeweb:100",
        "seeweb:95",
        "seeweb:85",
        "seeweb:100",
    ]


@pytest.mark.parametrize("ahead", [1, 2])
async def test_the_next_window_is_asked_for_while_this_one_is_read(
    ahead: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the second window on, the server always has the next windows to draw.

    The server answers one request at a time, in the order of the windows,
    each after 0.4 s: windows k+1 to k+``ahead`` are asked for before window
    k is answered, so the server never waits for the console between two windows.
    (In the order of the windows, not of the lock: windows asked together
    arrive in any order, and a lock lets any waiter in next.)
    """
    monkeypatch.setattr(fetcher, "PRELOAD_AHEAD", ahead)
    arrived: dict[int, float] = {}
    answered: dict[int, float] = {}
    in_turn = threading.Condition()

    def slow(handler: Any) -> None:
        """Windows of ten at 0, 10, 20, 30, then five at 40."""
        start = int(parse_qs(urlsplit(handler.path).query)["start"][0])
        arrived[start] = time.monotonic()
        actions = json.loads(_page(100 - start))["actions"][: WINDOW if start < 40 else 5]
        with in_turn:
            in_turn.wait_for(lambda: start == 0 or start - WINDOW in answered, timeout=10)
            handler.pause(0.4)
            answered[start] = time.monotonic()
            in_turn.notify_all()
        raw(200, json.dumps({"status": "ok", "actions": actions}))(handler)

    posted: list[Message] = []
    with HostileServer() as server:
        server.script(r"^/actions$", slow)
        backend = SeewebBackend("seeweb", url=server.url, token="t", page_size=WINDOW)
        try:
            await asyncio.wait_for(Fetcher([backend], posted.append).preload(), 20)
        finally:
            await backend.aclose()
    windows = [m for m in posted if isinstance(m, ActionsFetched)]
    assert [m.actions[0].ref for m in windows] == [f"seeweb:{100 - s}" for s in range(0, 50, 10)]
    assert arrived[10] > answered[0]  # the first window alone (it may read the whole list)
    for start in range(10 + WINDOW * ahead, 50, WINDOW):
        assert arrived[start] < answered[start - WINDOW * ahead], start
    if ahead == 1:  # and no further: window k+2 waits for window k
        assert all(arrived[start] > answered[start - 20] for start in (30, 40))


async def test_a_window_read_before_the_list_moved_down_is_read_again() -> None:
    """No action is skipped when windows asked for together are answered out of order.

    The window at 10 is answered after the one at 20, and an action arrives
    in between: the window at 10 then ends one action higher than the window
    at 20, read before the list moved down, begins (action 41, last of the
    window at 10 before the arrival, would be in neither). The window at 20
    counts one action less than the one before it: it is read again, and so
    is each window after it that was read before the arrival.
    """
    from tests.helpers.growing_list import OutOfOrder

    served = OutOfOrder(60, late=10, after=20)
    with HostileServer() as server:
        server.script(r"^/actions$", served.behave)
        windows = await _preloaded(server)
    assert served.answered.index((20, 60)) < served.answered.index((10, 61))  # as meant
    read = {ref for window in windows for ref in window}
    assert {f"seeweb:{n}" for n in range(1, 61)} <= read  # the arrival is for a poll to bring
