"""The Redis Enterprise part of the detail pane: state machine and per-shard pending ops.

One row per shard, most telling first: operation, a progress bar, the
heartbeat's age, status code, the last sample's age, the keys of the
snapshot the operation saved, and last the status message, whole (it has
its own column, never cut: scroll sideways to read a long one); the
essentials fit in ~45 columns.
A heartbeat older than :data:`STALE_AFTER_SECONDS` (relative to the injected
``now``) on an action still in flight is flagged with an icon, the theme's
stale colour and the word "stale", so it reads without colour too. The
view is virtual: 10,000 shards cost the visible rows, and the shard column
stays put when the table scrolls sideways (and the state and warning lines
above it do not move). This module renders what it is
given; it never fetches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.cells import cell_len
from textual.content import Content

from tui.console.widgets.formatting import (
    MUTED,
    STALE_ICON,
    literal,
    progress_meter,
)
from tui.console.widgets.line_view import LineView
from tui.format import age_text, progress_text
from tui.model import Action, PendingOp
from tui.text import DISPLAY_LIMIT, display_text, safe_text

STALE_AFTER_SECONDS = 60.0
"""A heartbeat older than this marks the shard's operation as stale."""

STALE_STYLE = "$status-stale bold"
SNAPSHOT_KEYS_SHOWN = 3
"""How many snapshot keys are named before ``+N more``."""

PROGRESS_BAR_WIDTH = 5
"""Cells of a shard's progress bar (the percentage follows it)."""

# Most telling first, so a pane of ~45 columns still shows whether a shard is
# stuck; the rest is a horizontal scroll away.
_HEADINGS = (
    "shard",
    "operation",
    "progress",
    "heartbeat",
    "status",
    "sample",
    "snapshot",
    "message",
)
_MAX_WIDTHS = (12, 24, 10, 20, 24, 10, 40, DISPLAY_LIMIT + 40)
"""The message column is as wide as the longest message (at most :data:`DISPLAY_LIMIT`
characters of it, then the count of the rest)."""


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
    return literal(op.status_code or "-")


def _message_cell(op: PendingOp) -> Content:
    return literal(op.status_description or "", MUTED)


def _heartbeat_cell(op: PendingOp, stale: bool, now: datetime) -> Content:
    """``12s ago``; a stale one ``⚠ stale, 2m ago`` in the stale colour."""
    age = age_text(op.heartbeat, now)
    if stale:
        return Content.styled(f"{STALE_ICON} stale, {age}", STALE_STYLE)
    return Content(age)


def _progress_cell(op: PendingOp) -> Content:
    """``██░░░  42%``."""
    bar = progress_meter(op.progress, PROGRESS_BAR_WIDTH)
    return Content.assemble(bar, f" {progress_text(op.progress):>4}")


def op_cells(op: PendingOp, stale: bool, now: datetime) -> list[Content]:
    """The cells of one shard's row (``stale``: see :func:`is_stale`)."""
    return [
        literal(op.shard),
        literal(op.op_name or "-"),
        _progress_cell(op),
        _heartbeat_cell(op, stale, now),
        _status_cell(op),
        Content(age_text(op.last_sample_time, now)),
        literal(snapshot_summary(op.snapshot)),
        _message_cell(op),
    ]


def heading_cells() -> list[Content]:
    """The column titles."""
    return [Content.styled(title, f"{MUTED} bold") for title in _HEADINGS]


def table_line(cells: Sequence[Content], widths: Sequence[int]) -> Content:
    """One row, each cell cut or padded to its column's width, two spaces between columns."""
    padded = (
        cell.truncate(width, ellipsis=True, pad=True)
        for cell, width in zip(cells, widths, strict=True)
    )
    return Content("  ").join(padded).rstrip()


def _text_width(value: str | None, missing: str = "-") -> int:
    """Cells ``literal(value or missing)`` takes (printable ASCII needs no neutralising)."""
    text = value or missing
    if text.isascii() and text.isprintable():
        return len(text)
    return cell_len(safe_text(text))


_STALE_EXTRA = cell_len(f"{STALE_ICON} stale, ")
"""What ``⚠ stale, …`` adds to a stale heartbeat's age."""


def _age_width(then: datetime | None, now: datetime, stale: bool) -> int:
    age = len(age_text(then, now))
    return age + _STALE_EXTRA if stale else age


def _message_width(description: str | None) -> int:
    if not description:
        return 0
    if len(description) > DISPLAY_LIMIT:
        return cell_len(display_text(description))
    return _text_width(description)


def column_widths(ops: Sequence[PendingOp], stale: Sequence[bool], now: datetime) -> list[int]:
    """Each column's width: its widest cell (heading included), at most its cap.

    Measures each distinct value once, from plain strings, without building
    a cell, so 10,000 shards cost milliseconds.
    """
    heartbeats = {(op.heartbeat, late) for op, late in zip(ops, stale, strict=True)}
    codes = {op.status_code for op in ops}
    messages = {op.status_description for op in ops}
    snapshots = {tuple(op.snapshot or ()): op.snapshot for op in ops}
    progress = {f"{progress_text(op.progress):>4}" for op in ops}
    measured = (
        max(_text_width(op.shard, "") for op in ops),
        max(_text_width(name) for name in {op.op_name for op in ops}),
        PROGRESS_BAR_WIDTH + 1 + max(len(text) for text in progress),
        max(_age_width(then, now, late) for then, late in heartbeats),
        max(_text_width(code) for code in codes),
        max(_age_width(then, now, False) for then in {op.last_sample_time for op in ops}),
        max(_text_width(snapshot_summary(snapshot)) for snapshot in snapshots.values()),
        max(_message_width(description) for description in messages),
    )
    return [
        min(cap, max(len(title), width))
        for title, width, cap in zip(_HEADINGS, measured, _MAX_WIDTHS, strict=True)
    ]


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


