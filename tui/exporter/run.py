"""Run the exporter: poll every backend, fold the results, serve them, until a signal.

:func:`run_exporter` owns the backends it is handed from then on: it polls
them with the console's :class:`~tui.poller.Poller` (each on its own
schedule, a slow one never delaying the others), serves the state the latest
polls left, and on ``SIGINT``/``SIGTERM`` (or ``stop``) stops polling, stops
serving and closes the backends, each step bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Iterator, Sequence

from prometheus_client import CollectorRegistry, PlatformCollector, ProcessCollector

from tui import __version__
from tui.backends.base import Backend
from tui.exporter.metrics import SnapshotCollector
from tui.exporter.server import MetricsServer
from tui.exporter.state import ExporterState
from tui.poller import Poller, PollResult, PollSettings
from tui.stuck import StuckRule

CLOSE_TIMEOUT = 2.0
"""Seconds stopping the polls and closing the backends may take, each."""


class TimedPoller(Poller):
    """The poller, also noting how long each backend's latest poll took."""

    def __init__(self, backends: Sequence[Backend], settings: PollSettings | None = None) -> None:
        super().__init__(backends, settings)
        self.last_duration: dict[str, float] = {}
        """Seconds the latest poll of each backend took, by backend name."""

    async def poll_once(self, backend: Backend) -> PollResult:
        """Poll as the poller does, timing it."""
        began = time.perf_counter()
        try:
            return await super().poll_once(backend)
        finally:
            self.last_duration[backend.name] = time.perf_counter() - began


def build_registry(state: ExporterState) -> CollectorRegistry:
    """A registry of the exporter's metrics and the process's own (``process_``, ``python_``)."""
    registry = CollectorRegistry()
    registry.register(SnapshotCollector(state.snapshot))
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    return registry


async def run_exporter(
    backends: Sequence[Backend],
    *,
    host: str,
    port: int,
    poll: PollSettings | None = None,
    rule: StuckRule | None = None,
    simulator: bool = False,
    ready: Callable[[str], None] = lambda url: None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve the backends' metrics on ``host:port`` until a signal or ``stop``.

    ``ready`` is called with the metrics URL once the socket is bound.

    Raises:
        ListenError: the address cannot be bound (the backends are closed).
    """
    stopping = stop or asyncio.Event()
    state = ExporterState(backends, rule=rule, version=__version__, simulator=simulator)
    try:
        server = MetricsServer(build_registry(state), host, port).start()
    except BaseException:
        await close_backends(backends)
        raise
    poller = TimedPoller(backends, poll)

    def report(result: PollResult) -> None:
        state.record(result, poller.last_duration.get(result.backend, 0.0))

    polling = asyncio.create_task(poller.run(report), name="exporter-poller")
    try:
        with _signals_set(stopping):
            ready(server.url)
            await _until(stopping, polling)
    finally:
        polling.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(polling, CLOSE_TIMEOUT)
        server.stop()
        await close_backends(backends)


async def _until(stopping: asyncio.Event, polling: asyncio.Task[None]) -> None:
    """Wait for ``stopping``; a poller that ended by itself is a bug and raised here."""
    waiter = asyncio.create_task(stopping.wait())
    try:
        await asyncio.wait({waiter, polling}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
    if polling.done() and not stopping.is_set():
        polling.result()


@contextlib.contextmanager
def _signals_set(stopping: asyncio.Event) -> Iterator[None]:
    """``SIGINT`` and ``SIGTERM`` set ``stopping`` while inside (where the loop allows)."""
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stopping.set)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
            continue
        installed.append(signum)
    try:
        yield
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


async def close_backends(backends: Sequence[Backend]) -> None:
    """Close every backend, bounded: a server that never finishes a close cannot hold us."""
    closing = asyncio.gather(*(b.aclose() for b in backends), return_exceptions=True)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(closing, CLOSE_TIMEOUT)
