"""The floor of loading, in a fresh interpreter: print the seconds to read every Seeweb page.

What the simulator takes to serve the pages (in its own process, as the demo
runs it) plus HTTP and ``json.loads`` on this side, in the console's page
length; no parsing into actions, no store, no screen. It runs as a script
because the simulator is forked, and a process whose threads already run
(pytest's, after other benchmarks) cannot fork it.

Usage: ``python wire_floor.py ACTIONS``.
"""

from __future__ import annotations

import json
import sys
import time

import httpx

from tui.embedded import DEMO_PAGE_SIZE
from tui.sim.child import fork_simulator


def read_every_page(actions: int) -> float:
    """Seconds to read and decode every page of ``actions`` from a forked simulator."""
    child = fork_simulator(seed=1, actions=actions)
    if child is None:
        raise SystemExit("the simulator could not be forked here")
    try:
        endpoints = child.endpoints()
        headers = {"X-APITOKEN": endpoints.credentials.seeweb_token}
        started = time.perf_counter()
        with httpx.Client(base_url=endpoints.seeweb_url, headers=headers) as client:
            start = 0
            while True:
                params = {"start": start, "length": DEMO_PAGE_SIZE}
                got = len(json.loads(client.get("/actions", params=params).content)["actions"])
                start += got
                if got < DEMO_PAGE_SIZE:
                    return time.perf_counter() - started
    finally:
        child.stop()


if __name__ == "__main__":
    print(read_every_page(int(sys.argv[1])))
