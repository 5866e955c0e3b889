"""The detail of a selection that moves after resting is fetched at once; a burst waits.

The fetch used to wait :data:`~tui.console.fetcher.DETAIL_DEBOUNCE` after
every move, so a single PgDn onto a Nova action showed its events that much
later; only moves in quick succession need the wait (a held key fetches the
action it stops on).
"""

from __future__ import annotations

import asyncio

import pytest
from textual.message import Message

from tests.backends.test_openstack import make_backend
from tui.backends.base import ListQuery
from tui.console import fetcher
from tui.console.fetcher import Fetcher
from tui.console.messages import ActionLoaded
from tui.sim import Simulator


async def test_a_move_after_a_rest_is_fetched_at_once_and_a_burst_waits(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetcher, "DETAIL_DEBOUNCE", 30.0)  # a wait no test would sit out
    backend = make_backend(sim)
    posted: list[Message] = []
    try:
        page = await backend.list_actions(ListQuery(start=0, limit=3))
        first, second = page.actions[0], page.actions[1]
        details = Fetcher([backend], posted.append)
        await asyncio.wait_for(details.detail(first.ref, backend.name, first.id), 10)
        rested = [m.ref for m in posted if isinstance(m, ActionLoaded)]
        burst = asyncio.create_task(details.detail(second.ref, backend.name, second.id))
        await asyncio.sleep(0.5)  # more than a loopback fetch takes
        waiting = not burst.done()
        burst.cancel()
    finally:
        await backend.aclose()
    assert rested == [first.ref]
    assert waiting and len(posted) == 1
