"""Every note the tool makes names its kind (read from the sources with ``ast``).

A note is made by ``self.note(...)`` in a transform (``migrate_async/transforms/``) or by
``Note(...)`` in the engine (``migrate_async/engine/``). Each passes ``kind=``: a kebab-case
slug, the same for every note of that sort whatever function or class it names (the report
groups repeated notes by it). A kind passed on in a variable (``kind=kind``) is checked where
the string is written: every string constant given as ``kind=``, and every kebab-looking
string that ends a tuple or an argument list feeding those variables, is checked here as well
as by the golden runs (which print each note's kind).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "migrate_async"
SOURCES = sorted([*(PACKAGE / "transforms").rglob("*.py"), *(PACKAGE / "engine").rglob("*.py")])
KEBAB = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")


def _note_calls(tree: ast.AST) -> list[ast.Call]:
    """``<anything>.note(...)`` and ``Note(...)`` calls (the definitions are not calls)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "note") or (isinstance(func, ast.Name) and func.id == "Note"):
            found.append(node)
    return found


def _kind_problem(call: ast.Call) -> str | None:
    """Why the call's ``kind=`` is missing or not a kebab-case slug, or None."""
    kind = next((k.value for k in call.keywords if k.arg == "kind"), None)
    if kind is None:
        return "passes no kind="
    if isinstance(kind, ast.Constant):
        if not isinstance(kind.value, str) or not KEBAB.match(kind.value):
            return f"kind={kind.value!r} is not a kebab-case slug"
        return None
    if isinstance(kind, ast.JoinedStr):  # f"test-{method}s-running-loop": each value read as a word
        text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in kind.values)
        return None if KEBAB.match(text) else f"kind={ast.unparse(kind)} is not a kebab-case slug"
    if isinstance(kind, ast.Name):
        return None  # carried from where it is written (checked below, and by the goldens)
    return f"kind={ast.unparse(kind)} is neither a string nor a name"


def _problems(source: str, label: str) -> list[str]:
    tree = ast.parse(source)
    return [
        f"{label}:{call.lineno}: {problem}"
        for call in _note_calls(tree)
        if (problem := _kind_problem(call)) is not None
    ]


def _carried_kinds(tree: ast.AST) -> list[ast.Constant]:
    """The one-word string constants third in a tuple of three or four (``(node, message,
    kind)``, ``(node, message, kind, left)``) whose second item is a message, and third in
    a ``_block(node, message, kind)``: the kinds handed on to a ``self.note(..., kind=kind)``
    through a list or a generator."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) in (3, 4):
            kind = node.elts[2]
            message = node.elts[1]
            if (
                isinstance(kind, ast.Constant)
                and isinstance(kind.value, str)
                and kind.value.strip() and not any(c.isspace() for c in kind.value)
                and isinstance(message, (ast.JoinedStr, ast.Constant, ast.Call))
            ):
                if isinstance(message, ast.Constant) and not (isinstance(message.value, str) and " " in message.value):
                    continue
                found.append(kind)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "_block" and len(node.args) == 3:
            kind = node.args[2]
            if isinstance(kind, ast.Constant):
                found.append(kind)
    return found


def test_the_checker_sees_what_it_looks_for() -> None:
    bad = (
        "self.note(node, 'message')\n"
        "self.note(node, 'message', kind='')\n"
        "self.note(node, 'message', kind='Not_Kebab')\n"
        "result.notes.append(Note(path, 1, 1, 'x', 'message'))\n"
        "self.note(node, 'message', kind=f'{a}_{b}')\n"
    )
    assert len(_problems(bad, "bad.py")) == 5
    good = (
        "self.note(node, 'message', kind='override-left', left=True)\n"
        "result.notes.append(Note(path, 1, 1, 'x', 'message', kind='pin-not-edited'))\n"
        "self.note(node, message, kind=f'test-{method}s-running-loop')\n"
        "for at, message, kind in notes:\n    self.note(at, message, kind=kind)\n"
        "def note(self, node, message, *, kind='', left=False): pass\n"
    )
    assert _problems(good, "good.py") == []
    carried = "self.plan.blockers.append((node, f'{name} uses it; convert it by hand', 'Yield_From'))\n"
    assert [c.value for c in _carried_kinds(ast.parse(carried))] == ["Yield_From"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_note_names_its_kind(path: Path) -> None:
    assert _problems(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE))) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_kinds_handed_on_are_kebab_case(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    wrong = [f"{c.lineno}: {c.value!r}" for c in _carried_kinds(tree) if not KEBAB.match(c.value)]
    assert wrong == []


def test_kinds_are_found_at_all() -> None:
    """The readers are not blind: the sources hold dozens of note calls and handed-on kinds."""
    calls = kinds = 0
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls += len(_note_calls(tree))
        kinds += len(_carried_kinds(tree))
    assert calls >= 70
    assert kinds >= 15


NOTE_LINE = re.compile(r"(?P<place>[^\s:][^:]*:\d+:\d+): (?P<transform>[a-z-]+): .* \[(?P<kind>[^\]]*)\]\Z")


def test_every_golden_note_shows_a_kebab_case_kind() -> None:
    """The golden runs print each note with its kind (``Note.format``): the kinds handed
    on in variables are checked there, on every note the goldens make."""
    root = PACKAGE.parent / "fixtures_after"
    lines = [
        (path, line)
        for path in sorted(root.rglob("*.notes"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("summary: ")
    ]
    assert len(lines) >= 40
    wrong = [
        f"{path.relative_to(root)}: {line[:80]}"
        for path, line in lines
        if (match := NOTE_LINE.match(line)) is None or not KEBAB.match(match["kind"])
    ]
    assert wrong == []
