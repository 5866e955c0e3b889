"""How one action's state is stored: the model's JSON, compressed with a trained dictionary.

The JSON is the model as ``show --json`` gives it, without the fields that
hold their default (they come back as defaults when it is read). Records of
one cloud look alike, so zstd with a dictionary trained on earlier records
(kept in the database, by id) stores one in about 120 bytes instead of 900,
in a few tens of microseconds (python-zstandard releases the GIL while it
works). Pure: no I/O, no SQL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, fields
from typing import Any

import pydantic_core
import zstandard

from tui.model import Action, Event, PendingOp, action_from_json, json_default

LEVEL = 3
"""zstd level: higher levels store a tenth less for four times the time."""

DICTIONARY_SIZE = 16 * 1024
"""Bytes of a trained dictionary (a larger one stores no less for these records)."""

DICTIONARY_SAMPLE = 64
"""Records needed to train a dictionary (fewer: records are stored without one)."""

TRAINING_RECORDS = 2000
"""At most this many records train a dictionary (training stays well under a second)."""

NO_DICTIONARY = 0
"""Dictionary id of a record compressed without one."""


_NESTED = ("events", "pending_ops", "raw", "from_history")
"""Fields :func:`state_json` writes by their own rule."""


def _with_defaults(model: type, skip: tuple[str, ...] = ()) -> tuple[tuple[str, Any], ...]:
    """(name, default) of each field (a field without one never equals ``_REQUIRED``)."""
    return tuple(
        (item.name, _REQUIRED if item.default is MISSING else item.default)
        for item in fields(model)
        if item.name not in skip
    )


_REQUIRED = object()
_ACTION_FIELDS = _with_defaults(Action, _NESTED)
_EVENT_FIELDS = _with_defaults(Event)
_OP_FIELDS = _with_defaults(PendingOp)


def _set_fields(item: object, defaults: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    """The fields of ``item`` that differ from their defaults, datetimes as ISO 8601 text."""
    data = {}
    for name, default in defaults:
        value = getattr(item, name)
        if value is default or (value == default and type(value) is type(default)):
            continue
        data[name] = value
    return data


def state_json(action: Action) -> bytes:
    """The action's JSON as ``show --json`` has it, without the fields that hold their default.

    Events and pending ops leave out their own defaults too; datetimes are
    written as ISO 8601 in UTC (``Z``, as pydantic wrote them before); read
    back by :func:`tui.model.action_from_json`.
    """
    data = _set_fields(action, _ACTION_FIELDS)
    if action.events:
        data["events"] = [_set_fields(event, _EVENT_FIELDS) for event in action.events]
    if action.pending_ops:
        data["pending_ops"] = [_set_fields(op, _OP_FIELDS) for op in action.pending_ops]
    raw = action.raw
    if raw:
        data["raw"] = raw
    try:
        return pydantic_core.to_json(data)  # several times faster than json.dumps
    except pydantic_core.PydanticSerializationError:  # a lone surrogate, a caller's own object
        text = json.dumps(data, default=json_default, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8", "surrogatepass")


def train(samples: Sequence[bytes]) -> bytes | None:
    """A dictionary trained on sample records, or ``None`` when there are too few."""
    if len(samples) < DICTIONARY_SAMPLE:
        return None
    step = max(1, len(samples) // TRAINING_RECORDS)
    try:
        trained = zstandard.train_dictionary(DICTIONARY_SIZE, list(samples[::step]))
    except zstandard.ZstdError:  # records too alike or too few to learn from
        return None
    return trained.as_bytes()


class Codec:
    """Compresses and decompresses records with the dictionaries it knows."""

    def __init__(self, dictionaries: Mapping[int, bytes] | None = None) -> None:
        self._dictionaries: dict[int, zstandard.ZstdCompressionDict] = {}
        self._compressors: dict[int, zstandard.ZstdCompressor] = {}
        self._decompressors: dict[int, zstandard.ZstdDecompressor] = {}
        for dictionary_id, data in (dictionaries or {}).items():
            self.add(dictionary_id, data)

    @property
    def newest(self) -> int:
        """The id new records are compressed with (:data:`NO_DICTIONARY` when none)."""
        return max(self._dictionaries, default=NO_DICTIONARY)

    def add(self, dictionary_id: int, dictionary: bytes) -> None:
        """Know one more dictionary."""
        self._dictionaries[dictionary_id] = zstandard.ZstdCompressionDict(dictionary)

    def encode(self, data: bytes, dictionary_id: int) -> bytes:
        """``data`` compressed with dictionary ``dictionary_id``."""
        compressor = self._compressors.get(dictionary_id)
        if compressor is None:
            compressor = zstandard.ZstdCompressor(
                level=LEVEL,
                dict_data=self._dictionaries.get(dictionary_id),
                write_checksum=True,
                write_dict_id=False,
            )
            self._compressors[dictionary_id] = compressor
        return compressor.compress(data)

    def decode(self, blob: bytes, dictionary_id: int) -> bytes:
        """The JSON a record holds.

        Raises:
            ValueError: the record is damaged or its dictionary is unknown.
        """
        try:
            decompressor = self._decompressors.get(dictionary_id)
            if decompressor is None:
                dictionary = None
                if dictionary_id != NO_DICTIONARY:
                    dictionary = self._dictionaries[dictionary_id]
                decompressor = zstandard.ZstdDecompressor(dict_data=dictionary)
                self._decompressors[dictionary_id] = decompressor
            return decompressor.decompress(blob)
        except (zstandard.ZstdError, KeyError) as exc:
            raise ValueError(f"damaged record ({exc})") from None

    def action(self, blob: bytes, dictionary_id: int) -> Action:
        """The action a record holds, marked as read from history.

        Raises:
            ValueError: the record is damaged or does not hold an action.
        """
        record = self.decode(blob, dictionary_id)
        try:
            data = pydantic_core.from_json(record)
        except ValueError:  # what pydantic-core refuses (a lone surrogate's escape) json reads
            try:
                data = json.loads(record)
            except RecursionError:
                raise ValueError("damaged record (nested too deep)") from None
        return action_from_json(data, from_history=True)
