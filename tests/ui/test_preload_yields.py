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


async def test_a_paced_preload_posts_a_slice_only_once_the_one_before_is_merged(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slices never pile up in front of the keys: at most one unmerged, while the next is read."""
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", 10)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", 10)
    monkeypatch.setattr(fetcher, "PRELOAD_SLICE", 4)
    monkeypatch.setattr(fetcher, "MERGE_WAIT", 30.0)
    backend = make_backend(sim)
    posted: list[Message] = []
    paced = Fetcher([backend], posted.append, paced=True)
    try:
        preload = asyncio.create_task(paced.preload())
        for expected in range(1, 8):
            for _ in range(200):  # the window's request, on loopback
                if len(posted) >= expected:
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.2)
            assert len(posted) == expected, "no slice before the one before is merged"
            paced.merged(backend.name)
        preload.cancel()
    finally:
        await backend.aclose()
    assert all(isinstance(m, ActionsFetched) for m in posted)
    assert [len(m.actions) for m in posted if isinstance(m, ActionsFetched)] == [4, 4, 2] * 2 + [4]


async def test_slices_bring_every_action_of_the_windows_in_their_order(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sliced or whole, a preload posts the same actions in the same order, and each total."""
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", 25)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", 25)
    posted: dict[int, list[ActionsFetched]] = {}
    for size in (1000, 7):
        monkeypatch.setattr(fetcher, "PRELOAD_SLICE", size)
        backend = make_backend(sim)
        got: list[Message] = []
        try:
            await asyncio.wait_for(Fetcher([backend], got.append).preload(), 30)
        finally:
            await backend.aclose()
        posted[size] = [m for m in got if isinstance(m, ActionsFetched)]
    whole, sliced = posted[1000], posted[7]
    assert all(len(m.actions) <= 7 for m in sliced)
    assert len(sliced) > len(whole) >= 4
    refs = [[a.ref for m in messages for a in m.actions] for messages in (whole, sliced)]
    assert refs[0] == refs[1] and len(set(refs[0])) == len(refs[0])
    assert {m.total for m in sliced} == {m.total for m in whole}


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
