"""The embedded simulator: real HTTP servers speaking the Seeweb, OpenStack and Redis APIs.

Imports nothing from the UI. ``Simulator`` is the entry point. The names below
load their modules when first used, so that importing one small part (such as
:mod:`tui.sim.child`, which forks the simulator before the console starts)
does not build the whole simulator in the importing process.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.sim.clock import FROZEN_EPOCH, Clock, FrozenClock, RealClock
    from tui.sim.faults import Faults
    from tui.sim.simulator import Simulator

_HOMES = {
    "FROZEN_EPOCH": "tui.sim.clock",
    "Clock": "tui.sim.clock",
    "FrozenClock": "tui.sim.clock",
    "RealClock": "tui.sim.clock",
    "Faults": "tui.sim.faults",
    "Simulator": "tui.sim.simulator",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


__all__ = ["FROZEN_EPOCH", "Clock", "Faults", "FrozenClock", "RealClock", "Simulator"]
