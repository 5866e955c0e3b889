"""What ``y``, ``Y`` and the palette's "copy" commands put on the clipboard, for one action.

- ``ref``: the action's ``BACKEND:ID``, as ``actiondeck show`` takes it;
- ``json``: the action as ``actiondeck show --json`` prints it, every non-ASCII
  character escaped (the same JSON value, inert in a terminal and a paste);
- ``show``: ``actiondeck show REF``;
- ``native``: the backend's own client (``openstack server event show SERVER
  REQUEST``, a ``curl`` line for Seeweb and Redis Enterprise) naming the
  environment variable that holds the secret, never the secret.

Server text (ids, refs) is neutralised (:func:`tui.text.safe_text`) and
shell-quoted. Pure: no clipboard, no widgets.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any, Literal

from tui.backends import native_command
from tui.model import Action, action_to_json, dumps_json
from tui.text import display_text, safe_text

CopyKind = Literal["ref", "json", "show", "native"]

KINDS: tuple[CopyKind, ...] = ("ref", "json", "show", "native")


@dataclass(frozen=True, slots=True)
class Payload:
    """A text to copy and what to call it in the message."""

    what: str
    text: str


def payload(kind: CopyKind, action: Action, settings: Any | None) -> Payload | str:
    """What ``kind`` copies of ``action``, or why there is nothing to copy.

    Args:
        kind: which copy.
        action: the action.
        settings: its backend's settings (for the native command), if configured.
    """
    ref = safe_text(action.ref)
    shown = display_text(action.ref, 200)
    if kind == "ref":
        return Payload(f"ref {shown}", ref)
    if kind == "json":
        return Payload(f"JSON of {shown}", dumps_json(action_to_json(action), ascii_only=True))
    if kind == "show":
        return Payload("the actiondeck command", f"actiondeck show {shlex.quote(ref)}")
    command = native_command(settings, safe_text(action.id)) if settings is not None else None
    if command is None:
        return f"No client command is known for {display_text(action.backend)}."
    return Payload("the client command", command)
