"""The fields every ``[[backends]]`` entry has, and the URL type their settings use.

A family's settings model (in its ``spec.py``) extends :class:`BackendSettings`
with its own keys and a ``type: Literal[...]`` tag. Models are strict (an
unknown key is an error) and frozen. URLs must be http(s) URLs that parse.
This module reads no file and resolves no secret.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


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


class BackendSettings(Strict):
    """What every backend entry has: a name, a timeout and TLS settings.

    Each family adds its keys and narrows the tag to ``type: Literal["..."]``.
    """

    type: str
    """The family's tag, a :data:`tui.backends.REGISTRY` key."""
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    """Used in action refs (``NAME:ID``) and filters; letters, digits, ``_ . -``."""
    timeout: float = Field(default=15.0, gt=0, le=300)
    """Seconds to wait for one answer."""
    verify: bool = True
    """Verify TLS certificates. Turn off only for a cluster you trust."""
    ca_cert: Path | None = None
    """A CA bundle to trust instead of the system ones."""

    def tls_verify(self) -> bool | str:
        """What to pass to the HTTP client as ``verify``."""
        if not self.verify:
            return False
        return str(self.ca_cert.expanduser()) if self.ca_cert else True
