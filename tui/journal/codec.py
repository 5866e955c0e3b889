"""How one action's state is stored: the model's JSON, deflated with a preset dictionary.

The JSON is the model as ``show --json`` gives it, without the fields that
hold their default (they come back as defaults when it is read). Records of
one cloud look alike, so zlib primed with a dictionary of earlier records
(kept in the database, by id) stores one in about 130 bytes instead of 900.
Pure: no I/O, no SQL.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence

from tui.model import Action

LEVEL = 6
"""zlib level: 1 is barely faster here and stores a third more."""

DICTIONARY_SIZE = 32 * 1024
"""zlib uses at most the last 32 KiB of a preset dictionary."""

DICTIONARY_SAMPLE = 64
"""Records that train a dictionary (fewer than this: no dictionary yet)."""

NO_DICTIONARY = 0
"""Dictionary id of a record deflated without one."""


def state_json(action: Action) -> bytes:
    """The action's JSON (defaults left out), as stored."""
    return action.model_dump_json(exclude_defaults=True).encode()


def train(samples: Sequence[bytes]) -> bytes | None:
    """A preset dictionary from sample records, or ``None`` when there are too few."""
    if len(samples) < DICTIONARY_SAMPLE:
        return None
    step = max(1, len(samples) // DICTIONARY_SAMPLE)
    return b"".join(samples[::step])[-DICTIONARY_SIZE:]


_HISTORY_MARK = b',"from_history":true}'
"""Closes a stored record's JSON object with the mark of an action read from history."""


class Codec:
    """Deflates and inflates records with the dictionaries it knows."""

    def __init__(self, dictionaries: Mapping[int, bytes] | None = None) -> None:
        self._dictionaries = dict(dictionaries or {})
        self._primed: dict[int, zlib._Compress] = {}

    @property
    def newest(self) -> int:
        """The id new records are deflated with (:data:`NO_DICTIONARY` when none)."""
        return max(self._dictionaries, default=NO_DICTIONARY)

    def add(self, dictionary_id: int, dictionary: bytes) -> None:
        """Know one more dictionary."""
        self._dictionaries[dictionary_id] = dictionary

    def encode(self, data: bytes, dictionary_id: int) -> bytes:
        """``data`` deflated with dictionary ``dictionary_id``."""
        if dictionary_id == NO_DICTIONARY:
            return zlib.compress(data, LEVEL)
        primed = self._primed.get(dictionary_id)
        if primed is None:
            zdict = self._dictionaries[dictionary_id]
            primed = zlib.compressobj(LEVEL, zlib.DEFLATED, 15, 8, zlib.Z_DEFAULT_STRATEGY, zdict)
            self._primed[dictionary_id] = primed
        deflate = primed.copy()  # copying a primed stream is cheaper than priming one
        return deflate.compress(data) + deflate.flush()

    def decode(self, blob: bytes, dictionary_id: int) -> bytes:
        """The JSON a record holds.

        Raises:
            ValueError: the record is damaged or its dictionary is unknown.
        """
        try:
            if dictionary_id == NO_DICTIONARY:
                return zlib.decompress(blob)
            zdict = self._dictionaries[dictionary_id]
            inflate = zlib.decompressobj(zdict=zdict)
            return inflate.decompress(blob) + inflate.flush()
        except (zlib.error, KeyError) as exc:
            raise ValueError(f"damaged record ({exc})") from None

    def action(self, blob: bytes, dictionary_id: int) -> Action:
        """The action a record holds, marked as read from history.

        Raises:
            ValueError: the record is damaged or does not hold an action.
        """
        data = self.decode(blob, dictionary_id).rstrip()
        if not data.endswith(b"}"):
            raise ValueError("damaged record (not a JSON object)")
        # The mark goes into the JSON itself: a model_copy would cost each action
        # its own field-name set (see Action.model_post_init).
        return Action.model_validate_json(data[:-1] + _HISTORY_MARK)
