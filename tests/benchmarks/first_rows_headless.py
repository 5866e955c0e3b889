"""The demo's start until its first rows are drawn, headless: for counting instructions.

Run it under Valgrind, which the load of a shared machine cannot disturb::

    valgrind --tool=callgrind --callgrind-out-file=/tmp/first-rows.%p \\
        .venv/bin/python tests/benchmarks/first_rows_headless.py

The console's process is the first ``Collected`` line of the two (the other
is the simulator's child). With ``PYTHONPATH`` at a checkout of other code
(e.g. from ``git archive``) it counts that code, for a before/after. The
start is the command line's own (light start, the simulator forked first,
``--demo-actions 1000``), with Textual's test driver at 160x45 instead of a
terminal; the deadline after which start-up counts as done is lifted, as
everything runs many times slower under Valgrind. The process ends at the
first rows (``os._exit``), so the app's teardown is not counted.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys

ACTIONS = 1_000


def main() -> None:
    """Start the demo headless; exit as soon as its first rows are drawn."""
    gc.disable()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from tui.cli import startup

    startup.begin()
    from tui.cli.main import parse_args

    parse_args(["--demo-actions", str(ACTIONS)])
    from tui.sim.child import fork_simulator

    child = fork_simulator(seed=7, actions=ACTIONS, servers=None)
    assert child is not None, "fork is not available here"
    import tui.console.app as console

    console.STARTED_AT_LATEST = 10_000.0
    from tui.embedded import DEMO_PAGE_SIZE, DEMO_STUCK, simulator_config

    where = child.endpoints()
    config = simulator_config(where, stuck=DEMO_STUCK, seeweb_page_size=DEMO_PAGE_SIZE)
    drawn = asyncio.Event()
    app = console.ActionDeckApp(config, simulator=where, preload=True, started=drawn.set)

    async def run() -> None:
        async with app.run_test(size=(160, 45)):
            await asyncio.wait_for(drawn.wait(), 600)
            print(f"first rows drawn: {len(app.store)} actions", file=sys.stderr)
            child.stop()
            os._exit(0)  # the count ends here: not the app's teardown

    try:
        asyncio.run(run())
    finally:
        child.stop()


if __name__ == "__main__":
    main()
