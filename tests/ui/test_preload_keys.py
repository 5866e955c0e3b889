"""A key pressed while every action loads is handled between two slices of a preload window.

The app merges a window slice by slice, each slice posted once the one before
is merged: a key that comes meanwhile waits for one slice, not for the
window, and the slices still bring every action, in order.
"""

from __future__ import annotations

from collections import Counter

import pytest
from textual import events
from textual.message import Message

from tests.helpers.app import AppFactory, Settle
from tui.console import fetcher
from tui.console.app import ActionDeckApp
from tui.console.messages import (
    ActionsFetched,
    ActionsLoaded,
    FetchPurpose,
    PollFinished,
    PreloadMerged,
)
from tui.console.screens.help import HelpScreen
from tui.embedded import SIM_BACKEND_NAMES
from tui.model import Status

WINDOW = 200
SLICE = 10
SEEWEB = SIM_BACKEND_NAMES[0]
"""The backend followed: the simulator's largest."""
PRESSED_AFTER = 3
"""The key is posted as the third slice of its first window is handled."""
SAMPLES = 200
"""Durations kept per kind of action (``DurationHistory``'s default)."""


async def test_a_key_is_handled_between_two_slices_of_a_window(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", WINDOW)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", WINDOW)
    monkeypatch.setattr(fetcher, "PRELOAD_SLICE", SLICE)
    app: ActionDeckApp = make_app(preload=True)
    handled: list[Message] = []

    def hook(message: Message) -> None:
        slice_ = isinstance(message, ActionsFetched) and message.purpose is FetchPurpose.PRELOAD
        key = isinstance(message, events.Key) and message.key == "question_mark"
        if not (slice_ or key) or any(message is seen for seen in handled):
            return  # each message once (a key is handled by the app, then by a screen)
        if isinstance(message, ActionsFetched) and message.backend != SEEWEB:
            return  # one backend's slices: each backend's preload is paced on its own
        handled.append(message)
        if slice_ and len(handled) == PRESSED_AFTER:
            app.post_message(events.Key("question_mark", "?"))

    async with app.run_test(size=(120, 36), message_hook=hook) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        slices = [m for m in handled if isinstance(m, ActionsFetched)]
        keys = [i for i, m in enumerate(handled) if isinstance(m, events.Key)]
        assert keys == [PRESSED_AFTER], "the key right after the slice it came during"
        before = sum(len(m.actions) for m in slices[:PRESSED_AFTER])
        assert before == PRESSED_AFTER * SLICE < WINDOW, "in the middle of the first window"
        assert all(len(m.actions) <= SLICE for m in slices)
        refs = [a.ref for m in slices for a in m.actions]
        assert len(refs) == len(set(refs)) and set(refs) <= set(app.store.refs())
        assert len(refs) > WINDOW


async def test_each_slice_tells_the_watchers_and_the_list_is_drawn_for_many(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", WINDOW)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", WINDOW)
    monkeypatch.setattr(fetcher, "PRELOAD_SLICE", SLICE)
    app: ActionDeckApp = make_app(preload=True)
    handled: list[Message] = []
    async with app.run_test(size=(120, 36), message_hook=handled.append) as pilot:
        await settle(app, pilot)
        history = app.marks.tracker.history
        unique = list({id(m): m for m in handled}.values())
        slices = [
            m for m in unique if isinstance(m, ActionsFetched) and m.purpose is FetchPurpose.PRELOAD
        ]
        told = [m for m in unique if isinstance(m, PreloadMerged)]
        drawn = [m for m in unique if isinstance(m, ActionsLoaded) and m.watched]
        assert all(len(m.merged.added | m.merged.changed) <= SLICE for m in told)
        slice_refs = {a.ref for m in slices for a in m.actions}
        told_refs = {ref for m in told for ref in m.merged.added | m.merged.changed}
        assert told_refs and told_refs <= slice_refs
        assert len(told) >= len(slice_refs) // SLICE // 2
        assert 1 <= len(drawn) < len(told), "the list is redrawn for many slices at once"
        polled = {ref for m in unique if isinstance(m, PollFinished) for ref in m.merged.added}
        completed: Counter[tuple[str, str]] = Counter(
            (a.backend, a.name)
            for a in app.store.get_all(frozenset(app.store.refs()))
            if a.status is Status.COMPLETED
            and (a.started_at or a.created_at) is not None
            and a.finished_at is not None
        )
        assert told_refs - polled, "the preload brought actions of its own"
        learnt = {key: history.samples(key) for key in completed}
        assert learnt == {key: min(count, SAMPLES) for key, count in completed.items()}


async def test_slices_merged_under_the_help_are_told_together_with_the_list(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the help covers the main screen, its watchers hear of slices in bursts.

    Each message the screen beneath the top one handles has the top one
    redrawn whole once its queue is empty; told slice by slice, the help was
    redrawn at the frame rate while it was open over a load. Held, the slices
    are posted right before the list is told, in the order merged, and the
    watchers still learn every action.
    """
    monkeypatch.setattr(fetcher, "PRELOAD_CHUNK", WINDOW)
    monkeypatch.setattr(fetcher, "PRELOAD_MAX", WINDOW)
    monkeypatch.setattr(fetcher, "PRELOAD_SLICE", SLICE)
    app: ActionDeckApp = make_app(preload=True)
    log: list[tuple[str, Message, bool]] = []
    """("slice", a merged window slice) and ("told", a message to the main screen, covered)."""
    slices: list[ActionsFetched] = []
    post = app.main_screen.post_message

    def told(message: Message) -> bool:
        log.append(("told", message, app.screen is not app.main_screen))
        return post(message)

    monkeypatch.setattr(app.main_screen, "post_message", told)

    def hook(message: Message) -> None:
        if not isinstance(message, ActionsFetched) or message.purpose is not FetchPurpose.PRELOAD:
            return
        if any(message is seen for seen in slices):
            return
        slices.append(message)
        log.append(("slice", message, app.screen is not app.main_screen))
        if len(slices) == PRESSED_AFTER:
            app.post_message(events.Key("question_mark", "?"))

    async with app.run_test(size=(120, 36), message_hook=hook) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        covered = [i for i, (kind, _, under) in enumerate(log) if kind == "slice" and under]
        assert len(covered) >= 5, "slices were merged while the help was open"
        for index, (kind, message, under) in enumerate(log):
            if kind != "told" or not under or not isinstance(message, PreloadMerged):
                continue
            after = next(
                entry
                for entry in log[index + 1 :]
                if entry[0] == "slice" or (isinstance(entry[1], ActionsLoaded) and entry[1].watched)
            )
            assert after[0] == "told", "a held slice is told with the list, not after its merge"
        told_refs = [
            ref
            for kind, message, _ in log
            if kind == "told" and isinstance(message, PreloadMerged)
            for ref in message.merged.in_order
        ]
        brought = [a.ref for m in slices for a in m.actions]
        assert len(told_refs) == len(set(told_refs))
        position = {ref: i for i, ref in enumerate(dict.fromkeys(brought))}
        assert all(ref in position for ref in told_refs)
        assert [position[ref] for ref in told_refs] == sorted(position[r] for r in told_refs)
        polled = {
            ref
            for kind, message, _ in log
            if isinstance(message, PollFinished)
            for ref in message.merged.added
        }
        assert set(brought) - polled <= set(told_refs), "every slice's new actions were told"
