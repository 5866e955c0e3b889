"""The simulated Redis Enterprise Software cluster: actions, state machines, pending ops.

plan → world → render → api: :mod:`~tui.sim.redis_enterprise.plan` (the shape
of one action and its builders), :mod:`~tui.sim.redis_enterprise.world` (which
actions the cluster runs, and which it knows at a clock reading),
:mod:`~tui.sim.redis_enterprise.render` (the wire objects at an instant) and
:mod:`~tui.sim.redis_enterprise.api` (the HTTP routes and Basic auth).
"""
