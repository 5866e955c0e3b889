"""Run ``actiondeck exporter`` for real and read its scrapes with the Prometheus parser.

:class:`ExporterProcess` starts the command in a subprocess on an ephemeral
port and reads the URL it prints; :func:`scrape` fetches ``/metrics`` over
HTTP and parses it with ``prometheus_client``'s own text parser; :func:`value`
and :func:`wait_for` pick samples out of it. :func:`serving` runs the exporter
in the test's own event loop instead, still on a real socket. Every wait here
is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from tui.backends.base import Backend
from tui.exporter.run import run_exporter
from tui.poller import PollSettings

ROOT = Path(__file__).resolve().parents[2]

START_TIMEOUT = 30.0
"""Seconds the exporter may take to print its URL (a loaded 2-core machine)."""


def sim_refresh(busy: float = 0.2, idle: float = 0.5, backoff: float = 1.0) -> str:
    """A ``[refresh]`` table that polls fast, so tests see changes within seconds."""
    return f"\n[refresh]\nbusy_interval = {busy}\nidle_interval = {idle}\nmax_backoff = {backoff}\n"


@dataclass
class ExporterProcess:
    """One ``actiondeck exporter`` subprocess (use as a context manager)."""

    args: list[str]
    env: Mapping[str, str] = field(default_factory=dict)
    url: str = ""
    process: subprocess.Popen[str] | None = None

    def __enter__(self) -> ExporterProcess:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", "exporter", "--listen", "127.0.0.1:0", *self.args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, **self.env},
        )
        line = _read_line(self.process, START_TIMEOUT)
        prefix = "actiondeck exporter: serving "
        if not line.startswith(prefix):
            self.stop()
            raise AssertionError(f"no URL printed: {line!r}; stderr: {self.stderr!r}")
        self.url = line.removeprefix(prefix).strip()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Send ``signum`` and wait (bounded) for the exit code."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode

    @property
    def stderr(self) -> str:
        """What the process wrote to stderr (once it has exited)."""
        assert self.process is not None and self.process.stderr is not None
        if self.process.poll() is None:
            return ""
        return self.process.stderr.read()


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return ""
    return process.stdout.readline()


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
"""Every sample of one scrape: ``(sample name, labels) → value``."""


def parse(text: str) -> Samples:
    """A scrape's samples, read by the Prometheus library's own parser."""
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[_key(sample)] = sample.value
    return samples


def _key(sample: Sample) -> tuple[str, frozenset[tuple[str, str]]]:
    return sample.name, frozenset(sample.labels.items())


def scrape(url: str, timeout: float = 5.0) -> Samples:
    """GET ``url`` and parse it (fails on any status but 200)."""
    response = httpx.get(url, timeout=timeout)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


def value(samples: Samples, metric: str, /, **labels: str) -> float | None:
    """The value of the one sample ``metric`` with exactly ``labels`` (``None``: absent)."""
    return samples.get((metric, frozenset(labels.items())))


def matching(
    samples: Samples, metric: str, /, **labels: str
) -> dict[frozenset[tuple[str, str]], float]:
    """Every sample ``metric`` whose labels include ``labels``."""
    wanted = set(labels.items())
    return {key: v for (found, key), v in samples.items() if found == metric and wanted <= key}


def wait_for(
    url: str, check: Callable[[Samples], bool], timeout: float = 20.0, every: float = 0.2
) -> Samples:
    """Scrape until ``check`` holds (fails with the last scrape after ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while True:
        samples = scrape(url)
        if check(samples):
            return samples
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen within {timeout} s; last scrape: {samples}")
        time.sleep(every)


@contextlib.asynccontextmanager
async def serving(backends: Sequence[Backend], **options: Any) -> AsyncIterator[str]:
    """Run the exporter in this event loop on an ephemeral loopback port; yield its URL."""
    stop = asyncio.Event()
    urls: list[str] = []
    settings = PollSettings(busy_interval=0.2, idle_interval=0.5, max_backoff=1.0)
    task = asyncio.create_task(
        run_exporter(
            backends,
            host="127.0.0.1",
            port=0,
            poll=settings,
            ready=urls.append,
            stop=stop,
            **options,
        )
    )
    try:
        async with asyncio.timeout(START_TIMEOUT):
            while not urls:
                if task.done():
                    task.result()
                await asyncio.sleep(0.05)
        yield urls[0]
    finally:
        stop.set()
        async with asyncio.timeout(10):
            await task


async def scrape_async(url: str) -> Samples:
    """:func:`scrape` without blocking the event loop the exporter runs in (5 s at most)."""
    async with httpx.AsyncClient(timeout=5.0) as client:
        response = await client.get(url)
    assert response.status_code == 200, response.text
    return parse(response.text)


async def wait_for_async(
    url: str, check: Callable[[Samples], bool], within: float = 20.0
) -> Samples:
    """:func:`wait_for` without blocking the event loop the exporter runs in."""
    deadline = time.monotonic() + within
    while True:
        samples = await scrape_async(url)
        if check(samples):
            return samples
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen within {within} s; last scrape: {samples}")
        await asyncio.sleep(0.2)
