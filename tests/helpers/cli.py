"""Run the installed ``actiondeck`` as a scripter would: a subprocess, piped or on a pty.

Every run is bounded (:data:`RUN_TIMEOUT`); :func:`on_pty` gives the command a
real pseudo-terminal as stdout and stderr (so ``isatty()`` is true) and
returns what it wrote there.
"""

from __future__ import annotations

import os
import pty
import queue
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import IO

ACTIONDECK = Path(sys.executable).with_name("actiondeck")
"""The console script installed with the package (what users run)."""
RUN_TIMEOUT = 60.0
"""Seconds any one command may take before the test fails."""


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = RUN_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """``actiondeck ARGS`` with stdout and stderr piped."""
    return subprocess.run(
        [str(ACTIONDECK), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def on_pty(*args: str, columns: int = 100, env: dict[str, str] | None = None) -> tuple[int, str]:
    """``actiondeck ARGS`` with a pseudo-terminal as stdout and stderr: (exit code, output)."""
    primary, secondary = pty.openpty()
    environment = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm", **(env or {})}
    process = subprocess.Popen(
        [str(ACTIONDECK), *args],
        stdout=secondary,
        stderr=secondary,
        stdin=subprocess.DEVNULL,
        env=environment,
    )
    os.close(secondary)
    chunks: list[bytes] = []
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 0.2)
            if ready:
                try:
                    data = os.read(primary, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif process.poll() is not None:
                break
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(primary)
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def free_port_triple() -> int:
    """A port P such that P, P+1 and P+2 are free on loopback now."""
    for _ in range(50):
        with closing(socket.socket()) as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port + 2 <= 65535 and all(_free(port + step) for step in range(3)):
            return port
    raise AssertionError("no three consecutive free ports")


def _free(port: int) -> bool:
    with closing(socket.socket()) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def lines(text: str) -> Sequence[str]:
    """The non-empty lines of ``text``."""
    return [line for line in text.splitlines() if line.strip()]


class LineReader:
    """The lines a running process writes to stdout, read by a daemon thread (bounded waits)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        self._lines: queue.Queue[str] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(process.stdout,), daemon=True)
        self._thread.start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)

    def next(self, timeout: float = 30.0) -> str:
        """The next line (without its newline); fails the test after ``timeout`` seconds."""
        try:
            return self._lines.get(timeout=timeout).rstrip("\n")
        except queue.Empty:
            raise AssertionError(f"no line within {timeout} s") from None

    def rest(self) -> list[str]:
        """Every line read so far and not yet taken (call once the process ended)."""
        self._thread.join(timeout=10)
        found = []
        while not self._lines.empty():
            found.append(self._lines.get().rstrip("\n"))
        return found
