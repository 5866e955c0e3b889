"""What authenticating costs: one Keystone request for a v3 URL, discovery only when needed.

Counted by the simulator. A ``list`` or ``show`` of an OpenStack backend whose
``auth_url`` names Keystone v3 asks Keystone once (the token) and Nova's version
document once; an unversioned URL is discovered first, as keystoneauth does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.backends.base import ListQuery
from tui.backends.openstack.auth import OpenStackCredentials, names_v3
from tui.backends.openstack.backend import OpenStackBackend
from tui.cli.main import main
from tui.sim import Simulator


def _credentials(sim: Simulator, auth_url: str) -> OpenStackCredentials:
    creds = sim.credentials
    return OpenStackCredentials(
        auth_url=auth_url,
        username=creds.os_username,
        password=creds.os_password,
        project_name=creds.os_project,
        user_domain_name=creds.os_domain,
        project_domain_name=creds.os_domain,
    )


def _identity_and_versions(sim: Simulator) -> dict[str, int]:
    counts = sim.requests_by_family()["openstack"]
    return {
        family: count
        for family, count in counts.items()
        if count and (family.startswith("/identity") or family == "/compute/v2.1")
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://keystone.example:5000/v3", True),
        ("https://cloud.example/identity/v3/", True),
        ("https://keystone.example:5000", False),
        ("https://keystone.example:5000/v2.0", False),
        ("https://cloud.example/v3x", False),
    ],
)
def test_a_v3_url_is_recognised_by_its_path(url: str, expected: bool) -> None:
    assert names_v3(url) is expected


@pytest.mark.parametrize(
    ("path", "identity"),
    [
        ("/identity/v3", {"/identity/v3/auth/tokens": 1}),
        ("/identity", {"/identity": 1, "/identity/v3/auth/tokens": 1}),
    ],
    ids=["v3-url-used-as-given", "unversioned-url-discovered"],
)
async def test_one_listing_asks_keystone_once_and_reads_one_version_document(
    fresh_sim: Simulator, path: str, identity: dict[str, int]
) -> None:
    root = fresh_sim.auth_url.removesuffix("/identity/v3")
    backend = OpenStackBackend.from_credentials("nova", _credentials(fresh_sim, root + path))
    fresh_sim.reset_counts()
    try:
        page = await backend.list_actions(ListQuery(start=0, limit=50))
    finally:
        await backend.aclose()
    assert page.actions
    assert _identity_and_versions(fresh_sim) == {**identity, "/compute/v2.1": 1}


def test_show_asks_keystone_once(
    fresh_sim: Simulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    creds = fresh_sim.credentials
    monkeypatch.setenv("PW", creds.os_password)
    config = tmp_path / "nova.toml"
    config.write_text(
        f'[[backends]]\nname = "nova"\ntype = "openstack"\nauth_url = "{fresh_sim.auth_url}"\n'
        f'username = "{creds.os_username}"\npassword_env = "PW"\n'
        f'project_name = "{creds.os_project}"\nuser_domain_name = "{creds.os_domain}"\n'
        f'project_domain_name = "{creds.os_domain}"\n',
        encoding="utf-8",
    )
    assert main(["--config", str(config), "list", "--json", "--limit", "1"]) == 0
    ref = capsys.readouterr().out.split('"ref": "', 1)[1].split('"', 1)[0]
    fresh_sim.reset_counts()
    assert main(["--config", str(config), "show", ref, "--json"]) == 0
    assert _identity_and_versions(fresh_sim) == {
        "/identity/v3/auth/tokens": 1,
        "/compute/v2.1": 1,
    }


def test_an_application_credential_without_id_or_name_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """keystoneauth refuses the options: exit 2 with its reason, not an internal error."""
    monkeypatch.setenv("SECRET", "app-secret")
    config = tmp_path / "nova.toml"
    config.write_text(
        '[[backends]]\nname = "nova"\ntype = "openstack"\n'
        'auth_url = "http://127.0.0.1:9/identity/v3"\n'
        'application_credential_secret_env = "SECRET"\n',
        encoding="utf-8",
    )
    assert main(["--config", str(config), "list"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "actiondeck: backend 'nova': You must provide either an application credential ID "
        "or an application credential name and user."
    ]
    assert "app-secret" not in err
