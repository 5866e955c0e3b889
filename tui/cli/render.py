"""How the CLI prints actions: one JSON schema for scripts, plain tables for people.

JSON is :func:`tui.model.action_to_json` with datetimes as ISO 8601 with offset
(``2026-03-14T12:00:00.123456+00:00``). Human output passes every server
string through :func:`tui.text.safe_text` (table cells through the bounded
:func:`tui.text.display_text`), so nothing a server sends can move the cursor,
change colours or hide text; ``--json`` keeps the exact strings (JSON escaping
makes them inert) and raw values. Status labels, progress and times are
:mod:`tui.format`'s, so they read as in the console.
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.format import progress_text, status_text, time_text, utc_text
from tui.model import (
    Action,
    Event,
    PendingOp,
    Status,
    action_to_json,
    dumps_json,
)
from tui.text import CELL_LIMIT, display_text, safe_text


def dumps_actions(actions: Iterable[Action]) -> str:
    """A JSON array of actions."""
    return dumps_json([action_to_json(action) for action in actions])


def dumps_action(action: Action, *, ascii_only: bool = False) -> str:
    """One action as a JSON object; ``ascii_only`` escapes non-ASCII (for a terminal;
    the console's ``Y`` copies the same, ASCII-escaped)."""
    return dumps_json(action_to_json(action), ascii_only=ascii_only)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


LIST_COLUMNS = (
    ("STATUS", 11),
    ("PROG", 4),
    ("ACTION", 22),
    ("RESOURCE", 20),
    ("STARTED (UTC)", 19),
)


def format_table(actions: list[Action]) -> str:
    """A plain, aligned table for ``actiondeck list``; the full REF comes last, never clipped."""
    header = "  ".join(name.ljust(width) for name, width in LIST_COLUMNS) + "  REF"
    rows = [header]
    for action in actions:
        cells = (
            status_text(action.status),
            progress_text(action.progress).rjust(4),
            display_text(action.name, CELL_LIMIT),
            display_text(action.resource or "-", CELL_LIMIT),
            time_text(action.started_at or action.created_at),
        )
        line = "  ".join(
            _clip(cell, width).ljust(width)
            for cell, (_, width) in zip(cells, LIST_COLUMNS, strict=True)
        )
        rows.append(f"{line}  {safe_text(action.ref)}")
    return "\n".join(rows)


def format_detail(action: Action) -> str:
    """Every field of one action, then its events or pending ops, for ``actiondeck show``."""
    lines = [f"{field:<14}{value}" for field, value in _detail_fields(action) if value]
    if action.events:
        lines += ["", "events (oldest first):"]
        lines += [line for event in action.events for line in _event_lines(event)]
    if action.pending_ops:
        lines += ["", "pending ops:"]
        lines += [_pending_op_line(op) for op in action.pending_ops]
    return "\n".join(lines)


def _detail_fields(action: Action) -> list[tuple[str, str]]:
    status = status_text(action.status)
    if action.raw_status and action.raw_status != action.status.value:
        status += f" ({safe_text(action.raw_status)})"
    if action.gone:
        status += " — forgotten by the backend; last known state"
    return [
        ("ref", safe_text(action.ref)),
        ("backend", f"{safe_text(action.backend)} ({action.backend_type})"),
        ("action", safe_text(action.name)),
        ("status", status),
        ("progress", progress_text(action.progress) if action.progress is not None else ""),
        ("resource", safe_text(action.resource)),
        ("resource type", safe_text(action.resource_type)),
        ("user", safe_text(action.user)),
        ("project", safe_text(action.project_id)),
        ("type", safe_text(action.action_type)),
        ("state", safe_text(action.state)),
        ("node", safe_text(action.node)),
        ("object", safe_text(action.object_name)),
        ("created", utc_text(action.created_at) if action.created_at else ""),
        ("started", utc_text(action.started_at) if action.started_at else ""),
        ("finished", utc_text(action.finished_at) if action.finished_at else ""),
        ("updated", utc_text(action.updated_at) if action.updated_at else ""),
        ("message", safe_text(action.message)),
        ("error code", safe_text(action.error_code)),
    ]


def _event_lines(event: Event) -> list[str]:
    attempt = f" (attempt {event.attempt}/{event.attempts})" if event.attempts > 1 else ""
    result = safe_text(event.result) or "running"
    lines = [
        f"  {_event_icon(event, result)} {safe_text(event.name)}{attempt}: {result}  "
        f"{utc_text(event.started_at)} → {utc_text(event.finished_at)}"
    ]
    if event.host or event.host_id:
        lines.append(f"      host {safe_text(event.host or event.host_id)}")
    if event.details:
        lines.append(f"      details: {safe_text(event.details)}")
    if event.traceback:
        lines.extend(
            f"      | {line}" for line in safe_text(event.traceback, multiline=True).splitlines()
        )
    return lines


def _event_icon(event: Event, result: str) -> str:
    """The status icon an attempt's result reads as (``✖``, ``✔``, else ``●``)."""
    if event.failed:
        return status_text(Status.FAILED, with_word=False)
    if result.lower() == "success":
        return status_text(Status.COMPLETED, with_word=False)
    return status_text(Status.RUNNING, with_word=False)


def _pending_op_line(op: PendingOp) -> str:
    status = " ".join(part for part in (op.status_code, op.status_description) if part)
    return (
        f"  shard {safe_text(op.shard):>4}  {safe_text(op.op_name or '-'):<18} "
        f"{progress_text(op.progress):>5}  {safe_text(status) or '-'}  "
        f"heartbeat {utc_text(op.heartbeat)}"
    )
