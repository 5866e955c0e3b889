"""``actiondeck config init [PATH]``: write a commented starter config.

The file holds one example of each backend type, commented out, and the
refresh and UI settings with their defaults, also commented out: as written
it configures nothing and passes ``config check``; uncommenting one example
and exporting its secret makes a working config. It is created with mode
0600 (it may later hold a plain-text secret) and never replaces an existing
file unless ``force`` is set.
"""

from __future__ import annotations

import os
from pathlib import Path

from tui.cli.exits import UsageError

STARTER = """\
# ActionDeck config (TOML). Uncomment an example, export its secret, then run
#   actiondeck config check --probe
# Secrets come from an environment variable (*_env) or a command (*_command);
# a plain-text token/password here works but warns unless this file is private.

# [[backends]]
# name = "seeweb"                         # used in refs (seeweb:709) and filters
# type = "seeweb"
# url = "https://api.seeweb.it/ecs/v2"    # the default when omitted
# token_env = "SEEWEB_TOKEN"              # or token_command = "pass show seeweb/token"

# [[backends]]
# name = "nova"
# type = "openstack"
# cloud = "mycloud"                       # a clouds.yaml cloud, as `openstack --os-cloud`
# # or inline: auth_url = "https://keystone.example.com:5000/v3", username = "ops",
# # password_env = "OS_PASSWORD", project_name = "demo", user_domain_name = "Default",
# # project_domain_name = "Default", region_name = "RegionOne"

# [[backends]]
# name = "cache"
# type = "redis-enterprise"
# url = "https://cluster.example.com:9443"
# username = "ops@example.com"
# password_env = "RE_PASSWORD"
# ca_cert = "/etc/ssl/cluster-ca.pem"     # or verify = false, explicitly

# Every backend also takes timeout (seconds, default 15), verify and ca_cert.

# [refresh]                               # seconds
# busy_interval = 2                       # while a backend has actions in flight
# idle_interval = 10                      # otherwise
# max_backoff = 120
# stale_after = 60

# [ui]
# theme = "actiondeck-dark"               # actiondeck-light, actiondeck-high-contrast
# page_size = 0                           # rows per page; 0 follows the terminal
# bell = false
"""
"""The starter config (tests/cli/test_config_init.py checks it names every backend type)."""


def write_starter(path: Path, *, force: bool = False) -> Path:
    """Write :data:`STARTER` to ``path`` with mode 0600 (parent directories made).

    Raises:
        UsageError: ``path`` exists and ``force`` is not set, or cannot be written.
    """
    if path.exists() and not force:
        raise UsageError(f"{path}: already exists (--force overwrites it)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(path, flags, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            os.fchmod(file.fileno(), 0o600)  # an existing file keeps its mode otherwise
            file.write(STARTER)
    except OSError as error:
        raise UsageError(f"{path}: cannot write ({error.strerror})") from None
    return path
