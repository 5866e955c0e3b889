"""A preload tells the main screen what it merged a few times a second, not once per window.

Every window told redraws the list's page and its footer; a million actions
come in hundreds of windows.
"""

from __future__ import annotations

import gc
import time

import pytest
from textual.message import Message

from tests.helpers.app import AppFactory, Settle
from tui.console import app as app_module
from tui.console import fetcher
from tui.console.app import ActionDeckApp
from tui.console.messages import ActionsFetched, ActionsLoaded, FetchPurpose, PollFinished
from tui.console.widgets.pager import Pager

EVERY = 1.0


async def test_preload_windows_are_told_together_and_the_last_one_at_the_end(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", 10)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", 10)
    monkeypatch.setattr(app_module, "PRELOAD_TOLD_EVERY", EVERY)
    messages: list[Message] = []
    app: ActionDeckApp = make_app(preload=True)
    began = time.monotonic()
    async with app.run_test(size=(120, 36), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        elapsed = time.monotonic() - began
        unique = {id(m): m for m in messages}.values()
        windows = [m for m in unique if isinstance(m, ActionsFetched)]
        told = [
            m for m in unique if isinstance(m, ActionsLoaded) and m.purpose is FetchPurpose.PRELOAD
        ]
        fresh = {a.ref for m in windows for a in m.actions}
        assert len(windows) >= 60  # 754 Seeweb actions, ten a window
        assert 1 <= len(told) <= 2 + elapsed / EVERY, (len(told), elapsed)
        polled = {ref for m in unique if isinstance(m, PollFinished) for ref in m.merged.added}
        assert fresh - polled <= {ref for m in told for ref in m.merged.added}
        brought = list(dict.fromkeys(a.ref for m in windows for a in m.actions))
        for message in told:  # every ref told once, in the order the windows brought them
            order = message.merged.order
            assert set(order) == message.merged.added | message.merged.changed
            assert len(order) == len(set(order))
            fresh_told = [ref for ref in order if ref not in polled]
            assert fresh_told == [ref for ref in brought if ref in set(fresh_told)]
        assert app.main_screen.query_one(Pager).plain == f"1–30 of {len(app.store):,}"


async def test_no_young_collection_walks_a_window_before_it_is_frozen(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the preload runs, the collector's youngest threshold is raised; then it is put back."""
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", 50)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", 50)
    before = gc.get_threshold()
    during: list[tuple[int, int, int]] = []

    def seen(message: Message) -> None:
        if isinstance(message, ActionsFetched) and message.purpose is FetchPurpose.PRELOAD:
            during.append(gc.get_threshold())

    app: ActionDeckApp = make_app(preload=True)
    async with app.run_test(size=(120, 36), message_hook=seen) as pilot:
        await settle(app, pilot)
        assert during, "the preload fetched windows"
        assert {threshold[0] for threshold in during} == {app_module.PRELOAD_GC_YOUNG}
        assert {threshold[1:] for threshold in during} == {before[1:]}
        assert gc.get_threshold() == before, "the preload ended: as it was"
