"""Signs that a module's async tests belong to anyio or pytest-trio rather than pytest-asyncio."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable, Mapping, Sequence

import libcst as cst

from ..cstkit.name_index import NameIndex
from ..imports.resolve import ImportMap
from .event_loop import walk_nodes
from .fixtures import ast_requested_fixtures, requested_fixtures
from .loop_flow import fixture_closure
from .marks import decorator_marks, pytestmark_marks, usefixtures_names

OTHER_ASYNC_MARKS = frozenset({"anyio", "trio"})


def uses_other_async_framework(module: cst.Module, imports: ImportMap, index: NameIndex | None = None) -> bool:
    """True when the module's tests are run by anyio or pytest-trio rather than pytest-asyncio.

    Looks at module and class ``pytestmark``, decorators anywhere at module/class level,
    and the ``anyio_backend`` fixture. With the file's ``index``, a module whose code never
    names ``anyio``, ``trio`` or ``anyio_backend`` skips the scan.
    """
    if index is not None and not index.has(module, mentions=("anyio", "trio", "anyio_backend")):
        return False
    if any(m.name in OTHER_ASYNC_MARKS for m in pytestmark_marks(module.body, imports)):
        return True

    def scan(body: Sequence[cst.BaseStatement]) -> bool:
        for stmt in body:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                if any(info.name in OTHER_ASYNC_MARKS for _, info in decorator_marks(stmt.decorators, imports)):
                    return True
                if isinstance(stmt, cst.FunctionDef):
                    if stmt.name.value == "anyio_backend":
                        return True
                    if "anyio_backend" in requested_fixtures(stmt.params, keyword_only=False, defaults=True):
                        return True
                if isinstance(stmt, cst.ClassDef):
                    if any(m.name in OTHER_ASYNC_MARKS for m in pytestmark_marks(stmt.body.body, imports)):
                        return True
                    if isinstance(stmt.body, cst.IndentedBlock) and scan(stmt.body.body):
                        return True
        return False

    return scan(module.body)


#: a module that shows a sign :func:`other_framework_uses_ast` finds spells one of these
#: (its marks, ``anyio_backend``, ``pytest_trio``; ``pytest_plugins`` loading one)
OTHER_FRAMEWORK_WORDS = ("anyio", "trio", "pytest_plugins")


def other_framework_signs(source: str, tree: ast.Module) -> list[tuple[int, str]]:
    """:func:`other_framework_uses_ast` of the module with this text and tree, not walked
    when the text spells none of OTHER_FRAMEWORK_WORDS."""
    if not any(word in source for word in OTHER_FRAMEWORK_WORDS):
        return []
    return other_framework_uses_ast(tree)


def other_framework_uses_ast(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for every sign of anyio or trio tests in a module, read with ``ast`` (for
    survey passes; ``uses_other_async_framework`` is the LibCST counterpart)."""
    found: list[tuple[int, str]] = []
    for node in walk_nodes(tree):  # (any node: a module's the survey read is listed once)
        if isinstance(node, ast.Attribute) and node.attr in ("anyio", "trio"):
            owner = node.value
            if (isinstance(owner, ast.Name) and owner.id == "mark") or (
                isinstance(owner, ast.Attribute) and owner.attr == "mark"
            ):
                found.append((node.lineno, f"pytest.mark.{node.attr}"))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name == "anyio_backend":
                found.append((node.lineno, "the anyio_backend fixture"))
            elif "anyio_backend" in ast_requested_fixtures(
                node.args, positional_only=True, keyword_only=False, defaults=True
            ):
                found.append((node.lineno, f"{node.name} requests anyio_backend"))
        elif isinstance(node, ast.Import):
            if any(alias.name.split(".")[0] == "pytest_trio" for alias in node.names):
                found.append((node.lineno, "import pytest_trio"))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").split(".")[0] == "pytest_trio":
                found.append((node.lineno, "from pytest_trio import ..."))
        elif isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets):
                for const in ast.walk(node.value):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        if const.value.split(".")[0] in ("pytest_trio", "anyio"):
                            found.append((node.lineno, f'pytest_plugins loads "{const.value}"'))
    return sorted(set(found))


#: Marks that hand a test to a plugin (pytest-asyncio, pytest-trio, anyio).
RUNNER_MARKS = frozenset({"asyncio", "trio", "anyio"})


