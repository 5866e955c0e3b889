"""A preload ends when a backend pages in circles: a window that brings nothing new is the last.

A server that ignores ``start`` (or cycles through a few pages) answers every
window in full and never says how many actions it holds: without the guard,
the preload would read it forever. Served over loopback by a hostile server,
read by the real Seeweb backend.
"""

from __future__ import annotations

import asyncio
import json

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


async def test_a_server_cycling_through_pages_is_left_once_a_window_brings_nothing_new() -> None:
    with HostileServer() as server:
        server.script(r"^/actions", raw(200, _page(100)), times=1)
        server.script(r"^/actions", raw(200, _page(90)), times=1)
        server.script(r"^/actions", raw(200, _page(80)), times=1)
        server.script(r"^/actions", raw(200, _page(100)), times=1)
        server.script(r"^/actions", raw(200, _page(90)))
        windows = await _preloaded(server)
    firsts = [window[0] for window in windows]
    assert firsts == ["seeweb:100", "seeweb:90", "seeweb:80", "seeweb:100"]


async def test_a_window_with_something_new_among_known_actions_reads_on() -> None:
    """Half old, half new (a list that shifted under the preload): not a loop."""
    with HostileServer() as server:
        server.script(r"^/actions", raw(200, _page(100)), times=1)
        server.script(r"^/actions", raw(200, _page(95)), times=1)
        server.script(r"^/actions", raw(200, _page(85)), times=1)
        server.script(r"^/actions", raw(200, _page(100)))
        windows = await _preloaded(server)
    assert [window[0] for window in windows] == [
        "seeweb:100",
        "seeweb:95",
        "seeweb:85",
        "seeweb:100",
    ]
