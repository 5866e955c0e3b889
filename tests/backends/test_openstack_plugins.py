"""The option rules checked without keystoneauth1 are keystoneauth1's own, message for message.

``build()`` refuses bad inline credentials with :func:`plugins.refusal` so that it
need not import keystoneauth1; each combination of options here is also given to
keystoneauth1's loader, and both must refuse it with the same first line (or both
take it). A keystoneauth1 release that changes a rule fails here, not at a start.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from keystoneauth1 import exceptions as ksa

from tui.backends.openstack import auth, plugins
from tui.backends.openstack.credentials import OpenStackCredentials
from tui.config import ConfigError, validate_backends
from tui.connect import build_backend

ROOT = Path(__file__).resolve().parents[2]

_CHOICES: dict[str, tuple[Any, ...]] = {
    "auth_url": ("http://keystone.test/v3", None),
    "username": ("demo", None),
    "user_id": ("u-1", None),
    "user_domain_name": ("Default", None),
    "user_domain_id": ("default", None),
    "project_name": ("demo", None),
    "project_domain_name": ("Default", None),
    "project_domain_id": ("default", None),
    "password": ("pw", None),
    "application_credential_id": ("ac-1", None),
    "application_credential_name": ("ci", None),
    "application_credential_secret": ("s3cret", None),
}

_PLUGIN_OPTIONS = {
    "password": (
        "auth_url",
        "username",
        "user_id",
        "user_domain_name",
        "user_domain_id",
        "project_name",
        "project_domain_name",
        "project_domain_id",
        "password",
    ),
    "v3applicationcredential": (
        "auth_url",
        "username",
        "user_id",
        "user_domain_name",
        "user_domain_id",
        "application_credential_id",
        "application_credential_name",
        "application_credential_secret",
    ),
}
_PLUGIN_OPTIONS["v3password"] = _PLUGIN_OPTIONS["password"]


def _keystoneauth_says(plugin: str, options: dict[str, Any]) -> str | None:
    try:
        auth.plugin_loader(plugin).load_from_options(**options)
    except ksa.ClientException as exc:
        return plugins.first_line(exc)
    return None


_SECRET_OF = {
    "password": "password",
    "v3password": "password",
    "v3applicationcredential": "application_credential_secret",
}
"""The secret for which :func:`plugins.choose_plugin` picks each plugin (always given then)."""


def _combinations(plugin: str) -> list[dict[str, Any]]:
    names = _PLUGIN_OPTIONS[plugin]
    found = []
    for values in itertools.product(*(_CHOICES[name] for name in names)):
        options = {n: v for n, v in zip(names, values, strict=True) if v is not None}
        if _SECRET_OF[plugin] in options:
            found.append(options)
    return found


@pytest.mark.parametrize("plugin", ["password", "v3password", "v3applicationcredential"])
def test_every_combination_is_judged_as_keystoneauth_judges_it(plugin: str) -> None:
    combos = _combinations(plugin)
    verdicts = [(plugins.refusal(plugin, o), _keystoneauth_says(plugin, o)) for o in combos]
    pairs = zip(combos, verdicts, strict=True)
    assert [(options, ours, theirs) for options, (ours, theirs) in pairs if ours != theirs] == []
    refused = {ours for ours, _ in verdicts if ours}
    assert len(refused) >= (1 if plugin == "password" else 3)  # the rules were exercised
    assert any(ours is None for ours, _ in verdicts)


def test_the_plugin_is_chosen_as_before() -> None:
    """v3 directly for a v3 URL and a named user; discovery otherwise; app credentials first."""
    v3 = "http://keystone.test/identity/v3"
    named = OpenStackCredentials(auth_url=v3, username="u", user_domain_name="D", password="p")
    assert plugins.choose_plugin(named) == ("v3password", named.password_options())
    bare = OpenStackCredentials(auth_url="http://keystone.test/", username="u", password="p")
    assert plugins.choose_plugin(bare) == ("password", bare.password_options())
    both = OpenStackCredentials(auth_url=v3, password="p", application_credential_secret="s")
    assert plugins.choose_plugin(both) == ("v3applicationcredential", both.app_credential_options())
    assert plugins.choose_plugin(OpenStackCredentials(auth_url=v3)) is None


def _entry(**fields: Any) -> Any:
    """An OpenStack entry as the config file would give it (validated)."""
    (entry,) = validate_backends([{"name": "nova", "type": "openstack", **fields}])
    return entry


def test_build_refuses_bad_options_with_keystoneauths_words_and_no_secret() -> None:
    entry = _entry(
        auth_url="http://127.0.0.1:9/identity/v3",
        user_id="u-1",
        project_name="demo",
        password="hunter2-secret",
    )
    with pytest.raises(ConfigError) as raised:
        build_backend(entry)
    assert str(raised.value) == (
        "backend 'nova': You have provided a project_name. In the V3 identity API a "
        "project_name is only unique within a domain so you must also provide either a "
        "project_domain_id or project_domain_name."
    )


def test_build_of_inline_credentials_imports_no_keystoneauth() -> None:
    """The session is made at the first request: building imports no keystoneauth1 or requests."""
    code = (
        "import sys\n"
        "from tui.backends.openstack import OpenStackSettings\n"
        "from tui.backends.settings import Secret\n"
        "from tui.connect import build_backend\n"
        "entry = OpenStackSettings(name='nova', type='openstack', password=Secret('pw'),\n"
        "    auth_url='http://127.0.0.1:9/identity/v3', username='demo',\n"
        "    user_domain_name='Default', project_name='demo', project_domain_name='Default')\n"
        "backend = build_backend(entry)\n"
        "heavy = ('keystoneauth1', 'requests', 'urllib3', 'tui.backends.openstack.backend')\n"
        "print(backend.name, backend.made, sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "nova False []"
