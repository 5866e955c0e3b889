"""Reading a traceback's text: the exception line, the innermost frame, repeated frames."""

from __future__ import annotations

from tui.console.screens.traceback_summary import summarise
from tui.console.widgets.traceback_parts import (
    Fold,
    exception_line,
    fold_rows,
    innermost_frame,
)
from tui.model import Event

FRAMES_ONLY = [  # Nova's traceback.format_tb: frames, no exception line
    '  File "/nova/compute/manager.py", line 4025, in reboot_instance',
    "    do_reboot_instance(context, instance)",
    '  File "/usr/lib/python3/dist-packages/libvirt.py", line 1409, in createWithFlags',
    "    raise libvirtError('virDomainCreateWithFlags() failed')",
]
WHOLE = ["Traceback (most recent call last):", *FRAMES_ONLY, "libvirt.libvirtError: boom"]


def frame(n: int) -> list[str]:
    return [f'  File "/x/f{n}.py", line {n}, in f{n}', f"    f{n + 1}()"]


def test_the_exception_line_is_read_only_when_there_is_one() -> None:
    assert exception_line(WHOLE) == "libvirt.libvirtError: boom"
    assert exception_line([*WHOLE, "", ""]) == "libvirt.libvirtError: boom"
    assert exception_line(FRAMES_ONLY) is None
    assert exception_line(["Traceback (most recent call last):"]) is None
    assert exception_line([]) is None


def test_the_innermost_frame_is_the_last_one_with_its_source_line() -> None:
    found = innermost_frame(WHOLE)

    assert found is not None
    assert found.location == "libvirt.py:1409 in createWithFlags"
    assert found.source == "raise libvirtError('virDomainCreateWithFlags() failed')"
    assert innermost_frame(["ValueError: x"]) is None


def test_a_frame_repeated_in_a_row_is_shown_once_and_counted() -> None:
    lines = ["Traceback (most recent call last):", *frame(1) * 50, *frame(2), "RecursionError: x"]

    rows = fold_rows(lines)

    assert rows[:3] == [0, 1, 2]
    fold = rows[3]
    assert isinstance(fold, Fold)
    assert (fold.frames, fold.times, fold.hidden) == (1, 49, range(3, 101))
    assert fold.text == "  [the frame above repeated 49 more times]"
    assert rows[4:] == [101, 102, 103]


def test_a_block_of_two_frames_repeated_is_folded_as_a_block() -> None:
    lines = [*(frame(1) + frame(2)) * 10, "RecursionError: x"]

    rows = fold_rows(lines)

    fold = next(row for row in rows if isinstance(row, Fold))
    assert (fold.frames, fold.times) == (2, 9)
    assert rows[:4] == [0, 1, 2, 3] and rows[-1] == 40
    assert "2 frames above repeated 9 more times" in fold.text


def test_frames_seen_twice_or_not_in_a_row_are_not_folded() -> None:
    lines = [*frame(1), *frame(1), *frame(2), *frame(1)]

    assert fold_rows(lines) == list(range(len(lines)))


def test_the_summary_names_the_attempt_and_neutralises_server_text() -> None:
    event = Event(
        name="compute_prep_resize",
        result="Error",
        host="compute-01\x1b]52;c;SGVsbG8=\x07",
        details='Failed to get "write" lock\x1b[2J',
        attempt=2,
        attempts=3,
    )

    summary = summarise(WHOLE, event=event)
    text = summary.text()

    assert summary.event == "compute_prep_resize, attempt 2 of 3"
    assert "host      compute-01␛]52;c;SGVsbG8=␇" in text
    assert 'details   Failed to get "write" lock␛[2J' in text
    assert "exception libvirt.libvirtError: boom" in text
    assert "innermost libvirt.py:1409 in createWithFlags" in text
    assert "\x1b" not in text and "\x07" not in text
    assert "\x1b" not in summary.content(80).plain
