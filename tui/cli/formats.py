"""Output formats of ``list`` and ``watch``: table, JSON, NDJSON, CSV and TSV.

The table is for people: a BACKEND column, cells neutralised and bounded
(:func:`tui.text.display_text`), status icons only on a terminal, and fitted
to the terminal's width (``COLUMNS`` when set) by narrowing the widest text
columns and shortening long refs in the middle. Piped it is never narrowed,
so ``awk '{print $NF}'`` still gets whole refs.

JSON, NDJSON, CSV and TSV carry data as data: the exact strings, written by
:mod:`json` and :mod:`csv`. When one of them is written to a terminal, the
same data is made inert there: JSON escapes every non-ASCII character
(``\\u202e``) and CSV cells go through :func:`tui.text.safe_text`.
This module prints nothing itself and reads no configuration.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tui.cli.choices import FORMATS
from tui.cli.exits import UsageError
from tui.format import progress_text, status_text, time_text
from tui.model import JSON_FIELDS, Action, action_to_json, dumps_json
from tui.text import CELL_LIMIT, display_text, safe_text

ALL_FIELDS: tuple[str, ...] = JSON_FIELDS
"""Every field of the JSON schema, in its order (README, "JSON"); fields the
model keeps out of its JSON (``from_history``) are not part of it."""

NESTED_FIELDS = frozenset({"events", "pending_ops", "raw"})
"""Fields whose value is a list or an object (a JSON text in a CSV cell)."""

TABLE_FIELDS = ("status", "progress", "name", "resource", "started_at", "backend", "ref")
"""The table's columns unless ``--fields`` names others."""

CSV_FIELDS = tuple(name for name in ALL_FIELDS if name not in NESTED_FIELDS)
"""The CSV/TSV columns unless ``--fields`` names others: every flat field."""

HEADERS = {
    "progress": "PROG",
    "name": "ACTION",
    "started_at": "STARTED (UTC)",
    "created_at": "CREATED (UTC)",
    "finished_at": "FINISHED (UTC)",
    "updated_at": "UPDATED (UTC)",
}
"""Table headers that are not simply the field name in capitals."""

_NATURAL_CAP = {"name": 30, "resource": 36, "message": 40, "user": 24}
_NATURAL_FLOOR = {"name": 22, "resource": 20, "ref": 24, "backend": 7}
"""The narrowest a column starts (so a streamed table's later rows fit too)."""
"""The widest a text column grows before the terminal is even considered."""
_SHRINK_STEPS = (
    ("message", 8),
    ("user", 8),
    ("object_name", 8),
    ("resource", 12),
    ("name", 12),
    ("ref", 24),
    ("resource", 8),
    ("name", 8),
    ("backend", 7),
    ("ref", 12),
    ("resource", 6),
    ("name", 6),
    ("ref", 10),
)
"""How a too-wide table narrows: each column in turn down to its floor, refs last."""
_GAP = "  "


__all__ = ["FORMATS", "OutputStyle", "RowWriter", "parse_fields", "render_list"]


def parse_fields(text: str | None) -> tuple[str, ...] | None:
    """``a,b,c`` as field names (``None`` when not given).

    Raises:
        UsageError: an unknown or empty field name.
    """
    if text is None:
        return None
    names = tuple(part.strip() for part in text.split(","))
    if "" in names:
        raise UsageError("--fields has an empty name (expected A,B,C)")
    unknown = [name for name in names if name not in ALL_FIELDS]
    if unknown:
        shown = ", ".join(repr(name) for name in unknown)
        raise UsageError(f"unknown field {shown} in --fields (known: {', '.join(ALL_FIELDS)})")
    return names


