"""The events timeline's rows, built without a widget: grouping, outcomes, finding an attempt."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tui.console.widgets.event_groups import Outcome, group_events, group_outcomes, oldest_first
from tui.console.widgets.timeline_rows import (
    NO_EVENTS,
    NOVA_RETRY_NOTE,
    RowsCache,
    TimelineRows,
    find_row,
    row_content,
    same_shape,
    timeline_rows,
)
from tui.model import Action, Event, Status

T0 = datetime(2026, 3, 14, 11, 55, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    """``seconds`` after :data:`T0`."""
    return T0 + timedelta(seconds=seconds)


def nova(events: list[Event], status: Status = Status.RUNNING) -> Action:
    """A Nova action with ``events`` (listed newest first, as Nova does)."""
    return Action(
        ref="nova:req-1",
        backend="nova",
        backend_type="openstack",
        id="req-1",
        name="resize",
        status=status,
        created_at=T0,
        events=tuple(events),
    )


RETRIED = [
    Event(name="compute_finish_resize", result="Success", started_at=at(40), finished_at=at(50)),
    Event(name="compute_prep_resize", started_at=at(30)),
    Event(name="compute_prep_resize", result="Success", started_at=at(20), finished_at=at(25)),
    Event(name="compute_prep_resize", result="Error", started_at=at(10), finished_at=at(12)),
]


def test_attempts_are_grouped_by_name_oldest_first() -> None:
    groups = group_events(RETRIED)
    assert [group.name for group in groups] == ["compute_prep_resize", "compute_finish_resize"]
    assert [event.started_at for event in groups[0].attempts] == [at(10), at(20), at(30)]
    assert oldest_first(RETRIED)[0].started_at == at(10)


def test_a_retry_after_a_success_has_no_finish_recorded_not_running() -> None:
    prep = group_events(RETRIED)[0]
    outcomes = group_outcomes(prep, action_over=False)
    assert outcomes == [Outcome.ERROR, Outcome.SUCCESS, Outcome.NO_FINISH]


def test_an_unfinished_attempt_runs_until_the_action_is_over() -> None:
    group = group_events([Event(name="compute_rebuild", started_at=at(5))])[0]
    assert group_outcomes(group, action_over=False) == [Outcome.RUNNING]
    assert group_outcomes(group, action_over=True) == [Outcome.NO_FINISH]


def test_rows_are_a_heading_then_its_attempts() -> None:
    rows = timeline_rows(nova(RETRIED))
    assert [(row.group and row.group.name, row.number) for row in rows] == [
        ("compute_prep_resize", 0),
        ("compute_prep_resize", 1),
        ("compute_prep_resize", 2),
        ("compute_prep_resize", 3),
        ("compute_finish_resize", 0),
        ("compute_finish_resize", 1),
    ]
    heading = row_content(rows[0], at(60), "2026-03-14", None).plain
    assert heading.startswith("compute_prep_resize — 3 attempts:")


def test_no_events_is_one_note_row() -> None:
    rows = timeline_rows(nova([]))
    assert len(rows) == 1
    assert row_content(rows[0], at(60), "", None).plain == NO_EVENTS


def test_a_refresh_with_the_same_attempts_keeps_its_shape_and_finds_the_attempt() -> None:
    before = timeline_rows(nova(RETRIED))
    finished = [
        RETRIED[0],
        Event(name="compute_prep_resize", result="Success", started_at=at(30), finished_at=at(35)),
        *RETRIED[2:],
    ]
    after = timeline_rows(nova(finished, Status.COMPLETED))
    assert same_shape(before, after)
    assert find_row(after, before[3].event) == 3
    grown = timeline_rows(nova([Event(name="compute_confirm", started_at=at(55)), *RETRIED]))
    assert not same_shape(before, grown)
    assert find_row(after, Event(name="compute_prep_resize", started_at=at(99))) is None


def test_the_heading_reads_the_attempts_in_order_with_arrows() -> None:
    action = nova(
        [
            Event(name="compute_prep_resize", result="Success", started_at=at(20)),
            Event(name="compute_prep_resize", result="Error", started_at=at(0)),
        ],
        Status.COMPLETED,
    )
    [heading, *_] = timeline_rows(action)

    shown = row_content(heading, at(60), "2026-03-14", None).plain
    assert shown == "compute_prep_resize — 2 attempts: ✖ Error → ✔ Success"


def test_a_retry_without_a_finish_is_explained_once_muted() -> None:
    def duplicated(name: str, start: float) -> list[Event]:
        return [
            Event(name=name, result="Success", started_at=at(start), finished_at=at(start + 9)),
            Event(name=name, started_at=at(start + 5)),
        ]

    action = nova(duplicated("a", 0) + duplicated("b", 20), Status.FAILED)
    rows = timeline_rows(action)
    texts = [row_content(row, at(60), "2026-03-14", None) for row in rows]

    noted = [text for text in texts if NOVA_RETRY_NOTE in text.plain]
    assert [row.explain for row in rows].count(True) == 1
    assert len(noted) == 1 and "◌ no finish recorded" in noted[0].plain
    note_at = noted[0].plain.index(NOVA_RETRY_NOTE)
    styles = [str(span.style) for span in noted[0].spans if span.start <= note_at < span.end]
    assert styles == ["$foreground-muted"]
    unexplained = [t.plain for t in texts if "◌ no finish recorded" in t.plain and t not in noted]
    assert unexplained and all(NOVA_RETRY_NOTE not in text for text in unexplained)


def _many(count: int, status: Status = Status.FAILED) -> Action:
    """``count`` attempts of three names, some failed, one result of hostile text."""
    results = ["Success", "Error", None, "Weird\x1b[31m result"]
    events = [
        Event(
            name=f"compute_step_{n % 3}",
            result=results[n % 4],
            started_at=at(n),
            finished_at=at(n + 1) if results[n % 4] else None,
        )
        for n in range(count)
    ]
    return nova(events[::-1], status)


@pytest.mark.parametrize("count", [1, 7, 70])
@pytest.mark.parametrize("width", [12, 30, 57, 100, 240])
def test_a_heading_is_measured_as_tall_as_it_is_laid_out(count: int, width: int) -> None:
    """The heights guessed for rows never seen hold for headings: no relayout when shown."""
    rows = TimelineRows(_many(count, Status.RUNNING))
    headings = [index for index in range(len(rows)) if not rows.is_attempt(index)]
    for index in headings:
        row = rows[index]
        laid_out = row_content(row, at(100), "", width).plain.count("\n") + 1
        assert row.estimated_height(width) == laid_out
        assert rows.estimated_heights(width)[index] == laid_out


def test_lazy_rows_read_as_the_rows_built_at_once() -> None:
    action = _many(40, Status.RUNNING)
    rows = TimelineRows(action)
    listed = list(TimelineRows(action))
    assert rows.built == 0 and len(rows) == len(listed) == 3 + 40
    assert [rows.event_at(i) for i in range(len(rows))] == [row.event for row in listed]
    assert rows.running() == [i for i, row in enumerate(listed) if row.result is Outcome.RUNNING]
    assert rows.estimated_heights(80) == [row.estimated_height(80) for row in listed]
    assert [row.explain for row in listed].count(True) <= 1
    assert rows.built == 0  # none of that built a row
    assert [rows[i].number for i in range(5)] == [row.number for row in listed[:5]]
    assert rows.built == 5


def test_the_heights_at_each_width_read_as_the_rows_at_that_width() -> None:
    """Asked again at a width, or at another one, the heights are those of the rows there
    (no width yet: a heading counts one line)."""
    rows = TimelineRows(_many(70, Status.RUNNING))
    listed = list(rows)
    for width in (80, 20, 20, 80, 0):
        expected = [row.estimated_height(width) if width or row.event else 1 for row in listed]
        assert rows.estimated_heights(width) == expected
    assert rows.estimated_heights(20) != rows.estimated_heights(80)  # the headings wrap at 20


def test_the_rows_of_the_same_events_are_made_once() -> None:
    made = RowsCache(size=2)
    action = _many(40, Status.RUNNING)
    rows = made.rows(action)
    assert made.rows(replace(action, name="renamed")) is rows  # the same events tuple
    assert made.rows(replace(action, status=Status.FAILED)) is not rows  # now over: judged again
    copy = replace(action, events=tuple(list(action.events)))
    assert made.rows(copy) is not rows  # equal events, another tuple: not matched
    assert made.rows(action) is not rows  # two kept: the first one made went out
    assert len(made.rows(nova([]))) == len(made.rows(None)) + 1 == 1


def test_only_the_rows_that_read_otherwise_are_changed() -> None:
    before = TimelineRows(_many(40, Status.RUNNING))
    same = TimelineRows(_many(40, Status.RUNNING))
    assert same.same_shape(before) and same.changed_rows(before, clock_moved=False) == []
    ticked = same.changed_rows(before, clock_moved=True)
    assert ticked == same.running() and ticked  # only running attempts measure the clock
    events = list(_many(40, Status.RUNNING).events)
    events[0] = replace(events[0], result="Error", finished_at=at(99))  # the newest one ended
    ended = TimelineRows(nova(events, Status.RUNNING))
    changed = ended.changed_rows(before, clock_moved=False)
    row = ended.find(events[0])
    assert row is not None and row in changed
    assert all(ended[i].group == ended[row].group for i in changed)  # its heading, itself
    assert not TimelineRows(_many(41, Status.RUNNING)).same_shape(before)
