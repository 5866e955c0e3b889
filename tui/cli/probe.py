"""``actiondeck config check --probe``: connect to every backend, one line each.

Each backend is asked for its newest actions once (the same call as
``list``, bounded the same way), all at once. The line says whether it was
reachable and accepted the credentials, the API version or microversion in
use (when the backend reports one), how long the answer took, how many
requests that cost (when the backend counts them) and how many actions it
reported. Exit 3 when any backend fails. A backend is asked what it knows
(``api_version``, ``microversion``, ``stats``), never tested for its type;
what it does not report reads "not reported".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from tui.backends.base import (
    ActionPage,
    AuthError,
    Backend,
    BackendError,
    ListQuery,
    UnreachableError,
    traffic_of,
)
from tui.cli.commands import Output, bounded, call_budget, describe_error
from tui.cli.exits import EXIT_BACKEND, EXIT_OK
from tui.text import display_text

PROBE_WINDOW = 50
"""Actions asked of each backend."""


def api_version(backend: Backend) -> str | None:
    """The API version or microversion the backend speaks, when it says."""
    version = getattr(backend, "api_version", None)
    if isinstance(version, str) and version:
        return version
    micro = getattr(backend, "microversion", None)
    if isinstance(micro, tuple) and len(micro) == 2:
        return f"compute microversion {micro[0]}.{micro[1]}"
    return None


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


async def probe_one(backend: Backend) -> tuple[bool, str]:
    """Ask ``backend`` once: (it answered, the line describing how)."""
    before = traffic_of(backend)
    began = time.perf_counter()
    query = ListQuery(start=0, limit=PROBE_WINDOW)
    try:
        page: ActionPage = await bounded(backend, backend.list_actions(query), call_budget(backend))
    except AuthError as error:
        return False, f"FAIL  reachable, credentials refused: {display_text(error.reason)}"
    except UnreachableError as error:
        return False, f"FAIL  unreachable: {display_text(error.reason)}"
    except BackendError as error:
        return False, f"FAIL  reachable, but: {display_text(error.reason)}"
    except Exception as error:  # an unexpected failure is still one backend's line
        return False, f"FAIL  {describe_error(backend.name, error)}"
    elapsed = time.perf_counter() - began
    after = traffic_of(backend)
    if after is None:
        requests = "requests not counted"
    else:
        requests = _plural(after.total - (before.total if before else 0), "request")
    seen = page.total if page.total is not None else len(page.actions)
    parts = [
        "ok    reachable, auth accepted",
        api_version(backend) or "API version not reported",
        f"{elapsed * 1000:,.0f} ms",
        requests,
        f"{_plural(seen, 'action')} seen",
    ]
    return True, " · ".join(parts)


async def probe_backends(backends: Sequence[Backend], output: Output) -> int:
    """One line per backend on stdout; exit 3 when any failed, else 0."""
    results = await asyncio.gather(*(probe_one(b) for b in backends))
    width = max((len(b.name) for b in backends), default=0)
    for backend, (_, line) in zip(backends, results, strict=True):
        print(f"{display_text(backend.name).ljust(width)}  {line}", file=output.out)
    return EXIT_OK if all(ok for ok, _ in results) else EXIT_BACKEND
