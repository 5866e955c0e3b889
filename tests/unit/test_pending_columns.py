"""The shard table's column widths, measured from plain strings, match the cells it draws."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.console.widgets.pending_ops import (
    _HEADINGS,
    _MAX_WIDTHS,
    column_widths,
    is_stale,
    op_cells,
)
from tui.model import Action, PendingOp, Status

NOW = datetime(2026, 3, 14, 12, 0, 0, tzinfo=UTC)
ACTION = Action(
    ref="redis:1", backend="redis", backend_type="redis-enterprise", id="1",
    name="SMUpgradeBDB", status=Status.RUNNING,
)  # fmt: skip

TEXT = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from("ab9_-:[]/ \x1b\x07\u202e\u200b界✖"), max_size=50),
)
WHEN = st.one_of(st.none(), st.integers(-100, 400_000).map(lambda s: NOW - timedelta(seconds=s)))
OPS = st.builds(
    PendingOp,
    shard=st.text(alphabet="0123456789ab\x1b界", max_size=12),
    op_name=TEXT,
    status_code=TEXT,
    status_description=TEXT,
    progress=st.one_of(st.none(), st.floats(0, 2000)),
    heartbeat=WHEN,
    last_sample_time=WHEN,
    snapshot=st.one_of(st.none(), st.dictionaries(st.text(max_size=6), st.integers(), max_size=6)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(OPS, min_size=1, max_size=8))
def test_widths_are_those_of_the_widest_cells_up_to_each_cap(ops: list[PendingOp]) -> None:
    stale = [is_stale(op, ACTION, NOW) for op in ops]
    rows = [op_cells(op, late, NOW) for op, late in zip(ops, stale, strict=True)]
    expected = [
        min(cap, max(len(title), *(row[column].cell_length for row in rows)))
        for column, (title, cap) in enumerate(zip(_HEADINGS, _MAX_WIDTHS, strict=True))
    ]

    assert column_widths(ops, stale, NOW) == expected
