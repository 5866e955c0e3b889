"""Nova's HTTP reads the environment's proxy settings as ``requests`` does, once per origin.

Real loopback HTTP to the simulated Keystone (a GET of its v3 document, which
any client may read): a proxy named in the environment is used (a dead one
makes the request fail), ``no_proxy`` exempts a host, and the settings a
session keeps for an origin are what ``requests`` itself works out.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
import requests

from tui.backends.base import UnreachableError
from tui.backends.openstack.nova_http import NovaHttp, _OriginSession
from tui.sim import Simulator

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """An environment that names no proxy (either case), for the test to fill in."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


async def test_a_proxy_in_the_environment_is_used_on_every_request(
    sim: Simulator, no_proxies: pytest.MonkeyPatch
) -> None:
    """Through a dead proxy every request fails; with the host in ``no_proxy`` each succeeds."""
    no_proxies.setenv("http_proxy", f"http://127.0.0.1:{free_port()}")
    http = NovaHttp("openstack", sim.auth_url, timeout=5)
    try:
        for _ in range(2):
            with pytest.raises(UnreachableError):
                await http.get_json("", headers={})
    finally:
        http.close()
    no_proxies.setenv("no_proxy", urlsplit(sim.auth_url).hostname or "")
    exempt = NovaHttp("openstack", sim.auth_url, timeout=5)
    try:
        for _ in range(2):
            assert "version" in await exempt.get_json("", headers={})
    finally:
        exempt.close()


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"http_proxy": "http://proxy.example:3128", "no_proxy": "exempt.example"},
        {"https_proxy": "http://proxy.example:3128", "REQUESTS_CA_BUNDLE": "/etc/ca.pem"},
    ],
)
def test_the_kept_settings_are_what_requests_works_out(
    environment: dict[str, str], no_proxies: pytest.MonkeyPatch
) -> None:
    """For each origin and each time it is asked, the same settings as a plain session's."""
    no_proxies.delenv("REQUESTS_CA_BUNDLE", raising=False)
    no_proxies.delenv("CURL_CA_BUNDLE", raising=False)
    for name, value in environment.items():
        no_proxies.setenv(name, value)
    kept, plain = _OriginSession(), requests.Session()
    urls = [
        "http://nova.example:8774/v2.1/servers",
        "https://nova.example/v2.1/servers/detail?changes-since=x",
        "http://exempt.example/v2.1/servers",
        "http://nova.example:8774/v2.1/servers/1/os-instance-actions",
    ]
    for url in urls * 2:
        for verify in (True, False, "/some/ca.pem"):
            expected = plain.merge_environment_settings(url, {}, True, verify, None)
            assert kept.merge_environment_settings(url, {}, True, verify, None) == expected
        kept.merge_environment_settings(url, {}, True, True, None)["proxies"]["http"] = "changed"
    assert kept.merge_environment_settings(urls[0], {}, True, True, None) == (
        plain.merge_environment_settings(urls[0], {}, True, True, None)
    )
    own = {"http": "http://own.example:1"}
    assert kept.merge_environment_settings(urls[0], own, None, True, None)["proxies"] == own
