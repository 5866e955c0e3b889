"""The words of the main screen's toasts: watched actions ending, backends failing, fetches.

Pure functions returning the text (already made safe, and bounded, with
:func:`tui.text.display_text`) and a severity; the screen shows them with
``notify(..., markup=False)``. Nothing here touches a widget.
"""

from __future__ import annotations

from typing import Literal

from tui.console.messages import FetchPurpose
from tui.format import status_text
from tui.model import Action, Status
from tui.poller import BackendHealth, HealthState
from tui.text import display_text

Severity = Literal["information", "warning", "error"]

_FETCH_WORDS = {
    FetchPurpose.PAGE: "load more",
    FetchPurpose.SEARCH: "search",
    FetchPurpose.PRELOAD: "load every action",
}


def describe(action: Action) -> str:
    """``resize on web-1 (openstack)``, safe to show."""
    where = f" on {display_text(action.resource)}" if action.resource else ""
    return f"{display_text(action.name)}{where} ({display_text(action.backend)})"


def watch_toggled(action: Action, watching: bool) -> str:
    """What ``w`` did."""
    what = describe(action)
    if not watching:
        return f"Stopped watching {what}"
    if action.status.is_final:
        return f"Watching {what} (already {action.status.value})"
    return f"Watching {what}: you will be told when it ends"


def action_settled(action: Action) -> tuple[str, Severity]:
    """A watched action has ended: ``✖ failed: resize on web-1 (openstack)``."""
    severity: Severity = "error" if action.status is Status.FAILED else "information"
    return f"{status_text(action.status)}: {describe(action)}", severity


def fetch_failed(backend: str, reason: str, purpose: FetchPurpose) -> str:
    """Loading more rows, searching or preloading failed."""
    return f"{display_text(backend)}: could not {_FETCH_WORDS[purpose]}: {display_text(reason)}"


def detail_failed(reason: str) -> str:
    """The full detail of the selected action could not be loaded."""
    return f"Could not load details: {display_text(reason)}"


class HealthNotices:
    """Says once when a backend starts failing (the backend bar keeps saying so)."""

    def __init__(self) -> None:
        self._states: dict[str, HealthState] = {}

    def changed(self, health: BackendHealth) -> str | None:
        """The toast for this health, if it has just turned to an error."""
        before = self._states.get(health.name)
        self._states[health.name] = health.state
        if health.state is not HealthState.ERROR or before is HealthState.ERROR:
            return None
        reason = display_text(health.last_error or "unknown error")
        return f"{display_text(health.name)}: {reason} (showing the last good data)"
