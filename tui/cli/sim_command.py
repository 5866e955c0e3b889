"""``actiondeck sim``: run the simulator in the foreground and say how to use it.

``--port P`` puts Seeweb on P, OpenStack (Keystone and Nova) on P+1 and
Redis Enterprise on P+2, so a config written by ``--write-config`` keeps
working after a restart; ``--fault`` specs (:mod:`tui.sim.fault_spec`) are
switched on before the first request, and ``POST /__sim/faults`` on any of
the ports switches them while it runs.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from tui.cli.exits import UsageError
from tui.embedded import config_toml, environment_exports
from tui.sim import FrozenClock, RealClock, Simulator
from tui.sim.fault_spec import FaultSpecError, parse_specs
from tui.sim.http import CONTROL_PATH


def describe(sim: Simulator) -> str:
    """The banner printed at start: URLs, credentials to export and a ready config."""
    return "\n".join(
        [
            "ActionDeck simulator running (Ctrl+C to stop)",
            f"  Seeweb ECS        {sim.seeweb_url}",
            f"  Keystone v3       {sim.auth_url}",
            f"  Redis Enterprise  {sim.redis_url}",
            f"  Fault switch      curl -X POST {sim.seeweb.url}{CONTROL_PATH} -d 'seeweb=503'",
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
    port: int | None = None,
    faults: Sequence[str] = (),
) -> int:
    """Start the simulator, print how to use it, serve until interrupted.

    ``servers`` sets how many live servers the OpenStack project holds
    (default: eight); ``port`` the first of its three ports (default: free
    ones); ``faults`` the fault specs it starts with.

    Raises:
        UsageError: a fault spec cannot be read, or a port is taken.
    """
    spec = " ".join(faults)
    try:
        if spec:
            parse_specs(spec)  # every spec read before anything starts
    except FaultSpecError as error:
        raise UsageError(f"--fault: {error}") from None
    clock = FrozenClock() if frozen else RealClock()
    try:
        sim = Simulator(seed=seed, actions=actions, clock=clock, servers=servers, port=port or 0)
    except OSError as error:
        taken = f"ports {port}-{port + 2}" if port else "a free port"
        raise UsageError(f"cannot listen on {taken}: {error.strerror}") from None
    if spec:
        sim.apply_faults(spec)
    sim.enable_control()
    sim.start()
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
