"""The scriptable commands ``list``, ``show`` and ``wait``, as plain async functions.

They use the headless core only (config, backends, model); the console is
never imported here. Each returns an exit code; see :mod:`tui.cli.main` for the
contract.

Every backend call is bounded: ``list`` and ``show`` give each backend its
``timeout`` plus :data:`GRACE` seconds for the whole call (however many
requests it makes), and ``wait --timeout S`` cuts the request in flight at
its own deadline, so the commands end on time whatever the servers do.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from tui.backends.base import (
    AuthError,
    Backend,
    BackendError,
    BackendTimeout,
    ListQuery,
    NotFoundError,
)
from tui.cli.exits import (
    EXIT_BACKEND,
    EXIT_FAILED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    UsageError,
)
from tui.cli.formats import OutputStyle, render_list
from tui.cli.output import Output as Output
from tui.cli.render import dumps_action, format_detail
from tui.format import unreadable_text
from tui.model import Action, Status, split_ref
from tui.search import FILTER_KEYS, ActionFilter, parse_filter
from tui.text import safe_text

DEFAULT_BACKEND_TIMEOUT = 15.0
"""The per-request timeout of a backend that does not state its own."""
GRACE = 1.0
"""Seconds a whole backend call may take beyond the backend's own request timeout."""

T = TypeVar("T")


def _on_terminal(output: Output) -> bool:
    """True when stdout is a terminal: JSON then escapes every non-ASCII character."""
    isatty = getattr(output.out, "isatty", None)
    return bool(isatty and isatty())


def call_budget(backend: Backend) -> float:
    """Seconds one whole call (``list_actions``, ``get_action``) of ``backend`` may take."""
    timeout = getattr(backend, "timeout", None)
    if isinstance(timeout, int | float) and 0 < timeout < float("inf"):
        return float(timeout) + GRACE
    return DEFAULT_BACKEND_TIMEOUT + GRACE


async def bounded(backend: Backend, call: Awaitable[T], seconds: float) -> T:
    """Await ``call``, cancelling it after ``seconds``.

    Raises:
        BackendTimeout: the call did not finish in time.
    """
    limit = asyncio.timeout(max(0.0, seconds))
    try:
        async with limit:
            return await call
    except TimeoutError:
        if not limit.expired():
            raise
        raise BackendTimeout(
            backend.name, f"timed out (no complete answer within {seconds:.1f}s)"
        ) from None


def _left(backend: Backend, started: float | None) -> float:
    """What is left of ``backend``'s call budget, counted from ``started``."""
    spent = 0.0 if started is None else max(0.0, time.monotonic() - started)
    return max(0.0, call_budget(backend) - spent)


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
    started: float | None = None,
    query: str | None = None,
    style: OutputStyle | None = None,
) -> int:
    """``actiondeck list [QUERY]``: newest first across backends.

    ``query`` is the console's search language (:mod:`tui.search`), matched
    against the newest actions fetched; it combines with ``backend``,
    ``resource`` (asked of the server) and ``status`` (every part must
    match). ``style`` is the output format (default: the table, or JSON
    with ``as_json``). ``started``: the monotonic time each backend's budget counts
    from (default: now).
    """
    search = selection(output, query, status)
    chosen = [b for b in pick_backends(backends, backend) if search.backend_may_match(b.name)]
    fetch = limit if search.is_empty else min(1000, max(limit * 4, 200))
    query_window = ListQuery(start=0, limit=fetch, resource=resource)
    calls = (bounded(b, b.list_actions(query_window), _left(b, started)) for b in chosen)
    results = await asyncio.gather(*calls, return_exceptions=True)
    actions: list[Action] = []
    code = EXIT_OK
    for source, result in zip(chosen, results, strict=True):
        if isinstance(result, BaseException):
            code = EXIT_BACKEND
            output.error(describe_error(source.name, result))
        else:
            actions.extend(result.actions)
            if result.unreadable:
                output.error(
                    f"warning: {source.name}: {unreadable_text(result.unreadable)} (skipped)"
                )
    actions = [a for a in actions if search.matches(a)]
    actions.sort(key=lambda action: (action.sort_time, action.ref), reverse=True)
    actions = actions[:limit]
    if style is None:
        style = OutputStyle(format="json" if as_json else "table")
    for line in render_list(actions, style):
        print(line, file=output.out)
    return code


