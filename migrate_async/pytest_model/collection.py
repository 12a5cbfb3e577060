"""What pytest collects: test classes, unittest classes and their lineage, test functions.

``collected_class`` and ``collected_test_function`` are the one answer to "does pytest
collect this"; their keyword parameters name the checks some transforms leave out today
(each default is pytest's own rule), so that a later change decides them in one place.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from ..cstkit.edits import class_body, class_defines
from ..cstkit.names import code_of, dotted_name
from .fixtures import ast_fixture_decorator, fixture_decorator

if TYPE_CHECKING:
    from ..imports.resolve import ImportMap
    from ..project import ProjectFacts


UNITTEST_BASE_SUFFIXES = ("TestCase", "AsyncTestCase")


def unittest_base(name: str) -> bool:
    """Whether a base class, by its dotted name, is a ``*TestCase`` (unittest,
    IsolatedAsyncioTestCase, asynctest...): the rule ``ImportMap.collect`` is given to tell a
    module's unittest classes (``ImportMap.unittest_classes``)."""
    return name.split(".")[-1].endswith(UNITTEST_BASE_SUFFIXES)


def is_unittest_class(cls: cst.ClassDef, imports: "ImportMap | None" = None) -> bool:
    """Classes deriving from a ``*TestCase`` (unittest, IsolatedAsyncioTestCase, asynctest...),
    directly or, given the module's ImportMap, through a class of the same module."""
    for base in cls.bases:
        name = dotted_name(base.value)
        if name and unittest_base(name):
            return True
        if imports is not None and name in imports.unittest_classes:
            return True
    return False


#: Bases that carry no pytest marks: a class deriving from them has no foreign lineage.
MARKLESS_BASES = frozenset({"object", "ABC", "abc.ABC"})
#: xunit-style setup and teardown that pytest calls around a class's tests and a module's
#: (outside any event loop: pytest-asyncio runs only the tests and async fixtures in one)
XUNIT_METHODS = frozenset({"setup_method", "teardown_method", "setup_class", "teardown_class"})
XUNIT_FUNCTIONS = frozenset({"setup_module", "teardown_module", "setup_function", "teardown_function"})


def class_lineage(
    node: cst.ClassDef, classes: dict[str, cst.ClassDef]
) -> tuple[list[cst.ClassDef], list[str]]:
    """The class and its bases defined at module level (``classes``: name → node), and the
    source of the other bases (imported ones, whose marks cannot be seen from here). Bases
    without marks (``object``, ``ABC``) and unittest TestCases are neither."""
    seen: list[cst.ClassDef] = []
    foreign: list[str] = []
    todo = [node]
    while todo:
        cls = todo.pop(0)
        if any(cls is s for s in seen):
            continue
        seen.append(cls)
        for base in cls.bases:
            if base.keyword is not None or base.star:
                continue
            name = dotted_name(base.value)
            local = classes.get(name) if name else None
            if local is not None and local is not cls:
                todo.append(local)
            elif name in MARKLESS_BASES:
                continue
            elif name and unittest_base(name):
                continue  # is_unittest_class() sees it on the class that names it
            else:
                code = code_of(base.value)
                if code not in foreign:
                    foreign.append(code)
    return seen, foreign


