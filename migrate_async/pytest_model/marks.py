"""pytest marks on functions and classes and in ``pytestmark`` assignments."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from ..cstkit.names import CallArguments, dotted_name, string_value
from ..imports.resolve import ImportMap
from .fixtures import requested_fixtures


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
    name = mark_named(imports.qualify(target))
    return MarkInfo(name, expr, call) if name is not None else None


def mark_named(full: str | None) -> str | None:
    """The mark a fully qualified name is (``pytest.mark.asyncio`` → ``asyncio``), or None."""
    if full is None:
        return None
    parts = full.split(".")
    if len(parts) == 3 and parts[0] == "pytest" and parts[1] == "mark":
        return parts[2]
    return None


def marks_its_argument(call: cst.Call, in_decorator: bool) -> bool:
    """Whether a mark call applies the mark to its argument instead of giving it one:
    pytest's mark called with a lone positional argument and no keyword returns that
    argument marked when it is a function or a class (``mark.asyncio(func)`` in a helper
    that decorates tests). Outside a decorator (where it could only be a mark with an
    argument) a lone positional that is not a string literal is read that way, since only
    the value could tell them apart."""
    if in_decorator or len(call.args) != 1:
        return False
    (arg,) = call.args
    return arg.keyword is None and not arg.star and string_value(arg.value) is None


def ast_marks_its_argument(call: ast.Call, in_decorator: bool) -> bool:
    """:func:`marks_its_argument` read from ``ast``: a lone positional argument, not starred,
    that is not a string literal, no keyword, and the call outside every decorator."""
    if in_decorator or len(call.args) != 1 or call.keywords:
        return False
    (arg,) = call.args
    return not isinstance(arg, ast.Starred) and not (isinstance(arg, ast.Constant) and isinstance(arg.value, str))


def decorator_marks(decorators: Iterable[cst.Decorator], imports: ImportMap) -> list[tuple[cst.Decorator, MarkInfo]]:
    result = []
    for decorator in decorators:
        info = mark_info(decorator.decorator, imports)
        if info is not None:
            result.append((decorator, info))
    return result


def usefixtures_names(decorators: Iterable[cst.Decorator], imports: ImportMap) -> list[str]:
    """The fixture names the ``pytest.mark.usefixtures`` decorators of a function name (the
    string literals), in order."""
    return [
        value
        for _decorator, info in decorator_marks(decorators, imports) if info.name == "usefixtures"
        for arg in info.args if (value := string_value(arg.value)) is not None
    ]


def asked_fixtures(func: cst.FunctionDef, imports: ImportMap) -> list[str]:
    """The fixtures a test or fixture asks pytest for itself: its parameters (those with a
    default too), then the names its own ``usefixtures`` marks give."""
    return [*requested_fixtures(func.params, defaults=True), *usefixtures_names(func.decorators, imports)]


def pytestmark_assignments(body: Sequence[cst.BaseStatement]) -> list[cst.Assign | cst.AnnAssign]:
    """``pytestmark = ...`` statements directly in a module or class body."""
    found: list[cst.Assign | cst.AnnAssign] = []
    for stmt in body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        found.extend(small for small in stmt.body if is_pytestmark(small))
    return found


def is_pytestmark(small: cst.BaseSmallStatement) -> bool:
    """Whether a statement assigns ``pytestmark`` (``pytestmark: list = [...]`` too)."""
    if isinstance(small, cst.Assign):
        return any(isinstance(t.target, cst.Name) and t.target.value == "pytestmark" for t in small.targets)
    return isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.target.value == "pytestmark"


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


def pytestmark_statements(body: Sequence[cst.BaseStatement]) -> list[cst.SimpleStatementLine]:
    """The lines of a body that bind ``pytestmark``: assignments and imports of it."""
    found = []
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine) and any(
            is_pytestmark(small) or _imports_pytestmark(small) for small in stmt.body
        ):
            found.append(stmt)
    return found


def _imports_pytestmark(small: cst.BaseSmallStatement) -> bool:
    if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
        return False
    bound = (a.asname.name if a.asname is not None else a.name for a in small.names)
    return any(isinstance(name, cst.Name) and name.value == "pytestmark" for name in bound)


def pytestmark_unlisted(body: Sequence[cst.BaseStatement]) -> bool:
    """``pytestmark += ...``, ``pytestmark.append(...)`` or ``from .conftest import
    pytestmark`` (pytest reads the imported name as the module's own): marks that cannot be
    listed from this body."""
    for stmt in body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if _imports_pytestmark(small):
                return True
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


def parametrized_names(decorators: Iterable[cst.Decorator], imports: ImportMap, *, indirect: bool = True) -> set[str]:
    """The argument names a function's own ``parametrize`` marks name (``"a, b"``, or a list
    or tuple of strings). pytest gives such an argument its values directly, not from a fixture,
    unless ``indirect=True`` or a list ``indirect`` naming it hands the value to the fixture of
    that name: ``indirect=False`` leaves those out."""
    names: set[str] = set()
    for _decorator, info in decorator_marks(decorators, imports):
        if info.name != "parametrize":
            continue
        positional = [a for a in info.args if a.keyword is None]
        argnames = info.kwarg("argnames")
        value = argnames.value if argnames is not None else positional[0].value if positional else None
        found = _argnames(value)
        if not indirect:
            found -= _indirect_names(info.kwarg("indirect"), found)
        names |= found
    return names


def _argnames(value: cst.BaseExpression | None) -> set[str]:
    text = string_value(value) if value is not None else None
    if text is not None:
        return {n.strip() for n in text.split(",") if n.strip()}
    if isinstance(value, (cst.List, cst.Tuple)):
        return {s for s in (string_value(e.value) for e in value.elements) if s is not None}
    return set()


def _indirect_names(arg: cst.Arg | None, names: set[str]) -> set[str]:
    """The names ``indirect=`` hands to fixtures: all of them for ``True`` or a value that is
    not a literal list (it may name any), those listed otherwise."""
    if arg is None or (isinstance(arg.value, cst.Name) and arg.value.value == "False"):
        return set()
    if isinstance(arg.value, (cst.List, cst.Tuple)):
        return _argnames(arg.value)
    return set(names)


def ast_parametrized_names(func: ast.FunctionDef | ast.AsyncFunctionDef, *, indirect: bool = True) -> set[str]:
    """:func:`parametrized_names` read from ``ast`` (a decorator whose last name is
    ``parametrize`` counts: no imports are resolved)."""
    names: set[str] = set()
    for decorator in func.decorator_list:
        if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
            continue
        if decorator.func.attr != "parametrize":
            continue
        keywords = {k.arg: k.value for k in decorator.keywords if k.arg is not None}
        value = keywords.get("argnames", decorator.args[0] if decorator.args else None)
        found = _ast_argnames(value)
        if not indirect and "indirect" in keywords:
            flag = keywords["indirect"]
            if isinstance(flag, (ast.List, ast.Tuple)):
                found -= _ast_argnames(flag)
            elif not (isinstance(flag, ast.Constant) and flag.value is False):
                found = set()
        names |= found
    return names


def _ast_argnames(value: ast.expr | None) -> set[str]:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return {n.strip() for n in value.value.split(",") if n.strip()}
    if isinstance(value, (ast.List, ast.Tuple)):
        return {e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return set()


def ast_decorator_marks(decorators: Iterable[ast.expr], qualify: Callable[[ast.AST], str | None]) -> set[str]:
    """The names of the marks among decorators read with ``ast`` (``qualify``: what a name
    or attribute chain refers to, as ``ImportMap.qualify`` says; a decorator it cannot
    tell is no mark)."""
    names: set[str] = set()
    for decorator in decorators:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = mark_named(qualify(target))
        if name is not None:
            names.add(name)
    return names


def ast_pytestmark_names(body: Sequence[ast.stmt], qualify: Callable[[ast.AST], str | None]) -> frozenset[str] | None:
    """The marks a module or class body's ``pytestmark`` sets, read with ``ast``; None when
    one of them cannot be told for certain (an alias, anything ``qualify`` cannot tell, a
    ``pytestmark += ...`` or ``pytestmark.append(...)``): stricter than the LibCST reading."""
    names: set[str] = set()
    for statement in body:
        if isinstance(statement, ast.AugAssign) and _names_pytestmark(statement.target):
            return None
        if isinstance(statement, ast.ImportFrom) and any((a.asname or a.name) == "pytestmark" for a in statement.names):
            return None  # pytest reads the imported name as the module's own
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            func = statement.value.func
            if isinstance(func, ast.Attribute) and _names_pytestmark(func.value):
                return None
        if isinstance(statement, ast.Assign) and any(_names_pytestmark(t) for t in statement.targets):
            value: ast.expr | None = statement.value
        elif isinstance(statement, ast.AnnAssign) and _names_pytestmark(statement.target):
            value = statement.value
        else:
            continue
        if value is None:
            continue
        found = _ast_mark_value(value, qualify)
        if found is None:
            return None
        names |= found
    return frozenset(names)


def _names_pytestmark(target: ast.expr) -> bool:
    return isinstance(target, ast.Name) and target.id == "pytestmark"


def _ast_mark_value(value: ast.expr, qualify: Callable[[ast.AST], str | None]) -> set[str] | None:
    if isinstance(value, (ast.List, ast.Tuple)):
        names: set[str] = set()
        for element in value.elts:
            inner = None if isinstance(element, ast.Starred) else _ast_mark_value(element, qualify)
            if inner is None:
                return None
            names |= inner
        return names
    target = value.func if isinstance(value, ast.Call) else value
    name = mark_named(qualify(target))
    return {name} if name is not None else None