@dataclass(frozen=True)
class Selection:
    """What ``list`` and ``watch`` keep: a search, and the statuses of ``--status``."""

    search: ActionFilter
    statuses: frozenset[Status] = frozenset()

    @property
    def is_empty(self) -> bool:
        """True when everything is kept."""
        return self.search.is_empty and not self.statuses

    def matches(self, action: Action) -> bool:
        """True when ``action`` passes the search and ``--status``."""
        if self.statuses and action.status not in self.statuses:
            return False
        return self.search.matches(action)

    def backend_may_match(self, name: str) -> bool:
        """False when the search's ``backend:`` tokens rule out the backend called ``name``."""
        wanted = self.search.backends
        return not wanted or any(part in name.lower() for part in wanted)


def selection(output: Output, query: str | None, status: str | None) -> Selection:
    """The search ``query`` and ``--status``, both to be matched.

    Raises:
        UsageError: ``status`` names no status.
    """
    search = parse_filter(query or "")
    for key in search.unknown_keys:
        keys = ", ".join(FILTER_KEYS)
        output.error(f"warning: unknown search key {key!r} taken as text (keys: {keys})")
    statuses = parse_filter(f"status:{status}").statuses if status else frozenset()
    if status and not statuses:
        raise UsageError(f"unknown status {status!r} (one of {', '.join(s.value for s in Status)})")
    return Selection(search, statuses)


def describe_error(name: str, error: BaseException) -> str:
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
    backends: Sequence[Backend],
    output: Output,
    ref: str,
    *,
    as_json: bool = False,
    started: float | None = None,
) -> int:
    """``actiondeck show REF``: one action with its events or pending ops.

    ``started``: the monotonic time the backend's budget counts from (default: now).
    """
    backend, action_id = find_backend(backends, ref)
    try:
        action = await bounded(backend, backend.get_action(action_id), _left(backend, started))
    except NotFoundError as error:
        output.error(f"{ref}: no such action ({error.reason})")
        return EXIT_NOT_FOUND
    except BackendError as error:
        output.error(str(error))
        return EXIT_BACKEND
    text = dumps_action(action, ascii_only=_on_terminal(output)) if as_json else None
    print(text or format_detail(action), file=output.out)
    return EXIT_OK


@dataclass
class WaitOptions:
    """How ``wait`` polls."""

    timeout: float | None = None
    interval: float = 2.0
    as_json: bool = False
    started: float | None = None
    """Monotonic time the timeout counts from (default: when ``wait`` starts)."""
    on_poll: Callable[[Action], None] | None = None
    """Told each state the action is read in (the live progress line)."""


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
    The request in flight is cut at the deadline, so ``wait`` ends on time.
    """
    backend, action_id = find_backend(backends, ref)
    start = monotonic() if options.started is None else options.started
    deadline = None if options.timeout is None else start + options.timeout
    last: Action | None = None
    last_error: BackendError | None = None
    while True:
        try:
            budget = _call_limit(backend, deadline, monotonic)
            last = await bounded(backend, backend.get_action(action_id), budget)
            last_error = None
            if options.on_poll is not None:
                options.on_poll(last)
        except AuthError as error:
            output.error(str(error))
            return EXIT_BACKEND
        except NotFoundError as error:
            return _vanished(output, ref, last, error)
        except BackendError as error:
            if last_error is None and (deadline is None or monotonic() < deadline):
                output.error(f"{error} (retrying)")
            last_error = error
        if last is not None and last.status.is_final:
            return _finished(output, last, options.as_json)
        if deadline is not None and monotonic() >= deadline:
            return _timed_out(output, ref, last, last_error, options.timeout or 0)
        await asyncio.sleep(_next_sleep(options.interval, deadline, monotonic))


def _call_limit(backend: Backend, deadline: float | None, monotonic: Callable[[], float]) -> float:
    """Seconds the next request may take: its budget, and never past ``wait``'s deadline."""
    budget = call_budget(backend)
    return budget if deadline is None else min(budget, max(0.0, deadline - monotonic()))


def _next_sleep(interval: float, deadline: float | None, monotonic: Callable[[], float]) -> float:
    if deadline is None:
        return interval
    return max(0.0, min(interval, deadline - monotonic()))


def _finished(output: Output, action: Action, as_json: bool) -> int:
    if as_json:
        text = dumps_action(action, ascii_only=_on_terminal(output))
    else:
        text = f"{safe_text(action.ref)}: {action.status.value}"
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


__all__ = [
    "EXIT_BACKEND",
    "EXIT_FAILED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_TIMEOUT",
    "EXIT_USAGE",
    "Output",
    "UsageError",
    "WaitOptions",
    "list_command",
    "show_command",
    "wait_command",
]
