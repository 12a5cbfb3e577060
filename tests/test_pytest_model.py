"""The pytest model's one answers: which classes and functions pytest collects, and the
named predicates on asyncio marks. Every keyword that keeps a transform's difference has a
row that fails if it is collapsed into the default."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from migrate_async.imports.resolve import ImportMap
from migrate_async.project import ProjectFacts
from migrate_async.pytest_model.collection import (
    collected_class,
    collected_test_function,
    dunder_test_false,
    unittest_base,
)
from migrate_async.pytest_model.marks import mark_info

DEFAULT = ProjectFacts()


def _module(source: str) -> cst.Module:
    return cst.parse_module(textwrap.dedent(source))


def _last(module: cst.Module, kind: type) -> cst.CSTNode:
    found = [stmt for stmt in module.body if isinstance(stmt, kind)]
    assert found, module.code
    return found[-1]


# -- collected_class ----------------------------------------------------------------------

_PLAIN = """
class TestA:
    def test_x(self): ...
"""
_CLASS_CASES = [
    # (source: the last class is asked, keywords, python_classes or None, expected)
    (_PLAIN, {}, None, True),
    ("class TestA: ...\n", {}, None, True),  # one-line body
    ("class Helper:\n    def test_x(self): ...\n", {}, None, False),
    ("class Helper:\n    def test_x(self): ...\n", {"match_name": False}, None, True),
    ("class LoginSuite: ...\n", {}, ("*Suite",), True),  # a glob
    ("class CheckLogin: ...\n", {}, ("Check",), True),  # a prefix
    ("class TestLogin: ...\n", {}, ("Check",), False),
    ("import unittest\nclass TestA(unittest.TestCase): ...\n", {}, None, False),
    ("import unittest\nclass TestA(unittest.TestCase): ...\n", {"exclude_unittest": False}, None, True),
    ("class TestA:\n    def __init__(self): ...\n", {}, None, False),
    ("class TestA:\n    def __init__(self): ...\n", {"exclude_init": False}, None, True),
    ("class TestA:\n    def __new__(cls): ...\n", {}, None, False),
    ("class TestA:\n    def __new__(cls): ...\n", {"exclude_new": False}, None, True),
    ("class TestA:\n    def __new__(cls): ...\n", {"exclude_init": False}, None, False),
    ("class TestA:\n    def __init__(self): ...\n", {"exclude_new": False}, None, False),
    ("class TestA:\n    __test__ = False\n", {}, None, False),
    ("class TestA:\n    __test__ = False\n", {"exclude_dunder_test": False}, None, True),
    ("class TestA:\n    __test__ = True\n", {}, None, True),
]


@pytest.mark.parametrize("source, keywords, python_classes, expected", _CLASS_CASES)
def test_collected_class(source, keywords, python_classes, expected):
    module = _module(source)
    project = ProjectFacts(python_classes=python_classes) if python_classes else DEFAULT
    cls = _last(module, cst.ClassDef)
    assert collected_class(cls, project, ImportMap.collect(module), **keywords) is expected


def test_collected_class_sees_a_local_testcase_base_through_the_imports():
    module = _module("""
        import unittest
        class Base(unittest.TestCase): ...
        class TestB(Base): ...
    """)
    cls = _last(module, cst.ClassDef)
    assert collected_class(cls, DEFAULT, ImportMap.collect(module, unittest_base=unittest_base)) is False
    assert collected_class(cls, DEFAULT) is True  # without the module's imports: not seen


@pytest.mark.parametrize(
    "body, expected",
    [("__test__ = False\n", True), ("__test__ = True\n", False), ("x = __test__ = False\n", True), ("pass\n", False)],
)
def test_dunder_test_false(body, expected):
    assert dunder_test_false(_module(body).body) is expected


# -- collected_test_function --------------------------------------------------------------

_FUNCTION_CASES = [
    # (source: the last function is asked, keywords, python_functions or None, expected)
    ("def test_a(): ...\n", {}, None, True),
    ("async def test_a(): ...\n", {}, None, True),
    ("def helper(): ...\n", {}, None, False),
    ("async def test_a(): ...\n", {"asynchronous": True}, None, True),
    ("def test_a(): ...\n", {"asynchronous": True}, None, False),
    ("def test_a(): ...\n", {"asynchronous": False}, None, True),
    ("async def test_a(): ...\n", {"asynchronous": False}, None, False),
    ("def test_a(): ...\n", {"scope_collected": False}, None, False),
    ("import pytest\n@pytest.fixture\ndef test_f(): ...\n", {}, None, False),
    ("import pytest\n@pytest.fixture\ndef test_f(): ...\n", {"exclude_fixtures": False}, None, True),
    ("import pytest_asyncio\n@pytest_asyncio.fixture(scope='module')\nasync def test_f(): ...\n", {}, None, False),
    ("from pytest import fixture\n@fixture\ndef test_f(): ...\n", {}, None, False),
    ("import pytest\n@pytest.mark.slow\ndef test_m(): ...\n", {}, None, True),
    ("@staticmethod\ndef test_s(): ...\n", {}, None, True),  # pytest collects these too
    ("@classmethod\ndef test_c(cls): ...\n", {}, None, True),
    ("def check_a(): ...\n", {}, ("check_",), True),
    ("def test_a(): ...\n", {}, ("check_",), False),
    ("def a_spec(): ...\n", {}, ("*_spec",), True),
]


@pytest.mark.parametrize("source, keywords, python_functions, expected", _FUNCTION_CASES)
def test_collected_test_function(source, keywords, python_functions, expected):
    module = _module(source)
    project = ProjectFacts(python_functions=python_functions) if python_functions else DEFAULT
    func = _last(module, cst.FunctionDef)
    assert collected_test_function(func, project, ImportMap.collect(module), **keywords) is expected


def test_collected_test_function_needs_imports_to_exclude_fixtures():
    func = _last(_module("def test_a(): ...\n"), cst.FunctionDef)
    with pytest.raises(ValueError):
        collected_test_function(func, DEFAULT)
    assert collected_test_function(func, DEFAULT, exclude_fixtures=False) is True


# -- the three "bare" asyncio marks -------------------------------------------------------

_MARK_CASES = [
    # (mark, is_bare, has_no_args, has_only_dead_args, sets_no_loop_scope)
    ("pytest.mark.asyncio", True, True, True, True),
    ("pytest.mark.asyncio()", False, True, True, True),
    ("pytest.mark.asyncio(forbid_global_loop=True)", False, False, True, True),
    ("pytest.mark.asyncio(loop_factories=[uvloop.new_event_loop])", False, False, False, True),
    ("pytest.mark.asyncio(loop_scope='module')", False, False, False, False),
    ("pytest.mark.asyncio(scope='module')", False, False, False, False),
    ("pytest.mark.asyncio('module')", False, False, False, False),
    ("pytest.mark.asyncio(*scopes)", False, False, False, False),
    ("pytest.mark.asyncio(**options)", False, False, False, False),
    ("pytest.mark.asyncio(forbid_global_loop=True, loop_scope='module')", False, False, False, False),
]


@pytest.mark.parametrize("expr, is_bare, has_no_args, has_only_dead_args, sets_no_loop_scope", _MARK_CASES)
def test_mark_predicates(expr, is_bare, has_no_args, has_only_dead_args, sets_no_loop_scope):
    info = mark_info(cst.parse_expression(expr), ImportMap.collect(cst.parse_module("import pytest\n")))
    assert info is not None and info.name == "asyncio"
    assert (info.is_bare, info.has_no_args, info.has_only_dead_args, info.sets_no_loop_scope) == (
        is_bare, has_no_args, has_only_dead_args, sets_no_loop_scope,
    )


# -- requested_fixtures: one reading, its keywords the readings' differences -----------------

_REQUEST_SOURCE = "def f(a, /, b, c=1, *args, d, e=2, **kw): pass"
_REQUEST_CASES = [
    ({}, ("b", "d")),  # pytest's rule: positional-or-keyword and keyword-only, no default
    ({"positional_only": True}, ("a", "b", "d")),
    ({"keyword_only": False}, ("b",)),
    ({"defaults": True}, ("b", "c", "d", "e")),
    ({"positional_only": True, "star": True, "defaults": True}, ("a", "b", "c", "d", "e", "args", "kw")),
    ({"skip": ("b",)}, ("d",)),
]


@pytest.mark.parametrize(("keywords", "expected"), _REQUEST_CASES, ids=[str(k) for k, _ in _REQUEST_CASES])
def test_requested_fixtures(keywords: dict, expected: tuple[str, ...]) -> None:
    import ast

    from migrate_async.pytest_model.fixtures import ast_requested_fixtures, requested_fixtures

    params = cst.parse_module(_REQUEST_SOURCE).body[0].params
    assert requested_fixtures(params, **keywords) == expected
    if "star" not in keywords:
        assert ast_requested_fixtures(ast.parse(_REQUEST_SOURCE).body[0].args, **keywords) == expected


# -- parametrized_names: what a function's own parametrize marks fill -----------------------

_PARAMETRIZE_CASES = [
    ('@pytest.mark.parametrize("a, b", [(1, 2)])', {"a", "b"}, {"a", "b"}),
    ('@pytest.mark.parametrize(("a", "b"), [(1, 2)])', {"a", "b"}, {"a", "b"}),
    ('@pytest.mark.parametrize(["a"], [1])', {"a"}, {"a"}),
    ('@pytest.mark.parametrize(argnames="a", argvalues=[1])', {"a"}, {"a"}),
    ('@pytest.mark.parametrize("a", [1], indirect=True)', {"a"}, set()),
    ('@pytest.mark.parametrize("a, b", [(1, 2)], indirect=["a"])', {"a", "b"}, {"b"}),
    ('@pytest.mark.parametrize("a", [1], indirect=False)', {"a"}, {"a"}),
    ('@pytest.mark.skip', set(), set()),
]


@pytest.mark.parametrize(("decorator", "named", "direct"), _PARAMETRIZE_CASES, ids=[c[0] for c in _PARAMETRIZE_CASES])
def test_parametrized_names(decorator: str, named: set[str], direct: set[str]) -> None:
    import ast

    from migrate_async.imports.resolve import ImportMap
    from migrate_async.pytest_model.marks import ast_parametrized_names, parametrized_names

    code = f"import pytest\n\n{decorator}\ndef test_it(a, b=None):\n    pass\n"
    module = cst.parse_module(code)
    func = module.body[-1]
    imports = ImportMap.collect(module)
    assert parametrized_names(func.decorators, imports) == named
    assert parametrized_names(func.decorators, imports, indirect=False) == direct
    tree_func = ast.parse(code).body[-1]
    assert ast_parametrized_names(tree_func) == named
    assert ast_parametrized_names(tree_func, indirect=False) == direct


# --- loop_scope= in the call's own quotes (trial9: async_factory_boy 1.0.1) -----------------

@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("pytest_asyncio.fixture(scope='session')", "pytest_asyncio.fixture(scope='session', loop_scope='session')"),
        ('pytest_asyncio.fixture(scope="session")', 'pytest_asyncio.fixture(scope="session", loop_scope="session")'),
        ("pytest_asyncio.fixture(scope='session', name=\"db\")", "pytest_asyncio.fixture(scope='session', loop_scope=\"session\", name=\"db\")"),
        ("pytest_asyncio.fixture", 'pytest_asyncio.fixture(loop_scope="session")'),
        ("pytest_asyncio.fixture(autouse=True)", 'pytest_asyncio.fixture(autouse=True, loop_scope="session")'),
    ],
    ids=["single", "double", "mixed", "bare", "no-strings"],
)
def test_loop_scope_is_written_in_the_calls_own_quotes(call: str, expected: str) -> None:
    from migrate_async.cstkit.codegen import generate_node
    from migrate_async.pytest_model.fixtures import with_loop_scope

    assert generate_node(with_loop_scope(cst.parse_expression(call), "session")) == expected
