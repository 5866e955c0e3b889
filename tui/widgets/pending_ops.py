"""The Redis Enterprise part of the detail pane: state machine and per-shard pending ops.

One row per shard, most telling first: operation, a progress bar, the
heartbeat's age, status code and description, the last sample's age, and the
keys of the snapshot the operation saved; the essentials fit in ~45 columns.
A heartbeat older than :data:`STALE_AFTER_SECONDS` (relative to the injected
``now``) on an action still in flight is flagged with an icon, the theme's
stale colour and the word "stale", so it reads without colour too. This
module renders what it is given; it never fetches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from tui.model import Action, PendingOp
from tui.widgets.formatting import (
    MUTED,
    STALE_ICON,
    format_progress,
    format_short_age,
    literal,
    progress_bar,
    update_if_changed,
)

STALE_AFTER_SECONDS = 60.0
"""A heartbeat older than this marks the shard's operation as stale."""

STALE_STYLE = "$status-stale bold"
SNAPSHOT_KEYS_SHOWN = 3
"""How many snapshot keys are named before ``+N more``."""

PROGRESS_BAR_WIDTH = 5
"""Cells of a shard's progress bar (the percentage follows it)."""

# Most telling first, so a pane of ~45 columns still shows whether a shard is
# stuck; the rest is a horizontal scroll away.
_HEADINGS = ("shard", "operation", "progress", "heartbeat", "status", "sample", "snapshot")
_MAX_WIDTHS = (8, 24, 10, 12, 36, 8, 40)


def is_stale(op: PendingOp, action: Action, now: datetime) -> bool:
    """True when ``op``'s heartbeat is too old for an action that is still going."""
    if op.heartbeat is None or action.status.is_final:
        return False
    if op.progress is not None and op.progress >= 100:
        return False
    return (now - op.heartbeat).total_seconds() > STALE_AFTER_SECONDS


def _shard_key(op: PendingOp) -> tuple[int, int | str]:
    return (0, int(op.shard)) if op.shard.isdigit() else (1, op.shard)


def snapshot_summary(snapshot: dict[str, object] | None) -> str:
    """``keys a, b, c +2 more`` (values are not shown), or ``-``."""
    if not snapshot:
        return "-"
    keys = sorted(str(key) for key in snapshot)
    shown = ", ".join(keys[:SNAPSHOT_KEYS_SHOWN])
    extra = len(keys) - SNAPSHOT_KEYS_SHOWN
    return f"keys {shown}" + (f" +{extra} more" if extra > 0 else "")


def _status_cell(op: PendingOp) -> Content:
    code = literal(op.status_code or "-")
    if not op.status_description:
        return code
    return Content.assemble(code, " ", literal(op.status_description, MUTED))


def _heartbeat_cell(op: PendingOp, stale: bool, now: datetime) -> Content:
    """``12s`` ago; a stale one ``⚠ 2m stale`` in the stale colour."""
    age = format_short_age(op.heartbeat, now)
    if stale:
        return Content.styled(f"{STALE_ICON} {age} stale", STALE_STYLE)
    return Content(age)


def _progress_cell(op: PendingOp) -> Content:
    """``██░░░  42%``."""
    bar = progress_bar(op.progress, PROGRESS_BAR_WIDTH)
    return Content.assemble(bar, f" {format_progress(op.progress):>4}")


def op_cells(op: PendingOp, action: Action, now: datetime) -> list[Content]:
    """The cells of one shard's row."""
    stale = is_stale(op, action, now)
    return [
        literal(op.shard),
        literal(op.op_name or "-"),
        _progress_cell(op),
        _heartbeat_cell(op, stale, now),
        _status_cell(op),
        Content(format_short_age(op.last_sample_time, now)),
        literal(snapshot_summary(op.snapshot)),
    ]


def table_content(rows: Sequence[Sequence[Content]]) -> Content:
    """Rows of cells laid out in aligned columns under a heading."""
    heading = [Content.styled(title, f"{MUTED} bold") for title in _HEADINGS]
    grid = [heading, *rows]
    widths = [
        min(cap, max(row[col].cell_length for row in grid)) for col, cap in enumerate(_MAX_WIDTHS)
    ]
    return Content("\n").join(_table_line(row, widths) for row in grid)


def _table_line(cells: Sequence[Content], widths: Sequence[int]) -> Content:
    padded = (
        cell.truncate(width, ellipsis=True, pad=True)
        for cell, width in zip(cells, widths, strict=True)
    )
    return Content("  ").join(padded).rstrip()


def state_content(action: Action) -> Content:
    """``state upgrade_shards · node 2 · object bdb:1``."""
    parts = [
        Content.assemble((f"{label} ", MUTED), literal(value or "-"))
        for label, value in (
            ("state", action.state),
            ("node", action.node),
            ("object", action.object_name),
        )
    ]
    return Content(" · ").join(parts)


def pending_ops_content(action: Action, now: datetime) -> Content:
    """The whole Redis section: state line, stale warning, then the shard table."""
    lines = [state_content(action), Content("")]
    ops = sorted(action.pending_ops, key=_shard_key)
    if not ops:
        lines.append(Content.styled("no pending operations", MUTED))
        return Content("\n").join(lines)
    stale = [op.shard for op in ops if is_stale(op, action, now)]
    if stale:
        lines.append(_stale_warning(stale))
    lines.append(table_content([op_cells(op, action, now) for op in ops]))
    return Content("\n").join(lines)


def _stale_warning(shards: Sequence[str]) -> Content:
    """``⚠ stale heartbeat (over 60s): shard 9``."""
    noun = "shard" if len(shards) == 1 else "shards"
    names = ", ".join(shards)
    limit = int(STALE_AFTER_SECONDS)
    return Content.assemble(
        (f"{STALE_ICON} stale heartbeat (over {limit}s): {noun} ", STALE_STYLE),
        literal(names, STALE_STYLE),
    )


class PendingOpsView(Static):
    """Shows a Redis action's state machine and per-shard pending operations."""

    DEFAULT_CSS = """
    PendingOpsView {
        height: auto;
        width: auto;
        min-width: 100%;
    }
    """

    def show_action(self, action: Action, now: datetime) -> None:
        """Render ``action`` as of ``now``."""
        update_if_changed(self, pending_ops_content(action, now))
