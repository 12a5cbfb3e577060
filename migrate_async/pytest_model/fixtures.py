"""Fixture decorators (``pytest.fixture``, ``pytest_asyncio.fixture``), their scopes and parameters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from ..cstkit.edits import append_kwarg, make_kwarg
from ..cstkit.names import find_kwarg, literal_repr, string_value
from ..imports.resolve import ImportMap
from ..project import SCOPES


@dataclass(frozen=True)
class FixtureInfo:
    """A fixture decorator: which library it comes from and its call, if any."""

    library: str  # "pytest" or "pytest_asyncio"
    decorator: cst.Decorator
    call: cst.Call | None

    @property
    def args(self) -> Sequence[cst.Arg]:
        return self.call.args if self.call is not None else ()

    def kwarg(self, key: str) -> cst.Arg | None:
        return find_kwarg(self.args, key)

    def scope(self) -> str | None:
        """The literal cache scope ("function" when absent); None when it is not a literal."""
        arg = self.kwarg("scope")
        if arg is None:
            # pytest.fixture's first positional parameter is the function, not the scope.
            return "function"
        value = string_value(arg.value)
        return value if value in SCOPES else None


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


def with_loop_scope(expr: cst.BaseExpression, scope: str) -> cst.Call:
    """A mark or fixture expression with ``loop_scope=<scope>`` added (called if it was not),
    right after ``scope=`` when the call has one."""
    arg = make_kwarg("loop_scope", cst.SimpleString(literal_repr(scope)))
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
