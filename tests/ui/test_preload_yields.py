"""Preloading pages through a backend a window at a time and lets the event loop run between.

The OpenStack backend answers deeper windows from what its sync already read,
without any I/O: without a yield, a big cloud's preload ran every window in
one go and no key was handled until it ended.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.message import Message

from tests.backends.test_openstack import make_backend
from tui.console import fetcher
from tui.console.fetcher import Fetcher
from tui.console.messages import ActionsFetched
from tui.sim import Simulator


async def test_the_event_loop_runs_between_preload_windows(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", 10)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", 10)
    backend = make_backend(sim)
    posted: list[Message] = []
    seen_between: set[int] = set()
    try:
        preload = asyncio.create_task(Fetcher([backend], posted.append).preload())
        while not preload.done():  # another task of the loop, as the app's key handling is
            seen_between.add(len(posted))
            await asyncio.sleep(0)
        await preload
    finally:
        await backend.aclose()
    windows = [m for m in posted if isinstance(m, ActionsFetched)]
    assert len(windows) >= 5
    assert sum(len(m.actions) for m in windows) == len({a.ref for m in windows for a in m.actions})
    assert set(range(1, len(windows))) <= seen_between  # it ran after every window


async def test_a_paced_preload_reads_on_only_once_its_window_is_merged(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows never pile up in front of the keys: at most one unmerged while the next is read."""
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", 10)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", 10)
    monkeypatch.setattr(fetcher, "MERGE_WAIT", 30.0)
    backend = make_backend(sim)
    posted: list[Message] = []
    paced = Fetcher([backend], posted.append, paced=True)
    try:
        preload = asyncio.create_task(paced.preload())
        for expected in range(2, 5):
            for _ in range(200):  # the window's request, on loopback
                if len(posted) >= expected:
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.2)
            assert len(posted) == expected, "no third window before the first is merged"
            paced.merged(backend.name)
        preload.cancel()
    finally:
        await backend.aclose()
    assert all(isinstance(m, ActionsFetched) for m in posted)


async def test_a_paced_preload_reads_on_when_nobody_says_merged(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", 40)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", 40)
    monkeypatch.setattr(fetcher, "MERGE_WAIT", 0.05)
    backend = make_backend(sim)
    posted: list[Message] = []
    try:
        await asyncio.wait_for(Fetcher([backend], posted.append, paced=True).preload(), 30)
    finally:
        await backend.aclose()
    assert len([m for m in posted if isinstance(m, ActionsFetched)]) >= 2


async def test_preload_windows_grow_to_their_cap(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window costs the app more than its actions: fewer, bigger windows as loading goes on."""
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", 5)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", 20)
    backend = make_backend(sim)
    posted: list[Message] = []
    try:
        await asyncio.wait_for(Fetcher([backend], posted.append).preload(), 30)
    finally:
        await backend.aclose()
    sizes = [len(m.actions) for m in posted if isinstance(m, ActionsFetched)]
    assert sizes[:3] == [5, 10, 20], sizes
    assert all(size <= 20 for size in sizes) and len(sizes) >= 4, sizes
    assert sum(sizes) == len(
        {a.ref for m in posted if isinstance(m, ActionsFetched) for a in m.actions}
    )
