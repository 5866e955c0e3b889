"""The simulated OpenStack cloud: Keystone, Nova (servers, instance actions) and Glance.

plan → world → render → api, as every simulated API family:

- :mod:`~tui.sim.openstack.catalog` (action kinds, events, failures) and
  :mod:`~tui.sim.openstack.plan` (one instance action, planned once);
- :mod:`~tui.sim.openstack.world` (the project, its servers and actions at a
  clock reading) and :mod:`~tui.sim.openstack.inventory` (what servers are
  made of, the state their actions leave them in);
- :mod:`~tui.sim.openstack.render` (Nova's JSON for instance actions, per
  microversion) and :mod:`~tui.sim.openstack.server_views` (for servers and
  flavors);
- :mod:`~tui.sim.openstack.api` (one HTTP server mounting
  :mod:`~tui.sim.openstack.keystone`, :mod:`~tui.sim.openstack.nova` and
  :mod:`~tui.sim.openstack.glance`; Nova serves
  :mod:`~tui.sim.openstack.servers` and
  :mod:`~tui.sim.openstack.instance_actions`).
"""
