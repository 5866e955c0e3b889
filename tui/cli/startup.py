"""A lighter start for the short commands and the console, in ``actiondeck``'s own process.

Nearly all of a ``list --json`` or a ``show`` is start-up: loading modules and
building models; so is the console until its first rows are on screen. While
it lasts (:func:`begin` to :func:`end`):

* the cyclic garbage collector is paused: start-up makes hundreds of
  thousands of objects that all live on, and each collection would walk
  them again for nothing; :func:`end` freezes them (``gc.freeze``: later
  collections skip them) and resumes collecting;
* pydantic's plugin scan is skipped (``PYDANTIC_DISABLE_PLUGINS``, unless the
  user set it: then it is theirs and left alone): the scan reads the entry
  points of every installed package, and no pydantic plugin has a use in
  these commands;
* ``requests`` is started without a character-set detector
  (``charset_normalizer``, the costliest module it loads): it only guesses
  the encoding of text answers that declare none, and Keystone's and Nova's
  answers are JSON (``requests`` then takes UTF-8, as JSON requires).

:func:`end` undoes the environment and module changes, so what runs later
(a secret command, an import of ``charset_normalizer``) sees the process as
it was (``requests``, loaded by then, keeps working without a detector).
:mod:`tui.cli.main` calls these only when it runs as the program (``main()``
without arguments), never for a caller that passes its own arguments (a
test, an embedding program). Imports nothing but the standard
library.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from collections.abc import Callable

COMMANDS = frozenset({"list", "show", "wait", "watch", "config", "history", None})
"""The commands started this way (``None``: the console, which ends it once its first
rows are drawn; the exporter and the simulator start as they always have)."""

PLUGINS_ENV = "PYDANTIC_DISABLE_PLUGINS"
HIDDEN_MODULES = ("charset_normalizer", "chardet")
"""Modules ``requests`` tries for character detection (it works without them)."""
_NO_DETECTOR_WARNING = r"Unable to find acceptable character detection dependency"

_undo: list[Callable[[], object]] = []
"""How to undo what :func:`begin` changed, in order."""
_state = {"started": False, "collecting": False}


def begin() -> None:
    """Start lightly (see the module docstring); idempotent until :func:`end`."""
    if _state["started"]:
        return
    _state["started"] = True
    _state["collecting"] = gc.isenabled()
    gc.disable()
    if PLUGINS_ENV not in os.environ:
        os.environ[PLUGINS_ENV] = "__all__"
        _undo.append(lambda: os.environ.pop(PLUGINS_ENV, None))
    hidden = [name for name in HIDDEN_MODULES if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # its import fails, as if absent
    if hidden:
        # requests warns once, at import, that it has no detector: it is ours to know.
        warnings.filterwarnings("ignore", message=_NO_DETECTOR_WARNING)
        _undo.append(lambda: _importable_again(hidden))


def end() -> None:
    """Undo :func:`begin`: freeze what start-up made, collect again; idempotent."""
    if not _state["started"]:
        return
    _state["started"] = False
    steps, _undo[:] = list(_undo), []
    for step in steps:
        step()
    if _state["collecting"]:
        gc.freeze()
        gc.enable()


def _importable_again(hidden: list[str]) -> None:
    """Let the hidden modules be imported again by whoever asks for them later."""
    for name in hidden:
        if name in sys.modules and sys.modules[name] is None:
            del sys.modules[name]


__all__ = ["COMMANDS", "begin", "end"]
