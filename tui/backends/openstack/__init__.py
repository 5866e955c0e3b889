"""OpenStack Nova ``os-instance-actions`` through Keystone (keystoneauth1, clouds.yaml)."""

from tui.backends.openstack.spec import SPEC, OpenStackSettings

__all__ = ["SPEC", "OpenStackSettings"]