def runner_mark_fixtures(source: str) -> tuple[str, ...] | None:
    """The fixtures of a module whose ``params`` carry a runner's mark
    (``pytest.param("trio", marks=pytest.mark.trio)``): a test that uses one gets its
    asyncio, trio or anyio mark from the parameter, so it must not get another. None when
    there is none (or the source does not parse)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    return ast_runner_mark_fixtures(tree) or None


def ast_runner_mark_fixtures(tree: ast.AST) -> tuple[str, ...]:
    """:func:`runner_mark_fixtures` of a module already read with ``ast`` (empty: none)."""
    names: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call):
                continue
            func = decorator.func
            if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) != "fixture":
                continue
            keywords = {k.arg: k.value for k in decorator.keywords}
            params = keywords.get("params")
            if params is not None and _carries_runner_mark(params):
                name = keywords.get("name")
                names.append(name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else node.name)
    return tuple(names)


def param_runner_fixture(
    func: cst.FunctionDef,
    imports: ImportMap,
    carrying: Collection[str],
    graph: Mapping[str, Iterable[str]] | None = None,
) -> str | None:
    """The fixture (the first by name) among those ``carrying`` a runner's mark in their
    ``params`` (:func:`runner_mark_fixtures` of the module and the conftest.py files above)
    that the test or fixture ``func`` requests: by parameter or ``usefixtures``, and with
    ``graph`` (fixture name → what it requests) through the fixtures it requests, as pytest
    parametrizes a test over every fixture of its closure. The parameter hands each test it
    makes to the plugin its mark names (pytest-asyncio, pytest-trio or anyio), so that mark,
    not one written on the test, says which plugin runs it as an async test. None when none."""
    if not carrying:
        return None
    names = set(requested_fixtures(func.params, keyword_only=False, defaults=True))
    names.update(usefixtures_names(func.decorators, imports))
    reached = fixture_closure(names, {k: set(v) for k, v in graph.items()}) if graph else names
    return min(set(carrying).intersection(reached), default=None)


def _carries_runner_mark(params: ast.expr) -> bool:
    for node in ast.walk(params):
        if isinstance(node, ast.keyword) and node.arg == "marks":
            for inner in ast.walk(node.value):
                if isinstance(inner, ast.Attribute) and inner.attr in RUNNER_MARKS:
                    return True
    return False


# == async tests another plugin or a decorator runs, one test at a time ==

#: Marks with which a plugin other than pytest-asyncio runs an async test itself:
#: ``gen_test`` (pytest-tornado, pytest-tornasync) runs the coroutine on tornado's ``io_loop``.
#: An asyncio mark beside one hands the test to pytest-asyncio, which runs it on a loop of
#: its own instead (a test that passed fails: what it awaits is scheduled on ``io_loop``).
OTHER_TEST_MARKS = frozenset({"gen_test"})

#: Decorators (full names) that hand an async test to another runner or wrap it in a sync
#: function that runs it: pytest-twisted's ``ensureDeferred`` (on the reactor), aiounittest's
#: ``async_test`` (a loop of its own). pytest-asyncio fails such a test where it is marked
#: ("a coroutine was expected", "NotACoroutineError").
RUNNING_DECORATORS = frozenset({
    "pytest_twisted.ensureDeferred",
    "aiounittest.async_test",
    "aiounittest.helpers.async_test",
})


def run_by_decorator(
    decorators: Sequence[cst.Decorator], imports: ImportMap, local: Mapping[str, cst.FunctionDef]
) -> bool:
    """Whether one of a test's decorators runs its coroutine itself, so that pytest sees a
    sync function or another runner's: one of :data:`RUNNING_DECORATORS`, or a sync function
    of the module (``local``, by name) that returns a sync function it defines (the
    ``def async_test(f): def wrapper(*a): asyncio.run(f(*a)); return wrapper`` helper of
    old suites)."""
    for decorator in decorators:
        expr = decorator.decorator
        target = expr.func if isinstance(expr, cst.Call) else expr
        if imports.qualify(target) in RUNNING_DECORATORS:
            return True
        if not isinstance(expr, cst.Call) and isinstance(expr, cst.Name):
            helper = local.get(expr.value)
            if helper is not None and _returns_sync_wrapper(helper):
                return True
    return False


def _returns_sync_wrapper(helper: cst.FunctionDef) -> bool:
    """A sync function whose last statement returns a sync function defined in its body."""
    if helper.asynchronous is not None or not isinstance(helper.body, cst.IndentedBlock):
        return False
    body = helper.body.body
    inner = {s.name.value for s in body if isinstance(s, cst.FunctionDef) and s.asynchronous is None}
    last = body[-1] if body else None
    if not isinstance(last, cst.SimpleStatementLine) or len(last.body) != 1:
        return False
    returned = last.body[0]
    return isinstance(returned, cst.Return) and isinstance(returned.value, cst.Name) and returned.value.value in inner
