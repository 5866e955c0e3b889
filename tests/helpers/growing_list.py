"""A Seeweb-like newest-first list that gains an action between two answers given out of order.

Requests asked for together may be answered in any order. :class:`OutOfOrder`
holds the request for ``start=late`` until the one for ``start=after`` has
been answered, then an action arrives at the top, and only then answers the
held one: the later page was read before the list moved down by one, the
earlier one after. Served over loopback by :class:`~tests.helpers.hostile.HostileServer`.
"""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.helpers.hostile import raw


class OutOfOrder:
    """``/actions`` of ids ``size`` down to 1 (newest first); one arrival between two answers."""

    def __init__(self, size: int, *, late: int, after: int) -> None:
        self.newest = size
        self.late, self.after = late, after
        self._after_answered = threading.Event()
        self._lock = threading.Lock()
        self._arrived = False
        self.answered: list[tuple[int, int]] = []
        """(start, total) of each answer, in the order given."""

    def behave(self, handler: Any) -> None:
        """Answer one ``/actions?start=&length=`` request."""
        query = parse_qs(urlsplit(handler.path).query)
        start, length = int(query["start"][0]), int(query["length"][0])
        if start == self.late and not self._arrived:
            self._after_answered.wait(5)  # bounded: a client that never asks it, reads in order
            with self._lock:
                self.newest += 1
                self._arrived = True
        with self._lock:
            newest = self.newest
            self.answered.append((start, newest))
        ids = range(newest - start, max(newest - start - length, 0), -1)
        actions = [
            {"id": n, "status": "completed", "type": "create_server", "resource": "ec2"}
            for n in ids
        ]
        raw(200, json.dumps({"status": "ok", "total_actions": newest, "actions": actions}))(handler)
        if start == self.after:
            self._after_answered.set()
