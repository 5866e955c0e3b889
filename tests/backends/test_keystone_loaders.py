"""The keystoneauth1 plugin loaders are the ones its entry points name, found without a scan."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from tui.backends.openstack import auth


@pytest.mark.parametrize("name", ["password", "v3password", "v3applicationcredential"])
def test_each_loader_is_the_class_the_entry_point_names(name: str) -> None:
    (entry,) = entry_points(group="keystoneauth1.plugin", name=name)
    assert type(auth.plugin_loader(name)) is entry.load()


def test_a_loader_that_moved_is_found_through_the_entry_points(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    moved = {"password": "keystoneauth1.loading._plugins.identity.gone:Password"}
    monkeypatch.setattr(auth, "_LOADERS", moved)
    (entry,) = entry_points(group="keystoneauth1.plugin", name="password")
    assert type(auth.plugin_loader("password")) is entry.load()
