"""``actiondeck sim``: run the simulator in the foreground and say how to use it."""

from __future__ import annotations

import threading
from pathlib import Path

from tui.embedded import config_toml, environment_exports
from tui.sim import FrozenClock, RealClock, Simulator


def describe(sim: Simulator) -> str:
    """The banner printed at start: URLs, credentials to export and a ready config."""
    return "\n".join(
        [
            "ActionDeck simulator running (Ctrl+C to stop)",
            f"  Seeweb ECS        {sim.seeweb_url}",
            f"  Keystone v3       {sim.auth_url}",
            f"  Redis Enterprise  {sim.redis_url}",
            "",
            "# 1. export the demo credentials:",
            environment_exports(sim),
            "",
            "# 2. save this as sim.toml and run: actiondeck --config sim.toml list",
            config_toml(sim),
        ]
    )


def run_sim(
    *,
    actions: int | None,
    seed: int,
    frozen: bool,
    write_config: Path | None = None,
    servers: int | None = None,
) -> int:
    """Start the simulator, print how to use it, serve until interrupted.

    ``servers`` sets how many live servers the OpenStack project holds
    (default: eight).
    """
    clock = FrozenClock() if frozen else RealClock()
    sim = Simulator(seed=seed, actions=actions, clock=clock, servers=servers).start()
    try:
        if write_config is not None:
            write_config.write_text(config_toml(sim), encoding="utf-8")
        print(describe(sim), flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0
