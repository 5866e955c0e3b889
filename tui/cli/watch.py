"""``actiondeck watch [QUERY]``: the matching actions, then one line per change.

What ``kubectl get -w`` does: the newest matching actions first (oldest of
them first, so the newest sits just above what follows), then a line each
time a poll finds a new matching action or a change in one already shown
(status, progress, times, message). Each backend is polled with its own
``poll()`` (the console's cheap "what changed" path), bounded by its call
budget; a failing backend gets one line on stderr per run of failures,
is retried with a doubling pause, and one line when it recovers.

Lines are flushed as they are written, so ``watch --format ndjson | jq``
streams. Ctrl+C ends it with exit 0 (see :mod:`tui.cli.main`). With
``until_settled`` it ends once every action it has shown has ended: 0 when
all completed, 1 when any failed or was cancelled. Memory stays bounded: at
most :data:`MAX_TRACKED` actions are remembered.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from tui.backends.base import Backend, BackendError, PollUpdate, RateLimitedError
from tui.cli.commands import (
    Output,
    bounded,
    call_budget,
    describe_error,
    pick_backends,
    selection,
)
from tui.cli.exits import EXIT_FAILED, EXIT_OK
from tui.cli.formats import OutputStyle, RowWriter
from tui.model import Action, Status

MAX_TRACKED = 50_000
"""Actions whose last printed state is remembered (the oldest are forgotten first)."""
MAX_PAUSE = 60.0
"""The longest pause between retries of a failing backend."""


@dataclass(frozen=True)
class WatchOptions:
    """What ``watch`` shows and how often it polls."""

    query: str | None = None
    backend: str | None = None
    resource: str | None = None
    """Matched like a ``resource:`` token (locally)."""
    status: str | None = None
    limit: int = 50
    interval: float | None = None
    """Seconds between polls (``None``: the caller's ``refresh``)."""
    until_settled: bool = False
    style: OutputStyle = field(default_factory=OutputStyle)
    started: float | None = None


def _signature(action: Action) -> Hashable:
    """What a change must touch to be printed again."""
    return (
        action.status,
        action.raw_status,
        action.progress,
        action.started_at,
        action.finished_at,
        action.updated_at,
        action.message,
        action.state,
        action.gone,
    )


class _Printer:
    """Prints each action whose printed state changed; remembers what it printed."""

    def __init__(self, output: Output, writer: RowWriter) -> None:
        self._output = output
        self._writer = writer
        self.shown: OrderedDict[str, tuple[Hashable, Status]] = OrderedDict()

    def line(self, text: str) -> None:
        print(text, file=self._output.out, flush=True)

    def offer(self, action: Action) -> None:
        signature = _signature(action)
        known = self.shown.get(action.ref)
        if known is not None and known[0] == signature:
            return
        self.shown[action.ref] = (signature, action.status)
        self.shown.move_to_end(action.ref)
        while len(self.shown) > MAX_TRACKED:
            self.shown.popitem(last=False)
        self.line(self._writer.row(action))

    def settled(self) -> int | None:
        """The exit code once every shown action has ended, else ``None``."""
        statuses = [status for _, status in self.shown.values()]
        if any(not status.is_final for status in statuses):
            return None
        return EXIT_OK if all(s is Status.COMPLETED for s in statuses) else EXIT_FAILED


class _Schedule:
    """When each backend is polled next, and its run of failures."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.due = 0.0
        self.failures = 0

    def failed(self, now: float, error: BaseException) -> None:
        self.failures += 1
        pause = min(MAX_PAUSE, self.interval * 2**self.failures)
        if isinstance(error, RateLimitedError) and error.retry_after:
            pause = max(pause, min(error.retry_after, MAX_PAUSE))
        self.due = now + pause

    def succeeded(self, now: float) -> None:
        self.failures = 0
        self.due = now + self.interval


async def watch_command(
    backends: Sequence[Backend],
    output: Output,
    options: WatchOptions,
    *,
    refresh: float = 2.0,
) -> int:
    """Print the matching actions, then their changes, until interrupted (or settled)."""
    search = selection(output, _with_resource(options), options.status)
    chosen = [
        b for b in pick_backends(backends, options.backend) if search.backend_may_match(b.name)
    ]
    interval = options.interval or refresh
    schedules = {backend.name: _Schedule(interval) for backend in chosen}
    first = await _poll_all(chosen, output, schedules, time.monotonic())
    initial = sorted(
        (action for action in first if search.matches(action)),
        key=lambda action: (action.sort_time, action.ref),
        reverse=True,
    )[: options.limit]
    initial.reverse()
    writer = RowWriter(options.style, initial)
    printer = _Printer(output, writer)
    header = writer.header()
    if header is not None:
        printer.line(header)
    for action in initial:
        printer.offer(action)
    while True:
        if options.until_settled:
            outcome = printer.settled()
            if outcome is not None:
                return outcome
        now = time.monotonic()
        wake = min((s.due for s in schedules.values()), default=now + interval)
        await asyncio.sleep(max(0.0, wake - now))
        due = [b for b in chosen if schedules[b.name].due <= time.monotonic()]
        for action in await _poll_all(due, output, schedules, time.monotonic()):
            if action.ref in printer.shown or search.matches(action):
                printer.offer(action)


def _with_resource(options: WatchOptions) -> str | None:
    if not options.resource:
        return options.query
    token = f"resource:{options.resource}"
    return f"{options.query} {token}" if options.query else token


async def _poll_all(
    backends: Sequence[Backend],
    output: Output,
    schedules: dict[str, _Schedule],
    now: float,
) -> list[Action]:
    """One poll of each backend at once; what they reported (errors said on stderr)."""
    calls = (bounded(b, b.poll(), call_budget(b)) for b in backends)
    results = await asyncio.gather(*calls, return_exceptions=True)
    found: list[Action] = []
    for backend, result in zip(backends, results, strict=True):
        schedule = schedules[backend.name]
        if isinstance(result, PollUpdate):
            if schedule.failures:
                output.error(f"{backend.name}: answering again")
            schedule.succeeded(now)
            found.extend(result.actions)
            continue
        if not isinstance(result, BackendError | Exception):
            raise result  # cancellation and the like are not a backend's failure
        if not schedule.failures:
            output.error(f"{describe_error(backend.name, result)} (retrying)")
        schedule.failed(now, result)
    return found


__all__ = ["WatchOptions", "watch_command"]
