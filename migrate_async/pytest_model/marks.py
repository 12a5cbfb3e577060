"""pytest marks on functions and classes and in ``pytestmark`` assignments."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from ..cstkit.names import CallArguments, dotted_name
from ..imports.resolve import ImportMap


@dataclass(frozen=True)
class MarkInfo(CallArguments):
    """A pytest mark expression: ``pytest.mark.NAME`` or ``pytest.mark.NAME(...)``."""

    name: str
    expr: cst.BaseExpression
    call: cst.Call | None

    # -- "bare": three questions, each with its own name --------------------------------
    @property
    def is_bare(self) -> bool:
        """Written without parentheses: ``pytest.mark.NAME``, not ``pytest.mark.NAME()``."""
        return self.call is None

    @property
    def has_no_args(self) -> bool:
        """Nothing passed: ``pytest.mark.NAME`` or ``pytest.mark.NAME()``."""
        return not self.args

    @property
    def has_only_dead_args(self) -> bool:
        """No argument that pytest-asyncio reads: none at all, or only keywords from
        ``ASYNCIO_DEAD_KWARGS`` (``forbid_global_loop=``)."""
        return all(a.keyword is not None and a.keyword.value in ASYNCIO_DEAD_KWARGS for a in self.args)

    @property
    def sets_no_loop_scope(self) -> bool:
        """Neither ``loop_scope=`` nor ``scope=`` nor a positional or starred argument (any
        of which may name a loop scope); other keywords (``loop_factories=``) may be there."""
        if self.kwarg("loop_scope") is not None or self.kwarg("scope") is not None:
            return False
        return not any(a.keyword is None for a in self.args)

    def loop_scope_arg(self) -> cst.BaseExpression | None:
        """The loop scope the mark asks for (``loop_scope=``, ``scope=`` or a lone
        positional argument), as written; None when it names none."""
        for key in ("loop_scope", "scope"):
            arg = self.kwarg(key)
            if arg is not None:
                return arg.value
        positional = [a for a in self.args if a.keyword is None and not a.star]
        return positional[0].value if len(positional) == 1 else None


#: Keyword arguments of ``pytest.mark.asyncio`` that only pytest-asyncio <= 0.5 read.
ASYNCIO_DEAD_KWARGS = frozenset({"forbid_global_loop"})


def mark_info(expr: cst.BaseExpression, imports: ImportMap) -> MarkInfo | None:
    call = expr if isinstance(expr, cst.Call) else None
    target = call.func if call is not None else expr
    full = imports.qualify(target)
    if full is None:
        return None
    parts = full.split(".")
    if len(parts) == 3 and parts[0] == "pytest" and parts[1] == "mark":
        return MarkInfo(parts[2], expr, call)
    return None


def decorator_marks(decorators: Iterable[cst.Decorator], imports: ImportMap) -> list[tuple[cst.Decorator, MarkInfo]]:
    result = []
    for decorator in decorators:
        info = mark_info(decorator.decorator, imports)
        if info is not None:
            result.append((decorator, info))
    return result


def pytestmark_assignments(body: Sequence[cst.BaseStatement]) -> list[cst.Assign | cst.AnnAssign]:
    """``pytestmark = ...`` statements directly in a module or class body."""
    found: list[cst.Assign | cst.AnnAssign] = []
    for stmt in body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign):
                if any(isinstance(t.target, cst.Name) and t.target.value == "pytestmark" for t in small.targets):
                    found.append(small)
            elif isinstance(small, cst.AnnAssign):
                if isinstance(small.target, cst.Name) and small.target.value == "pytestmark":
                    found.append(small)
    return found


def marks_in_value(value: cst.BaseExpression | None, imports: ImportMap) -> list[MarkInfo]:
    """The marks in a ``pytestmark`` value: one mark, or a list/tuple of marks."""
    if value is None:
        return []
    if isinstance(value, (cst.List, cst.Tuple)):
        result = []
        for element in value.elements:
            if isinstance(element, cst.Element):
                info = mark_info(element.value, imports)
                if info is not None:
                    result.append(info)
        return result
    info = mark_info(value, imports)
    return [info] if info is not None else []


def pytestmark_marks(body: Sequence[cst.BaseStatement], imports: ImportMap) -> list[MarkInfo]:
    result: list[MarkInfo] = []
    for assignment in pytestmark_assignments(body):
        result.extend(marks_in_value(assignment.value, imports))
    return result


def augments_pytestmark(body: Sequence[cst.BaseStatement]) -> bool:
    """``pytestmark += ...`` or ``pytestmark.append(...)``: marks that cannot be listed statically."""
    for stmt in body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
                if small.target.value == "pytestmark":
                    return True
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                func = small.value.func
                if isinstance(func, cst.Attribute) and dotted_name(func.value) == "pytestmark":
                    return True
    return False


def alias_candidates(body: Sequence[cst.BaseStatement]) -> Iterator[tuple[str, cst.BaseExpression]]:
    """Module-level ``name = value`` bindings that may bind a mark (``slow =
    pytest.mark.slow``): one target, a plain name, not ``pytestmark``; in order."""
    for stmt in body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target = small.targets[0].target
                if isinstance(target, cst.Name) and target.value != "pytestmark":
                    yield target.value, small.value


def mark_aliases(body: Sequence[cst.BaseStatement], imports: ImportMap) -> dict[str, cst.BaseExpression]:
    """Module-level ``name = pytest.mark.X(...)`` bindings (other than ``pytestmark``)."""
    return {name: value for name, value in alias_candidates(body) if mark_info(value, imports) is not None}


class _AsyncioMarkFinder(cst.CSTVisitor):
    def __init__(self, imports: ImportMap) -> None:
        self.imports = imports
        self.found = False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if self.imports.qualify(node) == "pytest.mark.asyncio":
            self.found = True
        return not self.found


def nested_asyncio_mark(decorators: Sequence[cst.Decorator], imports: ImportMap) -> bool:
    """An asyncio mark inside another decorator's arguments (``pytest.param(..., marks=...)``):
    pytest puts it after the function's own marks, so removing a bare one would hand the test
    to it."""
    for decorator in decorators:
        expr = decorator.decorator
        if not isinstance(expr, cst.Call):
            continue
        finder = _AsyncioMarkFinder(imports)
        for arg in expr.args:
            arg.value.visit(finder)
        if finder.found:
            return True
    return False
