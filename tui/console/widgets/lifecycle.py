"""The lifecycle in the detail pane: created → started → finished, with the time between.

Used for actions that have no events of their own (Seeweb). Pure: this
module turns an action into ``Content``; it holds no widget and no state.
"""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from tui.console.widgets.formatting import (
    MUTED,
    status_label,
    status_style,
)
from tui.console.widgets.timeline_rows import clock_time
from tui.format import age_text, duration_text, running_duration_text, seconds_between, time_text
from tui.model import Action


def lifecycle_content(action: Action, now: datetime) -> Content:
    """The created → started → finished timeline with the time between each step.

    Times on the day the action was created are shown without their date (the
    fields above give it), so a step fits on one line of a narrow pane.
    """
    day = time_text(action.created_at)[:10]
    lines = [_step("created", action.created_at, now, day)]
    if action.started_at is not None:
        lines.append(_gap(seconds_between(action.created_at, action.started_at)))
        lines.append(_step("started", action.started_at, now, day))
    lines.extend(_ending(action, now, day))
    return Content("\n").join(lines)


def _step(label: str, when: datetime | None, now: datetime, day: str, style: str = "") -> Content:
    if when is None:
        moment = "time not recorded"
    else:
        moment = f"{clock_time(when, day)} UTC ({age_text(when, now)})"
    return Content.assemble((f"◆ {label:<10}", style or "bold"), moment)


def _gap(seconds: float | None) -> Content:
    return Content.styled(f"│   {duration_text(seconds) if seconds is not None else '?'}", MUTED)


def _ending(action: Action, now: datetime, day: str) -> list[Content]:
    begun = action.started_at or action.created_at
    if action.status.is_final:
        ended = action.finished_at
        label = action.status.value
        style = status_style(action.status)
        return [_gap(seconds_between(begun, ended)), _step(label, ended, now, day, style)]
    so_far = seconds_between(begun, now)
    waited = f" for {running_duration_text(so_far)}" if so_far is not None else ""
    return [Content.assemble("│\n", status_label(action.status), (f"{waited} so far", MUTED))]
