"""How long a row's clock cells read the same (:func:`cells.clock_steady_until`).

A tick works a row's ``started`` and ``duration`` cells out again only once
that instant has come, so it must never be later than the first change of
either cell: the labels at any instant before it are the labels at ``now``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tui.console.widgets.cells import clock_steady_until, list_age_label, list_duration_label
from tui.model import Action, Status

NOW = datetime(2026, 3, 14, 12, 0, 0, tzinfo=UTC)


def an_action(status: Status, started: datetime | None, finished: datetime | None) -> Action:
    return Action(
        ref="seeweb:1", backend="seeweb", backend_type="seeweb", id="1", name="create",
        status=status, created_at=started, started_at=started, finished_at=finished,
    )  # fmt: skip


def labels(action: Action, now: datetime) -> tuple[str, str]:
    then = action.started_at or action.created_at
    return list_age_label(then, now), list_duration_label(action, now)


ages = st.one_of(
    st.floats(min_value=-30, max_value=120),
    st.floats(min_value=0, max_value=4 * 86_400),
    st.sampled_from([0, 9.95, 10, 59.999, 60, 599.9, 600, 3599.999, 3600, 86_399.9, 86_400]),
)


@given(
    status=st.sampled_from(list(Status)),
    age=ages,
    later=st.floats(min_value=0, max_value=1),
    year_end=st.booleans(),
)
def test_the_cells_read_the_same_until_the_instant_given(
    status: Status, age: float, later: float, year_end: bool
) -> None:
    now = datetime(2026, 12, 31, 23, 59, 30, tzinfo=UTC) if year_end else NOW
    started = now - timedelta(seconds=age)
    action = an_action(status, started, started + timedelta(seconds=42))
    until = clock_steady_until(action, now)
    assert until is not None, "an age always moves on"
    for instant in (
        now + max(until - now, timedelta(0)) * later,
        until - timedelta(microseconds=1),
    ):
        if instant < now:
            continue  # at a change (within the margin): the next tick asks again
        assert labels(action, instant) == labels(action, now), instant


def test_no_time_known_never_changes() -> None:
    assert clock_steady_until(an_action(Status.RUNNING, None, None), NOW) is None


def test_a_quiet_row_is_asked_again_rarely() -> None:
    """Finished an hour ago: nothing moves for about a minute; a day ago, for an hour."""
    hour = an_action(Status.COMPLETED, NOW - timedelta(hours=1, seconds=5), NOW)
    day = an_action(Status.COMPLETED, NOW - timedelta(days=1, minutes=5), NOW)
    young = an_action(Status.RUNNING, NOW - timedelta(seconds=30), None)
    waits = []
    for action in (hour, day, young):
        until = clock_steady_until(action, NOW)
        assert until is not None
        waits.append(until - NOW)
    assert all(timedelta(minutes=50) <= wait <= timedelta(hours=1) for wait in waits[:2])
    assert waits[2] <= timedelta(seconds=1), "a young duration moves every second"
