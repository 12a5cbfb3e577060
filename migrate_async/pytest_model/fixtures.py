"""Fixture decorators (``pytest.fixture``, ``pytest_asyncio.fixture``), their scopes and parameters.

Read from LibCST (:func:`fixture_decorator`, for rewrites) or from ``ast``
(:func:`ast_fixture_decorator`, for survey passes).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import libcst as cst

from ..cstkit.edits import append_kwarg, make_kwarg
from ..cstkit.names import CallArguments, literal_repr, string_value
from ..imports.resolve import ImportMap
from .loop_scopes import SCOPES


@dataclass(frozen=True)
class FixtureInfo(CallArguments):
    """A fixture decorator: which library it comes from and its call, if any."""

    library: str  # "pytest" or "pytest_asyncio"
    decorator: cst.Decorator
    call: cst.Call | None

    def scope(self) -> str | None:
        """The literal cache scope ("function" when absent); None when it is not a literal."""
        arg = self.kwarg("scope")
        if arg is None:
            # pytest.fixture's first positional parameter is the function, not the scope.
            return "function"
        value = string_value(arg.value)
        return value if value in SCOPES else None

    def given_name(self) -> str | None:
        """The literal ``name=`` the decorator registers the fixture under, or None."""
        arg = self.kwarg("name")
        return string_value(arg.value) if arg is not None else None

    def registered_name(self, func: cst.FunctionDef) -> str:
        """The name pytest registers the fixture under: its ``name=``, else the function's."""
        return self.given_name() or func.name.value

    def autouse(self) -> bool:
        """Whether the decorator says ``autouse=`` with anything but a literal False."""
        arg = self.kwarg("autouse")
        return arg is not None and not (isinstance(arg.value, cst.Name) and arg.value.value == "False")


def fixture_info(decorator: cst.Decorator, imports: ImportMap) -> FixtureInfo | None:
    expr = decorator.decorator
    call = expr if isinstance(expr, cst.Call) else None
    target = call.func if call is not None else expr
    full = imports.qualify(target)
    if full == "pytest.fixture":
        return FixtureInfo("pytest", decorator, call)
    if full == "pytest_asyncio.fixture":
        return FixtureInfo("pytest_asyncio", decorator, call)
    return None


def fixture_decorator(func: cst.FunctionDef, imports: ImportMap) -> FixtureInfo | None:
    for decorator in func.decorators:
        info = fixture_info(decorator, imports)
        if info is not None:
            return info
    return None


#: What a fixture decorator resolves to.
FIXTURE_DECORATORS = ("pytest.fixture", "pytest_asyncio.fixture")
#: pytest's own fixture decorator (pytest-asyncio's is the other).
PLAIN_FIXTURE = FIXTURE_DECORATORS[0]


def ast_fixture_decorator(
    func: ast.FunctionDef | ast.AsyncFunctionDef, imports: ImportMap | None
) -> ast.expr | None:
    """The first fixture decorator of a function read with ``ast`` (the survey side of
    :func:`fixture_decorator`), or None.

    With ``imports``, a decorator counts when it resolves through the module's own imports
    (no well-known fallback) to :data:`FIXTURE_DECORATORS`. With None, any decorator whose
    last name is ``fixture`` counts, however the module spells or imports it.
    """
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if imports is not None:
            if imports.qualify_ast(target, well_known=False) in FIXTURE_DECORATORS:
                return decorator
        elif (target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)) == "fixture":
            return decorator
    return None


def ast_fixture_name(func: ast.FunctionDef | ast.AsyncFunctionDef, decorator: ast.expr) -> str:
    """The name a fixture decorator registers: its literal ``name=``, else the function's."""
    if isinstance(decorator, ast.Call):
        for keyword in decorator.keywords:
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
    return func.name


def ast_fixture_autouse(decorator: ast.expr) -> bool:
    """Whether a fixture decorator read with ``ast`` says ``autouse=`` with anything but a
    literal False (the ``ast`` side of :meth:`FixtureInfo.autouse`)."""
    if isinstance(decorator, ast.Call):
        for keyword in decorator.keywords:
            if keyword.arg == "autouse":
                return not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False)
            if keyword.arg is None:
                return True  # ``**kwargs``: it may say so
    return False


