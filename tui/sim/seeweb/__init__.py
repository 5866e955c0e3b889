"""The simulated Seeweb ECS v2 actions API.

plan → world → render → api: :mod:`~tui.sim.seeweb.plan` draws each action,
:mod:`~tui.sim.seeweb.world` knows which exist at a clock reading,
:mod:`~tui.sim.seeweb.render` writes one as wire JSON and
:mod:`~tui.sim.seeweb.api` serves them over HTTP.
"""