@dataclass(frozen=True)
class OutputStyle:
    """How one command prints actions."""

    format: str = "table"
    fields: tuple[str, ...] | None = None
    """The columns or keys (``None``: the format's default)."""
    headers: bool = True
    """The table's header line, CSV/TSV's header row."""
    terminal: bool = False
    """Writing to a terminal: status icons on, CSV and JSON made inert."""
    width: int | None = None
    """The table's width limit (``None``: never narrowed)."""

    @property
    def columns(self) -> tuple[str, ...]:
        """The fields this style prints."""
        if self.fields is not None:
            return self.fields
        if self.format == "table":
            return TABLE_FIELDS
        return CSV_FIELDS if self.format in ("csv", "tsv") else ALL_FIELDS


# --- JSON ---------------------------------------------------------------------------------


def json_record(action: Action, fields: Sequence[str] | None = None) -> dict[str, Any]:
    """The action as the JSON schema's dict (datetimes as objects), cut to ``fields`` if given."""
    data = action_to_json(action)
    return data if fields is None else {name: data[name] for name in fields}


# --- CSV / TSV ----------------------------------------------------------------------------


def _csv_cell(value: object, terminal: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        text = dumps_json(value, indent=None, ascii_only=terminal)
    else:
        text = str(value)
    return safe_text(text) if terminal else text


class DelimitedWriter:
    """CSV or TSV rows through the standard library's writer, one line at a time."""

    def __init__(self, style: OutputStyle) -> None:
        self._style = style
        self._buffer = io.StringIO()
        dialect = "excel-tab" if style.format == "tsv" else "excel"
        self._writer = csv.writer(self._buffer, dialect=dialect, lineterminator="\n")

    def _take(self) -> str:
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text.removesuffix("\n")

    def header(self) -> str:
        """The header row."""
        self._writer.writerow(self._style.columns)
        return self._take()

    def row(self, action: Action) -> str:
        """One action's row."""
        record = json_record(action, self._style.columns)
        self._writer.writerow(_csv_cell(record[name], self._style.terminal) for name in record)
        return self._take()


# --- the table ----------------------------------------------------------------------------


def header_of(field: str) -> str:
    """The table header of ``field``."""
    return HEADERS.get(field, field.upper())


def table_cell(action: Action, field: str, terminal: bool) -> str:
    """One table cell: our words for status, progress and times; server text neutralised."""
    if field == "status":
        return status_text(action.status) if terminal else action.status.value
    if field == "progress":
        return progress_text(action.progress)
    if field == "started_at":
        moment = action.started_at or action.created_at
        return time_text(moment) if moment else "-"
    value = getattr(action, field)
    if isinstance(value, datetime):
        return time_text(value)
    if value is None or value == "":
        return "-"
    if isinstance(value, list | dict):
        return display_text(dumps_json(value, indent=None, ascii_only=True), CELL_LIMIT)
    return display_text(value, CELL_LIMIT)


def shorten_middle(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters by an ellipsis in its middle (a ref's ends stay)."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    keep = width - 1
    head = (keep + 1) // 2
    return f"{text[:head]}…{text[len(text) - (keep - head) :]}"


def shorten_ref(ref: str, width: int) -> str:
    """A ref shortened to ``width``: the backend name kept, the id cut in its middle."""
    if len(ref) <= width:
        return ref
    name, sep, rest = ref.partition(":")
    if sep and len(name) + 4 < width:
        return f"{name}:{shorten_middle(rest, width - len(name) - 1)}"
    return shorten_middle(ref, width)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class TableLayout:
    """Column widths of one table, fitted once (then every row, even streamed, uses them)."""

    def __init__(self, style: OutputStyle, sample: Sequence[Action]) -> None:
        self.style = style
        self.fields = style.columns
        cells = [[table_cell(a, f, style.terminal) for f in self.fields] for a in sample]
        self.widths = [self._natural(i, field, cells) for i, field in enumerate(self.fields)]
        if style.width is not None:
            self._fit(style.width)

    def _natural(self, index: int, field: str, cells: list[list[str]]) -> int:
        longest = max((len(row[index]) for row in cells), default=0)
        longest = max(longest, _NATURAL_FLOOR.get(field, 0))
        if field == "status":
            longest = max(longest, len("✔ cancelled") if self.style.terminal else 9)
        elif field in ("progress",):
            longest = max(longest, 4)
        elif field.endswith("_at"):
            longest = max(longest, 19)
        cap = _NATURAL_CAP.get(field)
        width = max(len(header_of(field)) if self.style.headers else 1, longest)
        return min(width, cap) if cap else width

    def _fit(self, limit: int) -> None:
        excess = sum(self.widths) + len(_GAP) * (len(self.widths) - 1) - limit
        for name, floor in _SHRINK_STEPS:
            if excess <= 0:
                return
            if name not in self.fields:
                continue
            index = self.fields.index(name)
            give = min(excess, max(0, self.widths[index] - floor))
            self.widths[index] -= give
            excess -= give

    def header(self) -> str:
        """The header line."""
        names = [header_of(field) for field in self.fields]
        return self._join(names)

    def row(self, action: Action) -> str:
        """One action's line."""
        cells = [table_cell(action, field, self.style.terminal) for field in self.fields]
        return self._join(cells)

    def _join(self, cells: Sequence[str]) -> str:
        parts = []
        for field, cell, width in zip(self.fields, cells, self.widths, strict=True):
            fitted = shorten_ref(cell, width) if field == "ref" else _clip(cell, width)
            parts.append(fitted.rjust(width) if field == "progress" else fitted.ljust(width))
        return _GAP.join(parts).rstrip()


# --- whole outputs ------------------------------------------------------------------------


class RowWriter:
    """Lines of one format, for a list printed at once or a stream (``watch``)."""

    def __init__(self, style: OutputStyle, sample: Sequence[Action] = ()) -> None:
        self.style = style
        self._table = TableLayout(style, sample) if style.format == "table" else None
        self._delimited = DelimitedWriter(style) if style.format in ("csv", "tsv") else None

    def header(self) -> str | None:
        """The header line, if this format and style have one."""
        if not self.style.headers:
            return None
        if self._table is not None:
            return self._table.header()
        if self._delimited is not None:
            return self._delimited.header()
        return None

    def row(self, action: Action) -> str:
        """One action as one line (JSON formats: one compact object)."""
        if self._table is not None:
            return self._table.row(action)
        if self._delimited is not None:
            return self._delimited.row(action)
        record = json_record(action, self.style.fields)
        return dumps_json(record, indent=None, ascii_only=self.style.terminal)


def render_list(actions: Sequence[Action], style: OutputStyle) -> Iterable[str]:
    """The lines ``list`` prints for ``actions`` in ``style``."""
    if style.format == "json":
        records = [json_record(action, style.fields) for action in actions]
        yield dumps_json(records, ascii_only=style.terminal)
        return
    writer = RowWriter(style, actions)
    header = writer.header()
    if header is not None:
        yield header
    for action in actions:
        yield writer.row(action)


def terminal_width(terminal: bool) -> int | None:
    """The table's width limit on a terminal (``COLUMNS`` wins over its size); piped, none."""
    import shutil

    return shutil.get_terminal_size().columns if terminal else None


def output_style(
    *,
    format: str | None,
    as_json: bool,
    fields: str | None,
    no_headers: bool,
    terminal: bool,
) -> OutputStyle:
    """The style the flags ask for (``--json`` is ``--format json``).

    Raises:
        UsageError: ``--json`` with another ``--format``, or unknown ``--fields``.
    """
    if as_json and format not in (None, "json"):
        raise UsageError(f"--json is --format json; it cannot go with --format {format}")
    chosen = format or ("json" if as_json else "table")
    return OutputStyle(
        format=chosen,
        fields=parse_fields(fields),
        headers=not no_headers,
        terminal=terminal,
        width=terminal_width(terminal) if chosen == "table" else None,
    )
