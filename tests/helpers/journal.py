"""Real actions for journal tests: read from the simulator through the real backends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from tui.backends.base import ListQuery
from tui.connect import build_backends
from tui.embedded import simulator_config
from tui.journal import Journal
from tui.model import Action
from tui.sim import Simulator

NOW = datetime.now(UTC).replace(microsecond=0)
"""The time journal tests say it is: the real one (the writer prunes by the wall clock)."""


def sim_actions(sim: Simulator, limit: int = 200) -> list[Action]:
    """Up to ``limit`` actions of every simulated backend, as the backends parse them."""

    async def read() -> list[Action]:
        backends = build_backends(simulator_config(sim, seeweb_page_size=1000))
        try:
            pages = [await b.list_actions(ListQuery(start=0, limit=limit)) for b in backends]
        finally:
            await asyncio.gather(*(b.aclose() for b in backends))
        return [action for page in pages for action in page.actions]

    return asyncio.run(read())


def open_journal(path: Path, now: datetime = NOW, keep_days: float = 30) -> Journal:
    """A journal at ``path`` that writes (when nobody else does)."""
    return Journal.open(path, keep_days=keep_days, now=now)
