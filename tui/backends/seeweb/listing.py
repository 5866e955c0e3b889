"""Read a Seeweb ``/actions`` page straight from its bytes, each payload kept as its own text.

Decoding a page of a thousand actions into dicts and packing each dict again
for the store cost more than reading the actions did. Here :mod:`msgspec`
reads the page's list of actions without decoding its entries (each one's
bytes as they came), then from each entry only the fields an action is made
of; the entry's text is the action's payload, decoded when it is read (the
detail's JSON, ``--json``).

The actions are those that decoding the page under the payload rules
(:func:`tui.json_body.loads`) and parsing each entry
(:func:`~tui.backends.seeweb.wire.parse_or_none`) give. Where this reader
cannot vouch for that, it answers ``None`` and the page takes that path,
which also says what is wrong with a page that is wrong:

* bytes that :mod:`msgspec` would not decode as the rules do
  (:func:`tui.json_body.decodes_alike`);
* anything :mod:`msgspec` refuses: not an object with a list of actions, an
  entry that is not an object, a non-finite or out-of-range number or a lone
  surrogate anywhere;
* a page whose brackets allow a nesting deeper than the rules accept.

Pure: a big page is read in a worker thread.
"""

from __future__ import annotations

from typing import Any

import msgspec

from tui.backends.base import UnreadableEntryError
from tui.backends.seeweb.wire import action_of, parse_total
from tui.json_body import MAX_DEPTH, containers_bound, decodes_alike
from tui.model import Action


class _Fields(msgspec.Struct):
    """The fields of one listed action that its :class:`Action` is made of (others skipped).

    Typed ``Any``: a mistyped value is read as :func:`action_of` reads it
    from a decoded object, not refused.
    """

    id: Any = None
    status: Any = None
    progress: Any = None
    type: Any = None
    resource: Any = None
    resource_type: Any = None
    user: Any = None
    created_at: Any = None
    started_at: Any = None
    completed_at: Any = None


class _Page(msgspec.Struct):
    """One ``/actions`` answer: its entries undecoded, and its total."""

    actions: list[msgspec.Raw]
    total_actions: Any = None


_PAGE = msgspec.json.Decoder(_Page)
_FIELDS = msgspec.json.Decoder(_Fields)

_REFUSED = (msgspec.DecodeError, msgspec.ValidationError, RecursionError)

Entries = tuple[list[Action | None], int | None]
"""One ``/actions`` answer read: its entries (``None`` where unreadable) and its total."""


def read_page(backend: str, content: bytes) -> Entries | None:
    """The entries and total of the ``/actions`` answer ``content``, or ``None`` (see above)."""
    if not decodes_alike(content):
        return None
    try:
        page = _PAGE.decode(content)
        entries = page.actions
        fields = list(map(_FIELDS.decode, entries))
    except _REFUSED:
        return None
    # Every entry is an object. A path from the page down passes through the
    # page's object, its list and one entry: every other bracket may add a level.
    if 3 + containers_bound(content) - (len(entries) + 2) > MAX_DEPTH:
        return None
    actions: list[Action | None] = []
    add = actions.append
    for each, entry in zip(fields, entries, strict=True):
        try:
            add(
                action_of(
                    backend,
                    "/actions",
                    str(entry, "utf-8"),  # the payload, as it came
                    each.id,
                    each.status,
                    each.progress,
                    each.type,
                    each.resource,
                    each.resource_type,
                    each.user,
                    each.created_at,
                    each.started_at,
                    each.completed_at,
                )
            )
        except UnreadableEntryError:
            add(None)  # keeps its place, counted as unreadable
    return actions, parse_total(page.total_actions)


__all__ = ["Entries", "read_page"]
