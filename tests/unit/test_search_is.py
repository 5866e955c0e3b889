"""``is:new`` and ``is:history`` in the search language (real actions from the simulator)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.helpers.journal import sim_actions
from tui.journal import EndedSince, since_text
from tui.model import Status, action_to_json
from tui.search import ended_at, parse_filter
from tui.sim import Simulator
from tui.store import ActionStore


def test_is_new_keeps_what_ended_after_the_last_look(sim: Simulator) -> None:
    actions = sim_actions(sim)
    ends = sorted(end for a in actions if (end := ended_at(a)) is not None)
    last_look = ends[len(ends) // 2]
    new = parse_filter("is:new", last_look=last_look)
    kept = {a.ref for a in actions if new.matches(a)}
    ended = {a.ref: ended_at(a) for a in actions}
    assert kept == {ref for ref, end in ended.items() if end is not None and end > last_look}
    assert 0 < len(kept) < len(actions)
    assert not any(a.status.in_flight for a in actions if a.ref in kept)


def test_is_new_combines_and_keeps_its_view_in_the_store(sim: Simulator) -> None:
    actions = sim_actions(sim)
    store = ActionStore()
    store.merge(actions)
    new_failed = parse_filter("is:new status:failed")  # no last run: every ended action is new
    assert set(store.refs(new_failed)) == {a.ref for a in actions if a.status is Status.FAILED}
    assert not parse_filter("is:new").is_empty


def test_is_history_keeps_rows_read_from_the_journal(sim: Simulator) -> None:
    actions = sim_actions(sim, 20)
    kept = replace(actions[0], from_history=True)
    history = parse_filter("is:history")
    assert history.matches(kept)
    assert not history.matches(actions[1])
    assert "from_history" not in action_to_json(kept)  # never part of --json


def test_an_unknown_is_word_is_a_hint_and_text() -> None:
    parsed = parse_filter("is:fresh")
    assert parsed.unknown_flags == ("fresh",)
    assert parsed.text == ("is:fresh",)


def test_the_summary_counts_each_ending_once_failed_first(sim: Simulator) -> None:
    actions = sim_actions(sim)
    ended = [a for a in actions if a.status.is_final]
    first_end = min(end for a in ended if (end := ended_at(a)) is not None)
    last_look = first_end - timedelta(seconds=1)
    since = EndedSince(last_look)
    since.observe(actions)
    since.observe(actions)  # a second report of the same actions counts nothing
    failed = sum(1 for a in ended if a.status is Status.FAILED)
    completed = sum(1 for a in ended if a.status is Status.COMPLETED)
    summary = since.summary(last_look + timedelta(hours=3))
    assert summary is not None
    assert summary.startswith(f"{failed} failed, ")
    assert f"{completed} completed since " in summary
    assert len(since.actions()) == len(ended)


def test_since_reads_like_a_person_would_say_it(sim: Simulator) -> None:
    now = sim_actions(sim, 1)[0].sort_time.replace(hour=9, minute=30)
    assert since_text(now.replace(hour=8, minute=5), now) == "today 08:05"
    assert since_text(now - timedelta(days=1), now) == "yesterday 09:30"
    assert since_text(now - timedelta(days=3), now).endswith(" 09:30")
    assert EndedSince(None).summary(now) is None
