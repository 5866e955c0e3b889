"""Fault specs as text (``--fault`` and ``POST /__sim/faults``) map onto the fault knobs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.sim import deterministic_sim
from tui.sim.fault_spec import FaultSpecError, parse_spec


@pytest.mark.parametrize(
    ("fault", "knobs"),
    [
        ("503", {"status": 503}),
        ("401", {"status": 401}),
        ("429:30", {"status": 429, "retry_after": 30.0}),
        ("latency:5", {"latency": 5.0}),
        ("html", {"html": True}),
        ("malformed", {"malformed": True}),
        ("oversized:1000", {"oversized": 1000}),
        ("reset", {"reset": True}),
        ("expire-tokens", {"expire_tokens": True}),
        ("hostile", {"hostile_text": True}),
        ("403,path:/compute/*,times:2", {"status": 403, "path": "/compute/*", "remaining": 2}),
    ],
)
def test_each_fault_sets_its_knobs(fault: str, knobs: dict[str, Any]) -> None:
    assert parse_spec(f"openstack={fault}") == (("openstack",), False, knobs)


def test_body_reads_a_file_and_all_means_every_api(tmp_path: Path) -> None:
    payload = tmp_path / "body.json"
    payload.write_bytes(b'{"actions": [1]}')
    assert parse_spec(f"all=body:{payload}") == (
        ("seeweb", "openstack", "redis"),
        False,
        {"body": b'{"actions": [1]}'},
    )


@pytest.mark.parametrize(
    "spec", ["seeweb=200", "seeweb=latency:-1", "seeweb=times:x", "seeweb=", "x=503"]
)
def test_bad_specs_raise(spec: str) -> None:
    with pytest.raises(FaultSpecError):
        parse_spec(spec)


def test_ok_clears_and_a_bad_list_changes_nothing() -> None:
    with deterministic_sim() as sim:
        sim.apply_faults("seeweb=503 redis=latency:2")
        assert sim.seeweb.faults.status == 503 and sim.redis.faults.latency == 2
        with pytest.raises(FaultSpecError):
            sim.apply_faults("seeweb=ok redis=nonsense")
        assert sim.seeweb.faults.status == 503  # nothing applied
        sim.apply_faults("seeweb=ok,html")
        assert sim.seeweb.faults.status is None and sim.seeweb.faults.html
