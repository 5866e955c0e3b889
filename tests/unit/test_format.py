"""One formatting vocabulary: the CLI and the console read the same from the same value.

The first tests take one value, render it through the CLI (``tui.cli.render``)
and through the console's cell and field builders, and compare the plain
text; the rest pin the edges of each :mod:`tui.format` function.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.content import Content

from tui.cli.render import dumps_action, format_detail, format_table
from tui.console.screens.main_view import segment_view
from tui.console.widgets.cells import age_label, list_age_label, progress_bar
from tui.console.widgets.fields import Field, identity_fields, time_field
from tui.console.widgets.formatting import progress_meter, status_label
from tui.console.widgets.lifecycle import lifecycle_content
from tui.console.widgets.pending_ops import op_cells
from tui.console.widgets.wrapping import Body, Token
from tui.format import (
    age_text,
    duration_text,
    progress_percent,
    progress_text,
    running_duration_text,
    seconds_between,
    status_text,
    time_text,
    to_second,
    utc_text,
)
from tui.format import progress_bar as bar_text
from tui.model import Action, PendingOp, Status
from tui.poller import BackendHealth, HealthState

NOW = datetime(2026, 3, 14, 12, 0, 0, tzinfo=UTC)
ALMOST = datetime(2026, 3, 14, 11, 58, 19, 999_700, tzinfo=UTC)
"""11:58:19.9997: the time the CLI cut to 11:58:19 and the console rounded to 11:58:20."""


def action(**changes: Any) -> Action:
    base = Action(
        ref="redis:uid-1", backend="redis", backend_type="redis-enterprise",
        id="uid-1", name="SMUpgradeBDB", status=Status.RUNNING, progress=99.6,
        created_at=ALMOST, started_at=ALMOST, updated_at=ALMOST,
    )  # fmt: skip
    return replace(base, **changes)


def cli_field(text: str, label: str) -> str:
    """The value of ``label`` in ``actiondeck show``'s ``label  value`` lines."""
    [line] = [line for line in text.splitlines() if line.startswith(f"{label} ")]
    return line[len(label) :].strip()


def plain(body: Body) -> str:
    """A field value (one Content, a ref's token or several pieces) as the pane shows it."""
    if isinstance(body, Token):
        return body.text.plain
    pieces = [body] if isinstance(body, Content) else body
    return " ".join(piece.plain for piece in pieces)


def console_field(fields: list[Field], label: str) -> str:
    [field] = [field for field in fields if field.label == label]
    return plain(field.value)


# --- the measured disagreements, now one wording -------------------------------------------


def test_progress_99_6_reads_99_percent_in_the_cli_and_the_console() -> None:
    item = action()
    op = PendingOp(shard="1", progress=99.6, heartbeat=NOW)

    cli_show = cli_field(format_detail(item), "progress")
    cli_list = format_table([item]).splitlines()[1].split()[2]
    console_list = progress_bar(item.progress).split()[-1]
    console_detail = console_field(identity_fields(item), "progress").split()[-1]
    console_shard = op_cells(op, False, NOW)[2].plain.split()[-1]

    assert cli_show == cli_list == console_list == console_detail == console_shard == "99%"


def test_a_time_a_hair_before_the_second_reads_the_same_in_the_cli_and_the_console() -> None:
    item = action(progress=None)

    cli_show = cli_field(format_detail(item), "created")
    found = re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", format_table([item]).splitlines()[1])
    cli_list = found.group() if found else ""
    field = time_field("created", ALMOST, NOW)
    assert field is not None
    console_detail = plain(field.value).removesuffix(f" ({age_text(ALMOST, NOW)})")
    console_lifecycle = lifecycle_content(item, NOW).plain.splitlines()[0]

    assert cli_show == console_detail == "2026-03-14 11:58:19 UTC"
    assert cli_list == "2026-03-14 11:58:19"
    assert "11:58:19 UTC" in console_lifecycle
    assert field.compact is not None and plain(field.compact).startswith("11:58:19 UTC (")