def dunder_test_false(body: Sequence[cst.BaseStatement]) -> bool:
    """``__test__ = False`` in a module or class body: pytest collects nothing there."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if (
                    isinstance(small, cst.Assign)
                    and any(isinstance(t.target, cst.Name) and t.target.value == "__test__" for t in small.targets)
                    and isinstance(small.value, cst.Name)
                    and small.value.value == "False"
                ):
                    return True
    return False


def collected_class(
    cls: cst.ClassDef,
    project: "ProjectFacts",
    imports: "ImportMap | None" = None,
    *,
    match_name: bool = True,
    exclude_unittest: bool = True,
    exclude_init: bool = True,
    exclude_new: bool = True,
    exclude_dunder_test: bool = True,
) -> bool:
    """Whether pytest's class collector takes ``cls``, so that its methods are pytest tests,
    judged from the class itself; whether the module and the enclosing classes are collected
    is the caller's to know (it walks them).

    With every default this is pytest's rule: the name matches ``python_classes``; the class
    is not a unittest ``TestCase`` (unittest runs those methods; with ``imports``, one that
    derives from a TestCase through a class of the same module counts too); it defines no
    ``__init__`` and no ``__new__`` (pytest warns and skips it); its body does not say
    ``__test__ = False``. Each keyword turns one check off:

    - ``match_name=False``: the name does not matter (a base class of a collected class,
      whose body its subclass inherits);
    - ``exclude_unittest=False``: a TestCase subclass counts as collected;
    - ``exclude_init=False`` / ``exclude_new=False``: a class with ``__init__`` / ``__new__``
      counts as collected;
    - ``exclude_dunder_test=False``: ``__test__ = False`` is not read.
    """
    if match_name and not project.is_test_class_name(cls.name.value):
        return False
    if exclude_unittest and is_unittest_class(cls, imports):
        return False
    if exclude_init and class_defines(cls, "__init__"):
        return False
    if exclude_new and class_defines(cls, "__new__"):
        return False
    if exclude_dunder_test and dunder_test_false(class_body(cls)):
        return False
    return True


def collected_test_function(
    func: cst.FunctionDef,
    project: "ProjectFacts",
    imports: "ImportMap | None" = None,
    *,
    asynchronous: bool | None = None,
    scope_collected: bool = True,
    exclude_fixtures: bool = True,
) -> bool:
    """Whether pytest collects ``func`` as a test function: its name matches
    ``python_functions``, it is defined at module level or directly in a collected class
    (``scope_collected``: what the caller's walk knows, the module being a test module
    included where the caller checks that) and, by default, it is not a fixture (pytest
    does not collect a function that ``pytest.fixture`` or ``pytest_asyncio.fixture``
    decorates; ``imports`` resolves the decorator).

    ``asynchronous=True`` / ``False`` asks for ``async def`` / ``def`` tests only (None:
    either). ``@staticmethod`` and ``@classmethod`` methods are tests like any other, as in
    pytest: the decorators are not read. ``exclude_fixtures=False`` counts a fixture whose
    name says test as a test.
    """
    if not scope_collected:
        return False
    if asynchronous is not None and (func.asynchronous is not None) != asynchronous:
        return False
    if not project.is_test_function_name(func.name.value):
        return False
    if exclude_fixtures:
        if imports is None:
            raise ValueError("collected_test_function(exclude_fixtures=True) needs the module's imports")
        if fixture_decorator(func, imports) is not None:
            return False
    return True


def collected_tests_here(
    body: Sequence[cst.BaseStatement], project: "ProjectFacts", imports: "ImportMap", *, asynchronous: bool
) -> list[str]:
    """The names of the test functions among these statements (not in the classes among
    them) that pytest collects, sync or async as asked."""
    return [
        stmt.name.value for stmt in body
        if isinstance(stmt, cst.FunctionDef) and collected_test_function(stmt, project, imports, asynchronous=asynchronous)
    ]


def may_hold_async_tests(body: Sequence[cst.BaseStatement], project: "ProjectFacts", imports: "ImportMap") -> bool:
    """Whether a mark of the module these statements are the body of may reach an async
    test: one at module level, or a class pytest may collect by its name (its own async
    tests, or inherited ones)."""
    return bool(collected_tests_here(body, project, imports, asynchronous=True)) or any(
        isinstance(stmt, cst.ClassDef) and project.is_test_class_name(stmt.name.value) for stmt in body
    )


def classes_hold_sync_tests(body: Sequence[cst.BaseStatement], project: "ProjectFacts", imports: "ImportMap") -> bool:
    """Whether a class among these statements (or one nested in it) that pytest may
    collect by its name holds a sync test (which a module mark reaches too)."""
    for stmt in body:
        if not isinstance(stmt, cst.ClassDef) or not project.is_test_class_name(stmt.name.value):
            continue
        inner = stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else ()
        if collected_tests_here(inner, project, imports, asynchronous=False) or classes_hold_sync_tests(inner, project, imports):
            return True
    return False


def ast_collected_test_function(
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    project: "ProjectFacts",
    imports: "ImportMap | None" = None,
    *,
    asynchronous: bool | None = None,
    exclude_fixtures: bool = True,
) -> bool:
    """:func:`collected_test_function` read from ``ast`` (for survey passes), with its
    keywords but ``scope_collected``: where the function sits (module level, a collected
    class) is the caller's walk.
    ``imports`` resolves a fixture decorator; without them, a decorator whose last name is
    ``fixture`` counts."""
    if asynchronous is not None and isinstance(func, ast.AsyncFunctionDef) != asynchronous:
        return False
    if not project.is_test_function_name(func.name):
        return False
    if exclude_fixtures:
        if ast_fixture_decorator(func, imports) is not None:
            return False
    return True


def ignored_paths(addopts: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The paths and globs that ``--ignore`` / ``--ignore-glob`` in ``addopts`` keep pytest
    from collecting (as written: relative to where pytest starts, the project's root when run
    there), each option as ``--ignore=PATH`` or ``--ignore PATH``."""
    found: dict[str, list[str]] = {"--ignore": [], "--ignore-glob": []}
    args = list(addopts)
    for i, arg in enumerate(args):
        option, eq, value = arg.partition("=")
        if option in found:
            if eq:
                found[option].append(value)
            elif i + 1 < len(args):
                found[option].append(args[i + 1])
    return tuple(found["--ignore"]), tuple(found["--ignore-glob"])
