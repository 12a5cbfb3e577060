"""Pushing an override's loop scope onto ``pytest.mark.asyncio`` marks: one function for
tests, classes and the methods of a class."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst

from ...imports.resolve import ImportMap
from ...pytest_model.fixtures import with_loop_scope
from ...pytest_model.marks import MarkInfo, mark_info


def is_bare_asyncio(info: MarkInfo) -> bool:
    """An asyncio mark that says nothing about its loop: no ``loop_scope``/``scope``, no
    positional argument. The override's loop scope is pushed onto these."""
    return info.name == "asyncio" and info.sets_no_loop_scope


@dataclass(frozen=True)
class ScopedMarks:
    """What :func:`scope_asyncio_marks` made of a decorator list."""

    decorators: list[cst.Decorator]
    changed: bool
    #: with ``first_only``: the first asyncio mark, when it already says something of its
    #: loop (the caller reports it; nothing was changed)
    explicit: cst.Decorator | None = None


def scope_asyncio_marks(
    original: Sequence[cst.Decorator],
    updated: Sequence[cst.Decorator],
    imports: ImportMap,
    scope: str,
    new_mark: Callable[[], cst.Call],
    *,
    add_missing: str | None = None,
    first_only: bool = False,
    drop_bare: bool = False,
) -> ScopedMarks:
    """``loop_scope=<scope>`` on the bare asyncio marks of a decorator list.

    ``original`` is read (marks resolved through ``imports``), ``updated`` (the same
    length) is what is changed. ``add_missing``: where a new mark from ``new_mark()`` goes
    when there is no asyncio mark at all, "first" (a test) or "last" (a class); None adds
    none. ``first_only``: only the first asyncio mark counts, and when it is not bare
    nothing changes and it is returned as ``explicit`` (a class's own mark). ``drop_bare``:
    a mark of no arguments is removed instead (the class's or module's mark carries the
    scope, and a mark of the test's own would win over it).
    """
    decorators: list[cst.Decorator | None] = list(updated)
    found = changed = False
    for i, decorator in enumerate(original):
        info = mark_info(decorator.decorator, imports)
        if info is None or info.name != "asyncio":
            continue
        found = True
        if drop_bare and info.has_no_args:
            decorators[i] = None
            changed = True
        elif is_bare_asyncio(info):
            decorators[i] = decorators[i].with_changes(decorator=with_loop_scope(decorators[i].decorator, scope))
            changed = True
        elif first_only:
            return ScopedMarks(list(updated), False, explicit=decorator)
        if first_only:
            break
    kept = [d for d in decorators if d is not None]
    if not found and add_missing is not None:
        mark = cst.Decorator(decorator=new_mark())
        if add_missing == "first":
            kept.insert(0, mark)
        else:
            kept.append(mark)
        changed = True
    return ScopedMarks(kept, changed)


def map_methods(
    node: cst.ClassDef, select: Callable[[cst.FunctionDef], bool], change: Callable[[cst.FunctionDef], cst.FunctionDef]
) -> cst.ClassDef:
    """The class with ``change`` applied to the methods of its body that ``select`` picks."""
    assert isinstance(node.body, cst.IndentedBlock)
    body = [
        change(stmt) if isinstance(stmt, cst.FunctionDef) and select(stmt) else stmt for stmt in node.body.body
    ]
    return node.with_changes(body=node.body.with_changes(body=body))
