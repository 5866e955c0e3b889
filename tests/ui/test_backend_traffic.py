"""The backend bar tells the operator how hard each backend is hitting its API."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from tests.helpers.app import AppFactory, Settle
from tui.backends.base import PollUpdate, Traffic
from tui.console.screens.main_view import segment_view, traffic_text
from tui.console.widgets.backend_bar import BackendSegment
from tui.poller import BackendHealth, PollResult


def test_traffic_reads_as_rate_total_and_latency() -> None:
    """Counts with thousands separators, the latency in milliseconds; nothing when uncounted."""
    assert traffic_text(Traffic(1_022, 5, 0.0414)) == (
        "requests: 5 in the last minute, 1,022 in all; last took 41 ms"
    )
    assert traffic_text(Traffic(0, 0, None)) == "requests: 0 in the last minute, 0 in all"
    assert traffic_text(None) is None


def test_the_tooltip_carries_the_traffic_and_the_line_does_not() -> None:
    """The segment's line is unchanged; its tooltip says the counts (after any failure)."""
    now = datetime(2026, 3, 14, 12, tzinfo=UTC)
    result = PollResult("nova", PollUpdate(), None, now, 2.0, traffic=Traffic(12, 3, 0.02))
    view = segment_view(BackendHealth("nova").recorded(result), now, 60)
    quiet = segment_view(BackendHealth("nova").recorded(replace(result, traffic=None)), now, 60)
    assert view.text() == quiet.text()
    tooltip = view.tooltip()
    assert tooltip is not None and tooltip.plain.endswith(
        "3 in the last minute, 12 in all; last took 20 ms"
    )
    assert quiet.tooltip() is None


async def test_each_counting_backend_shows_its_requests(
    make_app: AppFactory, settle: Settle
) -> None:
    """After the first polls every backend's segment tooltip counts its requests."""
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        segments = {s.backend_name: s for s in app.main_screen.query(BackendSegment)}
        assert sorted(segments) == sorted(app.health) and len(segments) == 3
        for name, segment in segments.items():
            traffic = app.health[name].traffic
            assert traffic is not None and traffic.total > 0, name
            assert segment.tooltip is not None
            assert f"{traffic.total:,} in all" in str(segment.tooltip), name
