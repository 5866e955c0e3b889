"""OpenStack Nova ``os-instance-actions`` through Keystone (keystoneauth1, clouds.yaml)."""