def test_an_age_reads_the_same_in_the_list_the_detail_the_shards_and_the_bar() -> None:
    """The CLI prints no ages (it prints times); every console surface says ``3m ago``."""
    then = NOW - timedelta(seconds=184)
    item = action(created_at=then, started_at=then, updated_at=then)
    health = BackendHealth(name="redis", state=HealthState.OK, last_ok=then)
    field = time_field("created", then, NOW)
    assert field is not None

    ages = {
        "list": age_label(then, NOW),
        "detail": plain(field.value).rsplit("(", 1)[1].rstrip(")"),
        "lifecycle": lifecycle_content(item, NOW).plain.splitlines()[0].rsplit("(", 1)[1][:-1],
        "shard": op_cells(PendingOp(shard="1", heartbeat=then), False, NOW)[3].plain,
        "sample": op_cells(PendingOp(shard="1", last_sample_time=then), False, NOW)[5].plain,
        "bar": segment_view(health, NOW, stale_after=600).age,
    }

    assert set(ages.values()) == {"3m ago"}, ages


@pytest.mark.parametrize("status", list(Status))
def test_a_status_reads_the_same_in_the_cli_and_the_console(status: Status) -> None:
    item = action(status=status, progress=None)

    cli_show = cli_field(format_detail(item), "status")
    cli_list = format_table([item]).splitlines()[1][:11].rstrip()
    console_detail = status_label(status).plain

    assert cli_show == cli_list == console_detail == status_text(status)
    assert status.value in cli_show


# --- progress ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "-"), (-5, "0%"), (0, "0%"), (42.9, "42%"), (99.99, "99%"), (100, "100%"),
     (250, "100%"), (math.nan, "-"), (math.inf, "-")],
)  # fmt: skip
def test_progress_text_edges(value: float | None, text: str) -> None:
    assert progress_text(value) == text


@given(st.floats(min_value=-1e6, max_value=1e6))
def test_progress_never_says_100_percent_before_100(value: float) -> None:
    percent = progress_percent(value)

    assert percent is not None and 0 <= percent <= 100
    assert (progress_text(value) == "100%") is (value >= 100)
    assert percent <= max(0.0, value)


@given(st.one_of(st.none(), st.floats(-50, 150)), st.integers(1, 20))
def test_progress_bar_keeps_its_width_and_is_full_only_when_done(
    value: float | None, width: int
) -> None:
    bar = bar_text(value, width, track="░")

    assert len(bar) == width
    assert (bar == "█" * width) is (value is not None and value >= 100)


def test_progress_bars_of_the_list_and_the_detail() -> None:
    assert bar_text(99.6, 4) == "███▉"
    assert bar_text(99.6, 12, track="░") == "███████████▉"
    assert bar_text(12.2, 5, track="░") == "▌░░░░"
    assert bar_text(None, 5) == "·····"
    assert progress_meter(None, 3).plain == "···"


# --- times ---------------------------------------------------------------------------------


def test_times_are_cut_to_the_second_in_utc() -> None:
    paris = ALMOST.astimezone(ZoneInfo("Europe/Paris"))

    assert time_text(ALMOST) == "2026-03-14 11:58:19"
    assert time_text(paris) == "2026-03-14 11:58:19"
    assert utc_text(ALMOST) == "2026-03-14 11:58:19 UTC"
    assert time_text(None) == utc_text(None) == "-"


def test_the_date_is_left_out_only_on_the_day_given() -> None:
    assert time_text(ALMOST, day=date(2026, 3, 14)) == "11:58:19"
    assert utc_text(ALMOST, day=date(2026, 3, 14)) == "11:58:19 UTC"
    assert time_text(ALMOST, day=date(2026, 3, 13)) == "2026-03-14 11:58:19"
    last = datetime(2026, 3, 13, 23, 59, 59, 999_999, tzinfo=UTC)
    assert time_text(last, day=date(2026, 3, 14)) == "2026-03-13 23:59:59"


