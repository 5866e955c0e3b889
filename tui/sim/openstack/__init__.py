"""The simulated OpenStack cloud: Keystone, Nova (servers, instance actions) and Glance."""
