"""The embedded simulator: real HTTP servers speaking the Seeweb, OpenStack and Redis APIs.

Imports nothing from the UI. ``Simulator`` is the entry point.
"""

from tui.sim.clock import FROZEN_EPOCH, Clock, FrozenClock, RealClock
from tui.sim.faults import Faults
from tui.sim.simulator import Simulator

__all__ = ["FROZEN_EPOCH", "Clock", "Faults", "FrozenClock", "RealClock", "Simulator"]
