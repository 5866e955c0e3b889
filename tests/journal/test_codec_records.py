"""Records the journal stored before the model became dataclasses read back as the same actions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.unit.test_action_json_golden import _actions
from tui.journal.codec import Codec, state_json

EARLIER = {
    "openstack": (
        '{"ref":"nova:e723eb40/req-5a42","backend":"nova","backend_type":"openstack",'
        '"id":"e723eb40/req-5a42","name":"resize","status":"failed","resource":"web-1",'
        '"resource_type":"server","user":"admin","project_id":"6f70656e",'
        '"created_at":"2018-04-25T01:26:29.585618Z","started_at":"2018-04-25T01:26:29.585618Z",'
        '"finished_at":"2018-04-25T01:27:50Z","updated_at":"2018-04-25T01:28:01Z",'
        '"message":"Error","events":[{"name":"compute_prep_resize","result":"Error",'
        '"started_at":"2018-04-25T01:26:30Z","finished_at":"2018-04-25T01:26:40Z",'
        '"host":"compute-1","host_id":"abc123","traceback":"Traceback (most recent call last):'
        '\\n  File x.py\\nValueError: no","attempts":2},{"name":"compute_prep_resize",'
        '"result":"Success","started_at":"2018-04-25T01:27:30Z",'
        '"finished_at":"2018-04-25T01:27:50Z","host":"compute-2","host_id":"def456",'
        '"details":"ok","attempt":2,"attempts":2}],"object_name":"e723eb40","raw":{'
        '"action":"resize","instance_uuid":"e723eb40","message":"Error",'
        '"project_id":"6f70656e","request_id":"req-5a42",'
        '"start_time":"2018-04-25T01:26:29.585618","updated_at":"2018-04-25T01:28:01.000000",'
        '"user_id":"admin","events":[{"event":"compute_prep_resize",'
        '"start_time":"2018-04-25T01:26:30.000000","finish_time":"2018-04-25T01:26:40.000000",'
        '"result":"Error","host":"compute-1","hostId":"abc123","details":null,'
        '"traceback":"Traceback (most recent call last):\\n  File x.py\\nValueError: no"},'
        '{"event":"compute_prep_resize","start_time":"2018-04-25T01:27:30Z",'
        '"finish_time":"2018-04-25T01:27:50+00:00","result":"Success","host":"compute-2",'
        '"hostId":"def456","details":"ok","traceback":null}]}}'
    ),
    "redis-enterprise": (
        '{"ref":"redis:a10586b1-60bc-428e-9bc6-392eb5f0d8ae","backend":"redis",'
        '"backend_type":"redis-enterprise","id":"a10586b1-60bc-428e-9bc6-392eb5f0d8ae",'
        '"name":"SMUpgradeBDB","status":"running","raw_status":"active","progress":57.5,'
        '"resource":"bdb:3","resource_type":"bdb","created_at":"2025-10-14T00:01:27Z",'
        '"updated_at":"2025-10-14T00:01:40Z","pending_ops":[{"shard":"2","op_name":"upgrade",'
        '"status_code":"done","status_description":"finished","progress":100.0,'
        '"last_sample_time":"2025-10-14T00:01:30Z","snapshot":{"shard":2,'
        '"keys":[1,2.5,null,true]}},{"shard":"10","op_name":"upgrade","status_code":"running",'
        '"progress":40.0,"heartbeat":"2025-10-14T00:01:39Z"}],"state":"running_upgrade",'
        '"node":"2","object_name":"bdb:3","action_type":"state-machine","raw":{'
        '"action_uid":"a10586b1-60bc-428e-9bc6-392eb5f0d8ae","name":"SMUpgradeBDB",'
        '"object_name":"bdb:3","status":"active","state":"running_upgrade","node_uid":"2",'
        '"progress":"57.5","creation_time":"1760400087","heartbeat":1760400100,'
        '"action_type":"state-machine","pending_ops":{"10":{"op_name":"upgrade",'
        '"status_code":"running","progress":40,"heartbeat":1760400099},"2":{'
        '"op_name":"upgrade","status_code":"done","status_description":"finished",'
        '"progress":"100","last_sample_time":"2025-10-14T00:01:30Z","snapshot":{"shard":2,'
        '"keys":[1,2.5,null,true]}}}}}'
    ),
}
"""Records as the journal wrote them before (pydantic's JSON: ``Z`` times, defaults left out)."""


@pytest.mark.parametrize("kind", sorted(EARLIER))
def test_an_earlier_record_reads_back_as_the_same_action(kind: str) -> None:
    codec = Codec()
    action = codec.action(codec.encode(EARLIER[kind].encode(), 0), 0)
    assert action.from_history
    assert replace(action, from_history=False) == _actions()[kind]


@pytest.mark.parametrize("kind", ["seeweb", "openstack", "redis-enterprise"])
def test_a_record_written_now_reads_back_as_the_same_action(kind: str) -> None:
    codec = Codec()
    action = _actions()[kind]
    record = state_json(action)
    assert b'"from_history"' not in record and b'"gone"' not in record  # defaults left out
    back = codec.action(codec.encode(record, 0), 0)
    assert back.from_history and replace(back, from_history=False) == action


@pytest.mark.parametrize("record", [b"[]", b'{"ref":"a:1"}', b"{", b'{"ref":1,"id":"1"}'])
def test_a_damaged_record_is_a_value_error(record: bytes) -> None:
    codec = Codec()
    with pytest.raises(ValueError):
        codec.action(codec.encode(record, 0), 0)


def test_text_that_is_not_unicode_is_stored_and_read_back() -> None:
    """A lone surrogate (a server's ``"\\ud800"`` escape) cannot be UTF-8: it still round-trips."""
    codec = Codec()
    action = replace(_actions()["seeweb"], message="half \ud800 a pair", raw={"note": "\udfff"})
    back = codec.action(codec.encode(state_json(action), 0), 0)
    assert replace(back, from_history=False) == action