def ast_fixture_loop_scope(decorator: ast.expr) -> str | None:
    """A decorator's literal ``loop_scope=`` (pytest_asyncio.fixture), read with ``ast``; None
    when it has none or it is not a literal."""
    if isinstance(decorator, ast.Call):
        for keyword in decorator.keywords:
            if keyword.arg == "loop_scope" and isinstance(keyword.value, ast.Constant):
                return keyword.value.value if isinstance(keyword.value.value, str) else None
    return None


def ast_fixture_scope(decorator: ast.expr) -> str | None:
    """:meth:`FixtureInfo.scope` for a decorator read with ``ast``."""
    if not isinstance(decorator, ast.Call):
        return "function"
    for keyword in decorator.keywords:
        if keyword.arg == "scope":
            value = keyword.value
            if isinstance(value, ast.Constant) and value.value in SCOPES:
                return value.value
            return None
    return "function"


def with_loop_scope(expr: cst.BaseExpression, scope: str) -> cst.Call:
    """A mark or fixture expression with ``loop_scope=<scope>`` added (called if it was not),
    right after ``scope=`` when the call has one; in single quotes where the call's own
    strings all are (``scope='module'``: async_factory_boy), else in double quotes."""
    literal = literal_repr(scope)
    if isinstance(expr, cst.Call):
        quotes = {arg.value.quote for arg in expr.args if isinstance(arg.value, cst.SimpleString)}
        if quotes == {"'"} and scope.isidentifier():
            literal = f"'{scope}'"
    arg = make_kwarg("loop_scope", cst.SimpleString(literal))
    if isinstance(expr, cst.Call):
        return append_kwarg(expr, arg, after="scope")
    return cst.Call(func=expr, args=[arg])


def injectable_param(node: cst.FunctionDef, name: str) -> tuple[str, int] | None:
    """Where the parameter ``name`` that pytest injects is: ("params"|"kwonly_params",
    index); None when there is none or it has a default (pytest does not inject those)."""
    for where in ("params", "kwonly_params"):
        for index, param in enumerate(getattr(node.params, where)):
            if param.name.value == name:
                return (where, index) if param.default is None else None
    return None


def requested_fixtures(
    params: cst.Parameters,
    *,
    positional_only: bool = False,
    keyword_only: bool = True,
    star: bool = False,
    defaults: bool = False,
    skip: Collection[str] = (),
) -> tuple[str, ...]:
    """The fixtures a function requests through its parameters, in order.

    pytest injects a fixture into each positional-or-keyword and keyword-only parameter that
    has no default: the keyword defaults are that rule. The other keywords widen it for
    readings that want more than pytest injects: ``positional_only`` (parameters before
    ``/``), ``star`` (the names of ``*args`` and ``**kwargs``), ``defaults`` (a parameter
    with a default; a test's own ``parametrize`` may still fill it). ``skip`` leaves names
    out (``self``, ``cls``, a fixture the reading handles itself)."""
    groups: list[Sequence[cst.Param]] = []
    if positional_only:
        groups.append(params.posonly_params)
    groups.append(params.params)
    if keyword_only:
        groups.append(params.kwonly_params)
    if star:
        groups.append([p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)])
    return tuple(
        param.name.value
        for group in groups
        for param in group
        if (defaults or param.default is None) and param.name.value not in skip
    )


def ast_requested_fixtures(
    args: ast.arguments,
    *,
    positional_only: bool = False,
    keyword_only: bool = True,
    defaults: bool = False,
    skip: Collection[str] = (),
) -> tuple[str, ...]:
    """:func:`requested_fixtures` read from ``ast`` (for survey passes), with its keywords but
    ``star`` (no ast reading asks for the names of ``*args`` and ``**kwargs``)."""
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    found = [
        (arg, index >= first_default)
        for index, arg in enumerate(positional)
        if positional_only or index >= len(args.posonlyargs)
    ]
    if keyword_only:
        found += [(arg, default is not None) for arg, default in zip(args.kwonlyargs, args.kw_defaults)]
    return tuple(arg.arg for arg, has_default in found if (defaults or not has_default) and arg.arg not in skip)
