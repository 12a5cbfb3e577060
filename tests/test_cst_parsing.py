"""cstkit.parsing: LibCST's parse with the parser's nodes unchecked, the same tree as
LibCST's own parse, every node built afterwards checked as always."""

from __future__ import annotations

import threading
from pathlib import Path

import libcst as cst
import pytest
from libcst import CSTNode

from migrate_async.cstkit import parsing
from migrate_async.cstkit.parsing import hook_only_validates, parse_module

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@pytest.fixture(autouse=True)
def _alone(request, monkeypatch) -> None:
    """The parse as in a process of one thread: in the whole suite, conftest.py's background
    runs keep threads alive (test_goldens), and the parse would rightly keep the hook there."""
    if "beside_another_thread" not in request.node.name:
        monkeypatch.setattr(parsing.threading, "active_count", lambda: 1)


def _sources() -> list[Path]:
    """This project's own modules and the golden before-cases: every construct the tool
    is asked to read."""
    return sorted((ROOT / "migrate_async").rglob("*.py"))[:60] + sorted((ROOT / "fixtures_before").rglob("*.py"))[:120]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_same_tree_as_libcst(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ours = parse_module(text)
    theirs = cst.parse_module(text)
    assert ours.deep_equals(theirs)
    assert ours.code == text


def test_parse_leaves_the_check_out_here() -> None:
    assert parsing._skippable(), "this LibCST's node hook is only the check: the fast parse is taken"


def test_the_hook_is_back_after_a_parse_and_after_a_failed_one() -> None:
    hook = CSTNode.__dict__["__post_init__"]
    parse_module("x = 1\n")
    assert CSTNode.__dict__["__post_init__"] is hook
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def (:\n")
    assert CSTNode.__dict__["__post_init__"] is hook


def _hook_during_parse(monkeypatch) -> list[object]:
    seen: list[object] = []
    real = cst.parse_module

    def recording(text):
        seen.append(CSTNode.__dict__["__post_init__"])
        return real(text)

    monkeypatch.setattr(parsing.cst, "parse_module", recording)
    return seen


def test_alone_the_parse_runs_without_the_hook(monkeypatch) -> None:
    seen = _hook_during_parse(monkeypatch)
    parse_module("x = 1\n")
    assert seen == [parsing._unchecked]


def test_beside_another_thread_the_parse_keeps_the_hook(monkeypatch) -> None:
    hook = CSTNode.__dict__["__post_init__"]
    seen = _hook_during_parse(monkeypatch)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        parse_module("x = 1\n")
    finally:
        release.set()
        other.join()
    assert seen == [hook]


def test_nodes_built_after_a_parse_are_checked() -> None:
    parse_module("x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")
    with pytest.raises(cst.CSTValidationError):
        cst.SimpleWhitespace("x")


def _hierarchy(hook_body: str, sub_hook: bool) -> type:
    scope: dict[str, object] = {}
    exec(  # noqa: S102 - a class hierarchy shaped like LibCST's, built for the guard
        "class Root:\n"
        f"    def __post_init__(self):\n        {hook_body}\n"
        "    def _validate(self):\n        pass\n"
        "class Middle(Root):\n    pass\n"
        "class Leaf(Middle):\n"
        + ("    def __post_init__(self):\n        pass\n" if sub_hook else "    pass\n"),
        scope,
    )
    return scope["Root"]  # type: ignore[return-value]


def test_guard_takes_a_hook_that_only_validates() -> None:
    assert hook_only_validates(_hierarchy("self._validate()", sub_hook=False))


def test_guard_refuses_a_hook_that_does_more() -> None:
    assert not hook_only_validates(_hierarchy("self._validate(); self._index()", sub_hook=False))


def test_guard_refuses_a_class_below_with_its_own_hook() -> None:
    assert not hook_only_validates(_hierarchy("self._validate()", sub_hook=True))


def test_guard_refuses_a_root_without_a_hook() -> None:
    class Bare:
        pass

    assert not hook_only_validates(Bare)