class ShardTable:
    """A Redis action's section as lines: state, stale warning, then one row per shard.

    Building it sorts the shards and measures the columns; a row's cells are
    only built when :meth:`line` asks for it (the view asks for visible rows).
    """

    def __init__(self, action: Action, now: datetime) -> None:
        """Lay out ``action``'s shards as of ``now``."""
        self.action = action
        self.now = now
        self.ops = sorted(action.pending_ops, key=_shard_key)
        self.stale = [is_stale(op, action, now) for op in self.ops]
        self.header = [state_content(action), Content("")]
        if not self.ops:
            self.header.append(Content.styled("no pending operations", MUTED))
        stale_shards = [op.shard for op, late in zip(self.ops, self.stale, strict=True) if late]
        if stale_shards:
            self.header.append(_stale_warning(stale_shards))
        self.widths = column_widths(self.ops, self.stale, now) if self.ops else []

    def __len__(self) -> int:
        return len(self.header) + (1 + len(self.ops) if self.ops else 0)

    @property
    def width(self) -> int:
        """Cells of the widest line."""
        table = sum(self.widths) + 2 * (len(self.widths) - 1) if self.widths else 0
        return max(table, *(line.cell_length for line in self.header))

    @property
    def first_row(self) -> int:
        """The index of the heading row (lines before it are the state and the warning)."""
        return len(self.header)

    @property
    def shard_column(self) -> int:
        """Cells of the shard column and the gap after it."""
        return self.widths[0] + 2 if self.widths else 0

    def line(self, index: int) -> Content:
        """Line ``index``: a header line, the column titles, or one shard's row."""
        if index < len(self.header):
            return self.header[index]
        row = index - len(self.header)
        if row == 0:
            return table_line(heading_cells(), self.widths)
        op = self.ops[row - 1]
        return table_line(op_cells(op, self.stale[row - 1], self.now), self.widths)


def pending_ops_content(action: Action, now: datetime) -> Content:
    """The whole Redis section as one text: state line, stale warning, then the shard table."""
    table = ShardTable(action, now)
    return Content("\n").join(table.line(index) for index in range(len(table)))


STALE_SHARDS_NAMED = 10
"""How many stale shards the warning names before ``and N more``."""


def _stale_warning(shards: Sequence[str]) -> Content:
    """``⚠ stale heartbeat (over 60s): shard 9`` (the first few of many, then a count)."""
    noun = "shard" if len(shards) == 1 else "shards"
    names = ", ".join(safe_text(shard) for shard in shards[:STALE_SHARDS_NAMED])
    more = len(shards) - STALE_SHARDS_NAMED
    if more > 0:
        names += f" and {more:,} more"
    limit = int(STALE_AFTER_SECONDS)
    return Content.assemble(
        (f"{STALE_ICON} stale heartbeat (over {limit}s): {noun} ", STALE_STYLE),
        literal(names, STALE_STYLE),
    )


class PendingOpsView(LineView):
    """A Redis action's state machine and per-shard pending operations, one line per shard.

    Only visible rows are built and rendered; the shard column stays put when
    scrolling sideways, so a row can always be told apart.
    """

    DEFAULT_CSS = """
    PendingOpsView {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty view.

        Args:
            id: the widget id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes)
        self._table: ShardTable | None = None

    def show_action(self, action: Action, now: datetime) -> None:
        """Render ``action`` as of ``now`` (nothing is redone when neither changed)."""
        shown = self._table
        if shown is not None and shown.now == now and _same_section(shown.action, action):
            return
        table = ShardTable(action, now)
        self._table = table
        if shown is not None and _same_layout(shown, table):
            self.redo_visible_lines(lambda index: not shown.line(index).is_same(table.line(index)))
            return
        self.set_lines(len(table), table.width)

    def line_content(self, index: int) -> Content:
        """Line ``index`` of the section."""
        return self._table.line(index) if self._table is not None else Content("")

    def fixed_cells(self, index: int) -> int:
        """When scrolling sideways the shard column stays put, and so do the lines above
        the table (state, stale warning)."""
        table = self._table
        if table is None:
            return 0
        return table.shard_column if index >= table.first_row else table.width


def _same_layout(old: ShardTable, new: ShardTable) -> bool:
    """Whether ``new`` has as many lines as ``old``, as wide, in the same columns."""
    shape = (len(old), old.width, old.widths, old.first_row)
    return shape == (len(new), new.width, new.widths, new.first_row)


def _same_section(old: Action, new: Action) -> bool:
    if old is new:
        return True
    fields = ("status", "state", "node", "object_name")
    if any(getattr(old, name) != getattr(new, name) for name in fields):
        return False
    return old.pending_ops is new.pending_ops or old.pending_ops == new.pending_ops
