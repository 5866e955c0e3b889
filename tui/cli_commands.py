"""The scriptable commands ``list``, ``show`` and ``wait``, as plain async functions.

They use the headless core only (config, backends, model); the console is
never imported here. Each returns an exit code; see :mod:`tui.cli` for the
contract.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from tui.backends.base import (
    AuthError,
    Backend,
    BackendError,
    ListQuery,
    NotFoundError,
)
from tui.cli_format import dumps_action, dumps_actions, format_detail, format_table
from tui.model import Action, Status, split_ref
from tui.search import parse_filter
from tui.text import display_text, safe_text

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BACKEND = 3
EXIT_TIMEOUT = 4
EXIT_NOT_FOUND = 5


class UsageError(Exception):
    """Bad arguments: exit 2 with this message."""


@dataclass
class Output:
    """Where commands write (a seam for tests)."""

    out: TextIO = sys.stdout
    err: TextIO = sys.stderr

    def error(self, message: str) -> None:
        """One clear line on stderr (server text in it is neutralised and bounded)."""
        print(f"actiondeck: {display_text(message)}", file=self.err)


def pick_backends(backends: Sequence[Backend], name: str | None) -> list[Backend]:
    """All backends, or the one called ``name``."""
    if name is None:
        return list(backends)
    chosen = [backend for backend in backends if backend.name == name]
    if not chosen:
        known = ", ".join(backend.name for backend in backends) or "none"
        raise UsageError(f"no backend named {name!r} (configured: {known})")
    return chosen


async def list_command(
    backends: Sequence[Backend],
    output: Output,
    *,
    backend: str | None = None,
    resource: str | None = None,
    status: str | None = None,
    limit: int = 50,
    as_json: bool = False,
) -> int:
    """``actiondeck list``: newest first across backends."""
    chosen = pick_backends(backends, backend)
    statuses = parse_filter(f"status:{status}").statuses if status else frozenset()
    if status and not statuses:
        raise UsageError(f"unknown status {status!r} (one of {', '.join(s.value for s in Status)})")
    fetch = limit if not statuses else min(1000, max(limit * 4, 200))
    query = ListQuery(start=0, limit=fetch, resource=resource)
    results = await asyncio.gather(*(b.list_actions(query) for b in chosen), return_exceptions=True)
    actions: list[Action] = []
    code = EXIT_OK
    for source, result in zip(chosen, results, strict=True):
        if isinstance(result, BaseException):
            code = EXIT_BACKEND
            output.error(_describe(source.name, result))
        else:
            actions.extend(result.actions)
            if result.unreadable:
                output.error(f"warning: {source.name}: {_entries(result.unreadable)} (skipped)")
    actions = [a for a in actions if not statuses or a.status in statuses]
    actions.sort(key=lambda action: (action.sort_time, action.ref), reverse=True)
    actions = actions[:limit]
    print(dumps_actions(actions) if as_json else format_table(actions), file=output.out)
    return code


def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'} unreadable"


def _describe(name: str, error: BaseException) -> str:
    if isinstance(error, BackendError):
        return str(error)
    return f"{name}: unexpected {type(error).__name__}: {error}"


def find_backend(backends: Sequence[Backend], ref: str) -> tuple[Backend, str]:
    """The backend and backend-local id named by ``BACKEND:ID``."""
    try:
        name, action_id = split_ref(ref)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return pick_backends(backends, name)[0], action_id


async def show_command(
    backends: Sequence[Backend], output: Output, ref: str, *, as_json: bool = False
) -> int:
    """``actiondeck show REF``: one action with its events or pending ops."""
    backend, action_id = find_backend(backends, ref)
    try:
        action = await backend.get_action(action_id)
    except NotFoundError as error:
        output.error(f"{ref}: no such action ({error.reason})")
        return EXIT_NOT_FOUND
    except BackendError as error:
        output.error(str(error))
        return EXIT_BACKEND
    print(dumps_action(action) if as_json else format_detail(action), file=output.out)
    return EXIT_OK


@dataclass
class WaitOptions:
    """How ``wait`` polls."""

    timeout: float | None = None
    interval: float = 2.0
    as_json: bool = False


async def wait_command(
    backends: Sequence[Backend],
    output: Output,
    ref: str,
    options: WaitOptions,
    *,
    monotonic: Callable[[], float] = time.monotonic,
) -> int:
    """``actiondeck wait REF``: poll until the action ends.

    Exit 0 completed, 1 failed or cancelled, 4 timed out, 3 credentials refused
    (or still unreachable at the deadline), 5 unknown action or forgotten by
    the backend before its outcome was known. Passing errors are retried.
    """
    backend, action_id = find_backend(backends, ref)
    deadline = None if options.timeout is None else monotonic() + options.timeout
    last: Action | None = None
    last_error: BackendError | None = None
    while True:
        try:
            last = await backend.get_action(action_id)
            last_error = None
        except AuthError as error:
            output.error(str(error))
            return EXIT_BACKEND
        except NotFoundError as error:
            return _vanished(output, ref, last, error)
        except BackendError as error:
            if last_error is None:
                output.error(f"{error} (retrying)")
            last_error = error
        if last is not None and last.status.is_final:
            return _finished(output, last, options.as_json)
        if deadline is not None and monotonic() >= deadline:
            return _timed_out(output, ref, last, last_error, options.timeout or 0)
        await asyncio.sleep(_next_sleep(options.interval, deadline, monotonic))


def _next_sleep(interval: float, deadline: float | None, monotonic: Callable[[], float]) -> float:
    if deadline is None:
        return interval
    return max(0.0, min(interval, deadline - monotonic()))


def _finished(output: Output, action: Action, as_json: bool) -> int:
    text = dumps_action(action) if as_json else f"{safe_text(action.ref)}: {action.status.value}"
    print(text, file=output.out)
    return EXIT_OK if action.status is Status.COMPLETED else EXIT_FAILED


def _vanished(output: Output, ref: str, last: Action | None, error: NotFoundError) -> int:
    if last is None:
        output.error(f"{ref}: no such action ({error.reason})")
    else:
        output.error(
            f"{ref}: forgotten by the backend before it ended "
            f"(last known status: {last.status.value})"
        )
    return EXIT_NOT_FOUND


def _timed_out(
    output: Output, ref: str, last: Action | None, error: BackendError | None, timeout: float
) -> int:
    if error is not None and last is None:
        output.error(f"{error} (gave up after {timeout:g}s)")
        return EXIT_BACKEND
    status = last.status.value if last else "unknown"
    output.error(f"{ref}: still {status} after {timeout:g}s")
    return EXIT_TIMEOUT
