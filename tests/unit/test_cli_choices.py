"""The words the command line accepts match the model, and the table's layout rules hold."""

from __future__ import annotations

import pytest

from tui.cli.choices import FORMATS, STATUSES
from tui.cli.exits import UsageError
from tui.cli.formats import (
    ALL_FIELDS,
    OutputStyle,
    TableLayout,
    parse_fields,
    shorten_middle,
    shorten_ref,
)
from tui.model import Action, Status


def test_statuses_are_the_model_s() -> None:
    assert tuple(status.value for status in Status) == STATUSES


def test_formats_are_the_documented_five() -> None:
    assert FORMATS == ("table", "json", "ndjson", "csv", "tsv")


def test_fields_are_checked_against_the_schema() -> None:
    assert parse_fields("ref, status ,progress") == ("ref", "status", "progress")
    assert parse_fields(None) is None
    with pytest.raises(UsageError, match="unknown field 'colour'"):
        parse_fields("ref,colour")
    with pytest.raises(UsageError, match="an empty name"):
        parse_fields("ref,,status")
    assert set(ALL_FIELDS) >= {"ref", "backend", "status", "raw"}


@pytest.mark.parametrize("width", [12, 20, 40, 87])
def test_a_long_ref_keeps_its_backend_and_both_ends(width: int) -> None:
    ref = "openstack:7ab9893a-02f2-415b-8d7e-11f39c98f3ff/req-9689c8e0-2c8f-4143-af17-697105fc7f27"
    short = shorten_ref(ref, width)
    assert len(short) == min(width, len(ref))
    assert short == ref or ("…" in short and short.endswith(ref[-2:]))
    if width >= 20:
        assert short.startswith("openstack:7ab")


def test_shorten_middle_never_grows() -> None:
    assert shorten_middle("abcdef", 10) == "abcdef"
    assert shorten_middle("abcdef", 4) == "ab…f"
    assert shorten_middle("abcdef", 1) == "…"


def _action(index: int) -> Action:
    action_id = f"{'a' * 36}/req-{index:032d}"
    return Action(
        ref=f"openstack:{action_id}",
        backend="openstack",
        backend_type="openstack",
        id=action_id,
        name="live-migration-with-a-long-name",
        status=Status.RUNNING,
        resource="a-server-with-a-rather-long-name-01",
    )


@pytest.mark.parametrize("width", [80, 100, 140])
def test_the_table_fits_the_width_it_is_given(width: int) -> None:
    actions = [_action(i) for i in range(5)]
    layout = TableLayout(OutputStyle(width=width, terminal=True), actions)
    rows = [layout.header(), *(layout.row(a) for a in actions)]
    assert max(len(row) for row in rows) <= width
    shown = [row.split()[-1] for row in rows[1:]]
    assert all(
        ref.startswith("openst") and ref[-5:] == a.ref[-5:]
        for ref, a in zip(shown, actions, strict=True)
    )
    assert len(set(shown)) == len(actions)  # still tells the rows apart


def test_without_a_width_nothing_is_cut() -> None:
    action = _action(1)
    row = TableLayout(OutputStyle(width=None), [action]).row(action)
    assert row.endswith(action.ref) and "…" not in row.split()[-1]
