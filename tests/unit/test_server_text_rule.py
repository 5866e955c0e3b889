"""The rule "server text reaches a terminal only through tui.text" is checked on the source.

A server field (``action.name``, ``event.details``, ``op.shard``, a health's
``last_error`` …) may be turned into display text only by a call — to
:func:`tui.text.safe_text`, :func:`tui.text.display_text`, or a widget helper
built on them (``literal``, ``server_text``) — never by interpolating it into
an f-string or handing it straight to ``Content``/``Text``, where a control
character would pass through as it is. This test walks the syntax tree of
every module that writes to a terminal. It sees model fields used directly;
values handed on through parameters are covered by the tests that record
the bytes the console and the CLI write (tests/ui/test_hostile_text.py,
tests/cli/test_hostile_text_cli.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "tui"
TERMINAL_MODULES = sorted(
    [
        *ROOT.joinpath("widgets").glob("*.py"),
        *ROOT.joinpath("screens").glob("*.py"),
        *(
            ROOT / name
            for name in ("console/app.py", "console/palette.py", "cli/render.py", "cli/commands.py")
        ),
    ]
)

SERVER_FIELDS = frozenset(
    {
        # Action
        "ref", "backend", "name", "raw_status", "resource", "resource_type", "user", "message",
        "state", "node", "object_name", "raw",
        # Event
        "result", "host", "host_id", "details", "traceback",
        # PendingOp
        "shard", "op_name", "status_code", "status_description", "snapshot",
        # health and segments
        "last_error", "reason",
    }
)  # fmt: skip
"""Attributes of the model that hold text a server sent."""

OWN_NAMES = frozenset({"self", "cls", "spec", "theme", "section", "binding", "worker", "screen"})
"""Objects of ours whose ``name``-like attributes are not server text."""

BUILDERS = frozenset({"Content", "Text", "styled", "assemble"})


def _server_field(node: ast.AST) -> bool:
    """``something.<server field>`` where ``something`` is not one of our own objects."""
    if not isinstance(node, ast.Attribute) or node.attr not in SERVER_FIELDS:
        return False
    owner = node.value
    return not (isinstance(owner, ast.Name) and owner.id in OWN_NAMES)


def _builder(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in BUILDERS


def _neutralised_later(tree: ast.AST) -> set[int]:
    """Nodes inside ``output.error(...)``, which neutralises its whole line itself."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "error":
            inside.update(id(child) for arg in node.args for child in ast.walk(arg))
    return inside


def violations(source: str) -> list[str]:
    """Where a server field becomes display text without going through a call."""
    found: list[str] = []
    tree = ast.parse(source)
    later = _neutralised_later(tree)
    for node in ast.walk(tree):
        if id(node) in later:
            continue
        if isinstance(node, ast.FormattedValue) and _server_field(node.value):
            found.append(
                f"line {node.value.lineno}: f-string interpolates {ast.unparse(node.value)}"
            )
        if isinstance(node, ast.Call) and _builder(node):
            pieces = [*node.args]
            pieces += [elt for arg in node.args if isinstance(arg, ast.Tuple) for elt in arg.elts]
            for piece in pieces:
                if _server_field(piece):
                    found.append(
                        f"line {piece.lineno}: {ast.unparse(node.func)}({ast.unparse(piece)})"
                    )
    return found


@pytest.mark.parametrize("module", TERMINAL_MODULES, ids=lambda path: path.name)
def test_server_fields_reach_the_terminal_only_through_tui_text(module: Path) -> None:
    assert violations(module.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        'Content.styled(f"({note.resource_type})", MUTED)',
        "Content.assemble(literal(value), (action.object_name, MUTED))",
        "Text(event.details)",
        'self.notify(f"{health.last_error}")',
    ],
)
def test_the_check_catches_a_server_field_slipping_through(source: str) -> None:
    assert violations(source)


def test_the_check_accepts_the_one_path() -> None:
    source = 'literal(action.name, "bold"); f"{display_text(event.host)}"'
    assert violations(source) == []
    assert violations('output.error(f"{ref}: {error.reason}")') == []  # error() neutralises