@given(st.datetimes(timezones=st.just(UTC)))
def test_a_time_never_reads_a_second_later_than_it_was(value: datetime) -> None:
    shown = datetime.strptime(time_text(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)

    assert shown == to_second(value)
    assert shown <= value < shown + timedelta(seconds=1)


# --- durations and ages --------------------------------------------------------------------

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def _seconds(text: str) -> float:
    return sum(float(n) * _UNITS[u] for n, u in re.findall(r"([\d.]+)([dhms])", text))


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(-3, "0s"), (0.0004, "0s"), (0.09, "0s"), (2.44, "2.4s"), (9.99, "9.9s"), (12, "12s"),
     (59.9, "59s"), (184, "3m 04s"), (3599.9, "59m 59s"), (7500, "2h 05m"), (273600, "3d 04h"),
     (math.nan, "0s")],
)  # fmt: skip
def test_duration_text_edges(seconds: float, text: str) -> None:
    assert duration_text(seconds) == text


@given(st.floats(min_value=0, max_value=10_000_000))
def test_a_duration_never_reads_longer_than_it_was(seconds: float) -> None:
    shown = _seconds(duration_text(seconds))

    assert shown <= seconds
    unit = 0.1 if seconds < 10 else 1 if seconds < 3600 else 60 if seconds < 86400 else 3600
    assert seconds - shown < unit + 1e-9


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(4.25, "4.2s"), (59.9, "59s"), (60, "1m 00s"), (184, "3m 00s"), (599, "9m 50s"),
     (600, "10m"), (3599, "59m"), (3600, "1h 00m"), (7559, "2h 05m"), (math.nan, "0s")],
)  # fmt: skip
def test_a_running_duration_coarsens_as_it_grows(seconds: float, text: str) -> None:
    assert running_duration_text(seconds) == text


@given(st.floats(min_value=0, max_value=10_000_000))
def test_a_running_duration_never_reads_longer_and_moves_at_most_once_a_step(
    seconds: float,
) -> None:
    shown = _seconds(running_duration_text(seconds))

    assert shown <= seconds
    step = 1 if seconds < 60 else 10 if seconds < 600 else 60 if seconds < 86400 else 3600
    assert seconds - shown < step + 1e-9


@pytest.mark.parametrize(
    ("ago", "text"),
    [(-2, "now"), (0.4, "now"), (1, "1s ago"), (59.9, "59s ago"), (184, "3m ago"),
     (3599, "59m ago"), (7500, "2h ago"), (273600, "3d ago")],
)  # fmt: skip
def test_age_text_edges(ago: float, text: str) -> None:
    assert age_text(NOW - timedelta(seconds=ago), NOW) == text
    assert age_text(None, NOW) == "-"
    assert age_label(None, NOW) == ""
    assert age_label(NOW - timedelta(hours=23), NOW) == "23h ago"
    assert age_label(NOW - timedelta(days=12), NOW) == "Mar 02"  # older than a day: the date
    assert age_label(NOW - timedelta(days=400), NOW) == "2025-02"


@given(st.floats(min_value=1, max_value=10_000_000))
def test_an_age_never_reads_older_than_it_is(ago: float) -> None:
    text = age_text(NOW - timedelta(seconds=ago), NOW)

    assert text.endswith(" ago")
    assert _seconds(text) <= ago


def test_seconds_between_is_never_negative_and_none_when_unknown() -> None:
    assert seconds_between(NOW, NOW - timedelta(microseconds=300)) == 0.0
    assert seconds_between(None, NOW) is None
    assert seconds_between(NOW, NOW + timedelta(seconds=2.5)) == 2.5


def test_json_keeps_the_raw_values_not_the_words() -> None:
    data = json.loads(dumps_action(action()))

    assert data["progress"] == 99.6
    assert data["created_at"] == "2026-03-14T11:58:19.999700+00:00"
    assert data["status"] == "running"


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (0, "now"),
        (9.9, "now"),
        (10, "10s ago"),
        (23, "20s ago"),
        (59.9, "50s ago"),
        (60, "1m ago"),
        (184, "3m ago"),
        (-3, "now"),
    ],
)
def test_the_lists_started_column_moves_in_10_second_steps_below_a_minute(
    seconds: float, label: str
) -> None:
    then = NOW - timedelta(seconds=seconds)
    assert list_age_label(then, NOW) == label
    assert list_age_label(None, NOW) == ""
