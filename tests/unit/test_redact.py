"""The one redaction: a secret never survives it, whatever form it takes in a message."""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.backends.base import BackendError, RateLimitedError, Request
from tui.backends.redact import MASK, MIN_CUT, redact, redact_url

SECRETS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="*", exclude_categories=["Cs"]),
    min_size=6,
    max_size=40,
).filter(lambda secret: secret.strip() == secret and secret.strip())
"""Secrets as users have them: six characters or more, no ``*`` (the mask itself)."""

TEXT = st.text(max_size=80)


def _encodings(secret: str) -> list[str]:
    return [
        secret,
        quote(secret, safe=""),
        quote(secret, safe="").lower(),
        quote(secret),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    ]


@given(secret=SECRETS, before=TEXT, after=TEXT, form=st.integers(0, 6))
def test_a_secret_never_survives_in_any_spelling(
    secret: str, before: str, after: str, form: int
) -> None:
    spelled = _encodings(secret)[form]
    result = redact(f"{before}{spelled}{after}", [secret])
    assert secret not in result
    assert spelled not in result


@given(
    secret=SECRETS,
    before=TEXT,
    after=TEXT,
    cut=st.integers(1, 39),
    gap=st.sampled_from(["\n", " ", "\r\n  "]),
)
def test_a_secret_wrapped_across_lines_never_survives(
    secret: str, before: str, after: str, cut: int, gap: str
) -> None:
    cut = min(cut, len(secret) - 1)
    result = redact(f"{before}{secret[:cut]}{gap}{secret[cut:]}{after}", [secret])
    assert secret not in result
    assert secret[:cut] + gap + secret[cut:] not in result


@given(secret=SECRETS, before=TEXT, kept=st.integers(MIN_CUT, 39))
def test_a_message_cut_inside_a_secret_keeps_no_part_of_it(
    secret: str, before: str, kept: int
) -> None:
    kept = min(kept, len(secret) - 1)
    result = redact(f"{before}{secret[:kept]}", [secret])
    assert not result.endswith(secret[:kept])
    assert result.endswith(MASK)


@given(secrets=st.lists(SECRETS, min_size=1, max_size=3), text=TEXT)
def test_every_error_is_born_redacted(secrets: list[str], text: str) -> None:
    message = f"{text} {' and '.join(secrets)} {text}"
    error = RateLimitedError("b", message, 1.0, detail=message, secrets=secrets)
    for secret in secrets:
        assert secret not in str(error)
        assert secret not in error.reason and secret not in error.detail


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cannot reach https://u:s3cr3t@keystone/v3", "cannot reach https://***@keystone/v3"),
        ("X-Auth-Token: gAAAAB123abc refused", "X-Auth-Token: *** refused"),
        ("'x-auth-token': 'gAAAAB123abc'", "'x-auth-token': '***'"),
        ("Authorization: Basic YWRtaW46cHc=", "Authorization: Basic ***"),
        ('{"authorization": "Bearer abc.def"}', '{"authorization": "Bearer ***"}'),
        ("GET /v1/x?start=0&token=abc123&x=1", "GET /v1/x?start=0&token=***&x=1"),
        ("GET /v1/x?password=p%40ss", "GET /v1/x?password=***"),
        ("HTTP 503 Service Unavailable", "HTTP 503 Service Unavailable"),
    ],
)
def test_credentials_are_masked_without_knowing_them(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_a_short_secret_is_masked_whole_but_not_by_its_beginning() -> None:
    assert redact("pin 1234 then 12", ["1234"]) == "pin *** then 12"


def test_a_url_loses_userinfo_fragment_and_credential_query_values() -> None:
    url = "https://bob:pw@[::1]:8443/v3/x?token=t0ken&limit=5#frag"
    assert redact_url(url) == "https://[::1]:8443/v3/x?token=***&limit=5"
    assert redact_url("http://h/x", ["h/x"]) == "http://***"


def test_an_error_names_its_request_and_keeps_its_data() -> None:
    request = Request.of("GET", "/actions", "https://u:p@api.example/ecs/v2/actions?start=0")
    error = BackendError(
        "sw", "GET /actions: HTTP 418", status=418, request=request, detail="HTTP 418"
    )
    assert (error.backend, error.status, error.request, error.detail) == (
        "sw",
        418,
        Request("GET", "/actions", "https://api.example/ecs/v2/actions?start=0"),
        "HTTP 418",
    )
    assert str(error) == "sw: GET /actions: HTTP 418"
