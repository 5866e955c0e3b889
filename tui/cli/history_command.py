"""``actiondeck history``: the journal queried from scripts, in the console's search language.

Reads the journal file only (it never takes the writer's lock, never adds a
run, never creates the file), so it is safe beside a running console.
``QUERY`` is parsed by :func:`tui.search.parse_filter`, as typed in the
console; ``--since`` keeps actions with an own time (created, started,
finished, updated) within the window. Output goes through
:mod:`tui.cli.formats`, like ``list``: a table, JSON, NDJSON, CSV or TSV,
with ``--fields`` and ``--no-headers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from tui.cli.commands import Output
from tui.cli.exits import EXIT_BACKEND, EXIT_OK, UsageError
from tui.cli.formats import OutputStyle, render_list
from tui.journal import HistoryQuery, JournalError, JournalReader
from tui.model import Action
from tui.search import parse_filter

_SPAN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


@dataclass(frozen=True)
class HistoryOptions:
    """What ``history`` was asked."""

    query: str = ""
    since: str | None = None
    limit: int = 50
    style: OutputStyle = field(default_factory=OutputStyle)
    """How to print (the shared formats of ``list``)."""


def parse_since(text: str, now: datetime) -> datetime:
    """``24h``, ``30m``, ``7d``, ``2w``, ``90s`` before ``now``, or an ISO 8601 time.

    Raises:
        UsageError: neither.
    """
    match = _SPAN.match(text)
    if match:
        return now - timedelta(seconds=float(match.group(1)) * _UNIT[match.group(2).lower()])
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--since {text!r}: expected a span (30m, 24h, 7d) or an ISO 8601 time"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


def history_command(path: Path, output: Output, options: HistoryOptions, now: datetime) -> int:
    """Print the journal's actions matching ``options``, newest first; the exit code."""
    since = parse_since(options.since, now) if options.since is not None else None
    if not path.exists():
        output.error(f"history {path}: no journal yet (the console writes it)")
        _print(output, [], options.style)
        return EXIT_OK
    try:
        actions = _read(path, options, since)
    except JournalError as error:
        output.error(str(error))
        return EXIT_BACKEND
    _print(output, actions, options.style)
    return EXIT_OK


def _read(path: Path, options: HistoryOptions, since: datetime | None) -> list[Action]:
    reader = JournalReader(path)
    try:
        action_filter = parse_filter(options.query, last_look=reader.previous_look())
        query = HistoryQuery(active_since=since, statuses=action_filter.statuses)
        found: list[Action] = []
        for window in reader.windows(query):
            found.extend(action for action in window if action_filter.matches(action))
            if len(found) >= options.limit:
                break
        return found[: options.limit]
    finally:
        reader.close()


def _print(output: Output, actions: list[Action], style: OutputStyle) -> None:
    """The actions in ``style``; none at all is nothing (``[]`` for JSON, no header)."""
    if not actions and style.format != "json":
        return
    for line in render_list(actions, style):
        print(line, file=output.out)
