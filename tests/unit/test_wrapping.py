"""Hanging-indent wrapping: text stays in its column and no character is lost or added."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual.content import Content

from tui.console.widgets.wrapping import MIN_BODY_WIDTH, Token, flow, flow_lines, hang

WORDS = st.text(alphabet="abcdefghij✖✔·:-/", min_size=1, max_size=12)


def test_hang_keeps_continuation_lines_under_the_body() -> None:
    shown = hang(Content("user    "), Content("alpha beta gamma delta"), 20)

    assert shown.plain.splitlines() == ["user    alpha beta", "        gamma delta"]


def test_hang_folds_a_word_longer_than_the_column() -> None:
    shown = hang(Content("ref  "), Content("openstack:0123456789abcdef"), 15)

    assert shown.plain.splitlines() == ["ref  openstack:", "     0123456789", "     abcdef"]


def test_hang_leaves_text_alone_when_it_fits_or_the_width_is_unknown() -> None:
    body = Content("2026-03-14 12:00:05 UTC (3m 04s ago)")

    assert hang(Content("created "), body, 80).plain == f"created {body.plain}"
    assert hang(Content("created "), body, None).plain == f"created {body.plain}"
    too_narrow = len("created ") + MIN_BODY_WIDTH - 1
    assert hang(Content("created "), body, too_narrow).plain == f"created {body.plain}"


def test_hang_keeps_the_styles_of_prefix_and_body() -> None:
    label = Content.styled("label ", "$foreground-muted")
    shown = hang(label, Content.styled("aaaaa bbbbb", "bold"), 14)

    assert shown.plain == "label aaaaa\n      bbbbb"
    styles = {(span.start, span.end, str(span.style)) for span in shown.spans}
    assert {(0, 6, "$foreground-muted"), (6, 11, "bold"), (18, 23, "bold")} <= styles


def test_flow_breaks_between_pieces_never_inside_one() -> None:
    pieces = [Content(p) for p in ("prep_resize —", "3 attempts:", "✖ Error,", "✔ Success")]

    assert flow(pieces, 30).plain.splitlines() == [
        "prep_resize — 3 attempts:",
        "  ✖ Error, ✔ Success",
    ]
    assert flow(pieces, None).plain == "prep_resize — 3 attempts: ✖ Error, ✔ Success"


@given(st.lists(WORDS, min_size=1, max_size=12), st.integers(min_value=1, max_value=60))
def test_flow_loses_and_adds_nothing_and_fits_when_it_can(words: list[str], width: int) -> None:
    lines = flow_lines([Content(word) for word in words], width, indent=2)

    assert " ".join(line.plain for line in lines) == " ".join(words)
    for index, line in enumerate(lines):
        room = width - (2 if index else 0)
        assert line.cell_length <= room or " " not in line.plain


def test_a_token_breaks_after_its_separators_and_cuts_only_a_part_wider_than_the_line() -> None:
    ref = Token(Content("openstack:0123456789abcdef/req-1"))

    assert hang(Content("ref  "), ref, 25).plain.splitlines() == [
        "ref  openstack:",
        "     0123456789abcdef/",
        "     req-1",
    ]
    assert hang(Content("ref  "), ref, 15).plain.splitlines() == [
        "ref  openstack:",
        "     0123456789",
        "     abcdef/",
        "     req-1",
    ]
    assert hang(Content("ref  "), ref, 80).plain == "ref  openstack:0123456789abcdef/req-1"


@given(st.lists(WORDS, min_size=1, max_size=8), st.integers(MIN_BODY_WIDTH, 30))
def test_a_token_loses_no_character_and_stays_in_its_column(words: list[str], room: int) -> None:
    text = "".join(words).replace(" ", "")
    lines = hang(Content("ref "), Token(Content(text)), room + 4).plain.splitlines()

    assert "".join(line[4:] for line in lines) == text
    assert all(len(line) <= room + 4 and line.startswith(("ref ", "    ")) for line in lines)
