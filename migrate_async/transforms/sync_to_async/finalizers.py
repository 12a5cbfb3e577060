"""sync-to-async's addfinalizer → yield conversion.

A fixture that registers a local ``def close()`` with ``request.addfinalizer(close)`` right
before its only ``return value`` cannot become a coroutine as it is: pytest calls a finalizer
and never awaits it. pytest runs a yield fixture's code after the ``yield`` at the same
teardown, and awaits it for an async fixture, so the fixture becomes ``yield value`` followed
by close's body. That keeps what runs when only where nothing else leaves the fixture and the
value cannot raise; :func:`registered_finalizer` says where.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ...cstkit.edits import is_docstring, remove_param
from ...cstkit.names import all_params, names_in
from ...pytest_model.fixtures import injectable_param
from .nodes import indented


@dataclass(frozen=True)
class Finalizer:
    """``def close(): ...`` then ``request.addfinalizer(close)`` right before the fixture's
    last statement, ``return value``."""

    close: cst.FunctionDef
    name: str
    request: str


def registered_finalizer(func: cst.FunctionDef) -> Finalizer | None:
    """The finalizer a sync fixture registers for its teardown, when moving it after a
    ``yield`` keeps what runs when: it is registered right before the only ``return`` (the
    last statement), defined in the body without parameters, decorators, ``return``,
    ``yield``, ``global`` or ``nonlocal``, and named nowhere else."""
    if not isinstance(func.body, cst.IndentedBlock) or len(func.body.body) < 3:
        return None
    body = func.body.body
    last, register = body[-1], body[-2]
    if not (isinstance(last, cst.SimpleStatementLine) and len(last.body) == 1 and isinstance(last.body[0], cst.Return)):
        return None
    if last.body[0].value is None or not (isinstance(register, cst.SimpleStatementLine) and len(register.body) == 1):
        return None
    call = register.body[0].value if isinstance(register.body[0], cst.Expr) else None
    if not (
        isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "addfinalizer"
        and isinstance(call.func.value, cst.Name) and len(call.args) == 1 and call.args[0].keyword is None
        and isinstance(call.args[0].value, cst.Name)
    ):
        return None
    request, name = call.func.value.value, call.args[0].value.value
    if request not in {p.name.value for p in all_params(func.params)}:
        return None
    close = next((s for s in body[:-2] if isinstance(s, cst.FunctionDef) and s.name.value == name), None)
    if close is None or close.asynchronous is not None or close.decorators or all_params(close.params):
        return None
    if not isinstance(close.body, cst.IndentedBlock) or _has_flow(close.body, (cst.Return, cst.Yield, cst.Global, cst.Nonlocal)):
        return None
    if _has_flow(func.body, (cst.Return, cst.Yield), skip=last):
        return None  # another way out of the fixture, or a generator already
    if any(name in names_in(stmt) for stmt in body if stmt is not register):
        return None  # named by its def and the registration only
    if not _plain_value(last.body[0].value):
        return None  # a value that may raise would skip the teardown the finalizer ran
    return Finalizer(close, name, request)


def _plain_value(expr: cst.BaseExpression | None) -> bool:
    """A name, a dotted name or a literal: handing it out cannot fail."""
    if isinstance(expr, cst.Attribute):
        return _plain_value(expr.value)
    return isinstance(expr, (cst.Name, cst.SimpleString, cst.Integer, cst.Float))


def _adds_finalizer(stmt: cst.BaseStatement, name: str) -> bool:
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr)):
        return False
    call = stmt.body[0].value
    return (
        isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "addfinalizer"
        and len(call.args) == 1 and isinstance(call.args[0].value, cst.Name) and call.args[0].value.value == name
    )


class _Collect(cst.CSTVisitor):
    """The nodes of ``kinds`` under what it visits (not below ``skip``; with ``nested``
    False, not inside a nested function, lambda or class)."""

    def __init__(self, kinds: tuple[type, ...], skip: cst.CSTNode | None = None, nested: bool = False) -> None:
        self.kinds, self.skip, self.nested = kinds, skip, nested
        self.found: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if node is self.skip:
            return False
        if isinstance(node, self.kinds):
            self.found.append(node)
        # a Return or Yield of a nested function, lambda or class is its own
        return self.nested or not isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef))


def _has_flow(block: cst.BaseSuite, kinds: tuple[type, ...], skip: cst.CSTNode | None = None) -> bool:
    """Whether ``block`` holds one of ``kinds`` of its own (not in a nested function or class)."""
    collector = _Collect(kinds, skip)
    for stmt in block.body if isinstance(block, cst.IndentedBlock) else ():
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            continue
        stmt.visit(collector)
    return bool(collector.found)


def inline_finalizer(node: cst.FunctionDef, finalizer: Finalizer) -> tuple[cst.FunctionDef, cst.Param | None]:
    """``def close(): ...`` / ``request.addfinalizer(close)`` / ``return value`` →
    ``yield value`` followed by close's body (pytest runs both at teardown; an async
    fixture's teardown awaits); ``request`` goes when nothing else reads it. Also returns
    the parameter that went (its imports may go with it)."""
    block = indented(node.body)
    close = next(s for s in block.body if isinstance(s, cst.FunctionDef) and s.name.value == finalizer.name)
    body: list[cst.BaseStatement] = []
    for stmt in block.body:
        if stmt is close or _adds_finalizer(stmt, finalizer.name):
            continue
        body.append(stmt)
    last = body[-1]
    assert isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[0], cst.Return)
    value = last.body[0].value
    body[-1] = last.with_changes(body=[cst.Expr(cst.Yield(value=value))])
    teardown = [stmt for stmt in indented(close.body).body if not is_docstring(stmt)] or [
        cst.SimpleStatementLine([cst.Pass()])
    ]
    comments = [line for line in close.leading_lines if line.comment is not None]
    teardown[0] = teardown[0].with_changes(leading_lines=[*comments, *teardown[0].leading_lines])
    node = node.with_changes(body=block.with_changes(body=[*body, *teardown]))
    removed: cst.Param | None = None
    if finalizer.request not in names_in(node.body):
        where, index = injectable_param(node, finalizer.request) or ("", -1)
        if index >= 0:
            removed = getattr(node.params, where)[index]
            node = node.with_changes(params=remove_param(node.params, where, index))
    return node, removed
