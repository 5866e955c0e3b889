"""The pydantic schema of every ``[[backends]]`` entry, and how a valid one becomes settings.

A family's schema (its ``schema.py``) extends :class:`BackendSettings` here
with its own keys and a ``type: Literal[...]`` tag, and names the plain class
it makes (``PLAIN``, in its ``spec.py``). Models are strict (an unknown key is
an error) and frozen. URLs must be http(s) URLs that parse. Imported only to
validate a config file (:mod:`tui.config.schema`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr

from tui.backends import settings
from tui.backends.settings import Secret


def _http_url(value: str) -> str:
    """``value`` when it is an http(s) URL with a host that parses; else ``ValueError``."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError on a bad port
    except ValueError as exc:
        raise ValueError(f"not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("must be an http:// or https:// URL")
    if not parts.hostname or any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValueError("not a valid URL (no host, or spaces or control characters)")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
"""An ``http(s)://host[:port][/path]`` URL, checked when the config is read."""


class Strict(BaseModel):
    """Unknown keys are errors; validated settings never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    PLAIN: ClassVar[type[Any]]
    """The plain class a valid instance becomes (:func:`to_plain`)."""


class BackendSettings(Strict):
    """What every backend entry has: a name, a timeout and TLS settings.

    Each family adds its keys and narrows the tag to ``type: Literal["..."]``.
    """

    PLAIN: ClassVar[type[Any]] = settings.BackendSettings

    type: str
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    timeout: float = Field(default=15.0, gt=0, le=300)
    verify: bool = True
    ca_cert: Path | None = None


def to_plain(value: Any) -> Any:
    """``value`` with every validated model made its plain class, every ``SecretStr`` a
    :class:`~tui.backends.settings.Secret` (lists and tuples converted item by item)."""
    if isinstance(value, Strict):
        model = type(value)
        return model.PLAIN(**{name: to_plain(getattr(value, name)) for name in model.model_fields})
    if isinstance(value, SecretStr):
        return Secret(value.get_secret_value())
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    if isinstance(value, tuple):
        return tuple(to_plain(item) for item in value)
    return value
