"""Fixtures of the console's Pilot tests (the helpers live in ``tests.helpers.app``).

``make_app`` builds apps watching ``fresh_sim``, a private deterministic
simulator, so a test may move its clock (``tests.helpers.sim.advance(fresh_sim, s)``) and
break it (``fresh_sim.seeweb.faults.update(status=503)``).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.helpers.app import (
    AppFactory,
    Polled,
    Settle,
    Until,
    app_factory,
    polls,
    settle_app,
    wait_until,
)
from tui.sim import Simulator


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes what the screen shows depend on time."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def make_app(fresh_sim: Simulator) -> AppFactory:
    """Build an app watching ``fresh_sim`` (keyword arguments go to ``ActionDeckApp``)."""
    return app_factory(fresh_sim)


@pytest.fixture
def settle() -> Settle:
    """``await settle(app, pilot)``: the app has polled once and finished fetching."""
    return settle_app


@pytest.fixture
def until() -> Until:
    """``await until(pilot, condition)``: run the app until ``condition()`` holds."""
    return wait_until


@pytest.fixture
def polled() -> Polled:
    """``polled(messages, backend=None)``: the poll results among recorded messages."""
    return polls
