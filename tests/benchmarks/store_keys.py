"""The store's part of typing ``ec2004`` key by key: ``python store_keys.py COUNT POLLS``.

Prints one JSON line: the store's CPU seconds (``time.process_time``) for
each key, over three rounds of the six keys, and for each poll's merge. With ``POLLS`` 1, a poll is
merged before each key as the live demo's are: three new actions (the
newest), two running ones whose time moved them in the order and three
that ended. It imports ``tui`` from ``sys.path`` only, so that
``PYTHONPATH`` picks the code measured (the tree now, or the one of
``ACTIONDECK_BENCH_BEFORE``).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tui.model import Action, Status
from tui.search import parse_filter
from tui.store import ActionStore

T0 = datetime(2026, 3, 14, tzinfo=UTC)
TYPED = ["e", "ec", "ec2", "ec20", "ec200", "ec2004"]
STATUSES = list(Status)


def _action(n: int) -> Action:
    status = STATUSES[n % len(STATUSES)]
    return Action(
        ref=f"seeweb:{n}",
        backend="seeweb",
        backend_type="seeweb",
        id=str(n),
        name=("create_server", "resize", "delete_server")[n % 3],
        status=status,
        raw_status=status.value,
        progress=float(n % 101),
        resource=f"ec2{n % 5000:05d}",
        resource_type="ECS",
        user="alice",
        created_at=T0 - timedelta(seconds=n),
        started_at=T0 - timedelta(seconds=n - 1),
    )


def _poll(store: ActionStore, count: int, round_: int) -> None:
    """Three new actions, two that moved in the order, three that ended."""
    new = [
        replace(_action(n), ref=f"seeweb:new{n}", created_at=T0 + timedelta(seconds=n))
        for n in range(3 * round_, 3 * round_ + 3)
    ]
    moved = []
    for i in range(2):
        old = store.get(f"seeweb:{(round_ * 7919 + i * 104729) % count}")
        assert old is not None
        at = T0 - timedelta(seconds=(round_ * 15485863 + i) % count, milliseconds=500)
        moved.append(replace(old, created_at=at))
    ended = []
    for i in range(3):
        old = store.get(f"seeweb:{(round_ * 31337 + i * 7) % count}")
        assert old is not None
        ended.append(replace(old, status=Status.COMPLETED, progress=100.0))
    store.merge([*new, *moved, *ended])


def main(count: int, polls: bool) -> None:
    """Build the store, type the keys three times, print the seconds of each key and poll."""
    store = ActionStore()
    store.merge([_action(n) for n in range(count)])
    store.page(0, 40)
    middle = f"seeweb:{count // 2}"
    seconds: list[float] = []
    merges: list[float] = []
    for round_ in range(3):
        for at, text in enumerate(TYPED):
            if polls:
                began = time.process_time()
                _poll(store, count, round_ * len(TYPED) + at)
                merges.append(time.process_time() - began)
            action_filter = parse_filter(text)
            began = time.process_time()
            store.page(0, 40, action_filter)
            store.position(middle, action_filter)
            seconds.append(time.process_time() - began)
        store.page(0, 40)
        store.page(0, 40, parse_filter("status:failed"))  # another filter between the rounds
    print(json.dumps({"seconds": seconds, "merges": merges}))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2] == "1")
