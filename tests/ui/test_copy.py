"""``y``, ``Y`` and the palette's copy commands; OSC 52's size guard, ``ui.clipboard``, failures."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import platformdirs
import pytest
from textual.app import App
from textual.message import Message
from textual.notifications import Notify

from tests.helpers.app import AppFactory, Settle
from tui.cli.render import dumps_action
from tui.config import UiConfig
from tui.config.schema import validate_config
from tui.console.app import ActionDeckApp
from tui.console.clipboard import OSC52_LIMIT, Copied, copy_filename, deliver, osc52
from tui.console.copying import payload
from tui.console.palette import palette_commands
from tui.model import Action, Status

SIZE = (120, 36)
HOSTILE = "\x1b]52;c;cHduZWQ=\x07\u202e\x9b"


def capture_terminal(app: App[int], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    written: list[str] = []
    monkeypatch.setattr(app._driver, "write", written.append)
    return written


def toasts(messages: list[Message]) -> list[str]:
    return [m.notification.message for m in messages if isinstance(m, Notify)]


def decoded(sequence: str) -> str:
    assert sequence.startswith("\x1b]52;c;") and sequence.endswith("\x07")
    return base64.b64decode(sequence[7:-1]).decode()


async def select(app: ActionDeckApp, pilot: object, backend: str) -> Action:
    """Move the cursor to the first row of ``backend`` and return its action."""
    screen = app.main_screen
    refs = screen.table.refs
    index = next(i for i, ref in enumerate(refs) if ref.startswith(f"{backend}:"))
    screen.table.move_cursor(row=index)
    await pilot.pause()  # type: ignore[attr-defined]
    action = app.store.get(refs[index])
    assert action is not None and screen.selected_ref == action.ref
    return action


async def test_y_copies_the_selected_ref(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    app: ActionDeckApp = make_app()
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        ref = app.main_screen.selected_ref
        written = capture_terminal(app, monkeypatch)
        await pilot.press("y")
        await pilot.pause()

    assert ref and [decoded(w) for w in written] == [ref]
    assert app.clipboard == ref
    assert toasts(messages)[-1].startswith(f"Copied ref {ref} (1 line, ")


async def test_shift_y_copies_the_same_json_as_show_json(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    app: ActionDeckApp = make_app()
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        action = await select(app, pilot, "openstack")
        await settle(app, pilot)
        action = app.store.get(action.ref) or action
        written = capture_terminal(app, monkeypatch)
        await pilot.press("Y")
        await pilot.pause()

    [copied] = [decoded(w) for w in written]
    assert json.loads(copied) == json.loads(dumps_action(action))
    assert copied.isascii()
    assert toasts(messages)[-1].startswith(f"Copied JSON of {action.ref} (")


async def test_the_palette_copies_commands_without_secrets(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    commands = {command.title: command for command in palette_commands(app)}
    copied: dict[str, str] = {}
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        for backend in ("seeweb", "openstack", "redis"):
            action = await select(app, pilot, backend)
            commands["Copy as command: the backend's client"].run()
            copied[backend] = app.clipboard
            if backend == "openstack":
                commands["Copy as command: actiondeck show"].run()
                copied["show"] = app.clipboard
                server, request = action.id.split("/")
                copied["ids"] = f"{server} {request}"
        secrets = app.simulator.credentials if app.simulator else None

    assert copied["show"].startswith("actiondeck show openstack:")
    assert copied["openstack"].startswith("openstack --os-auth-url http://127.0.0.1:")
    assert copied["openstack"].endswith(f"server event show {copied['ids']}")
    assert " --os-username " in copied["openstack"]
    assert copied["seeweb"].startswith('curl -sS -H "X-APITOKEN: $SEEWEB_TOKEN" ')
    assert "/ecs/v2/actions/" in copied["seeweb"]
    assert copied["redis"].startswith('curl -sS -u "') and ':$RE_PASSWORD" ' in copied["redis"]
    assert "/v1/actions/" in copied["redis"]
    assert secrets is not None
    everything = "\n".join(copied.values())
    for secret in (secrets.seeweb_token, secrets.os_password, secrets.redis_password):
        assert secret not in everything


async def test_with_the_clipboard_off_a_copy_is_saved_to_a_file(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    app: ActionDeckApp = make_app(ui=UiConfig(clipboard="off"))
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        ref = app.main_screen.selected_ref
        written = capture_terminal(app, monkeypatch)
        await pilot.press("y")
        await pilot.pause()

    saved = platformdirs.user_data_path("actiondeck") / copy_filename(f"ref {ref}")
    assert written == [] and app.clipboard == ""
    assert saved.read_text(encoding="utf-8") == f"{ref}\n"
    assert (
        toasts(messages)[-1] == f"Saved ref {ref} to {saved} (the clipboard is off (ui.clipboard))"
    )


def test_the_clipboard_setting_is_validated() -> None:
    with pytest.raises(ValueError, match="clipboard"):
        validate_config({"ui": {"clipboard": "xclip"}})


class FakeApp:
    """Records what Textual's copy_to_clipboard would have sent."""

    def __init__(self) -> None:
        self.copied: list[str] = []

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)


class BrokenTerminal:
    def write(self, data: str) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_over_the_limit_the_text_goes_to_a_file_not_the_terminal(tmp_path: Path) -> None:
    app = FakeApp()
    text = "x" * (OSC52_LIMIT + 1)

    done = deliver(app, text, "JSON of a", mode="osc52", directory=tmp_path, writer=None)

    assert app.copied == []
    assert done.severity == "warning" and done.path == tmp_path / copy_filename("JSON of a")
    assert done.path.read_text(encoding="utf-8") == text + "\n"
    assert done.message == (
        f"Saved JSON of a to {done.path} "
        f"({OSC52_LIMIT + 1:,} bytes is too much for the terminal's clipboard)"
    )


def test_a_failed_write_is_a_visible_error(tmp_path: Path) -> None:
    done = deliver(
        FakeApp(),
        "abc",
        "ref a:1",
        mode="osc52",
        directory=tmp_path,
        writer=BrokenTerminal(),
        environ={"TMUX": "/tmp/tmux-1/default,1,0"},
    )

    assert done == Copied("Could not copy ref a:1: Broken pipe", "error")


def test_no_terminal_is_a_visible_error(tmp_path: Path) -> None:
    done = deliver(FakeApp(), "abc", "ref a:1", mode="osc52", directory=tmp_path, writer=None)

    assert done.severity == "error" and "no terminal" in done.message


def test_server_text_in_copies_is_inert_byte_for_byte() -> None:
    action = Action(
        ref=f"seeweb:7{HOSTILE}",
        backend=f"seeweb{HOSTILE}",
        backend_type="seeweb",
        id=f"7{HOSTILE}",
        name=f"create{HOSTILE}",
        status=Status.FAILED,
        message=f"boom{HOSTILE}",
    )

    texts = [payload(kind, action, None) for kind in ("ref", "json", "show")]
    pieces = [t.text + t.what for t in texts if not isinstance(t, str)]
    sequences = [osc52(piece) for piece in pieces]

    assert len(pieces) == 3
    for raw in [*pieces, *(sequence[7:-1] for sequence in sequences)]:
        assert not any(ch in raw for ch in ("\x1b", "\x07", "\u202e", "\x9b")), raw
    copied_json = texts[1]
    assert not isinstance(copied_json, str)
    assert json.loads(copied_json.text)["message"] == f"boom{HOSTILE}"
