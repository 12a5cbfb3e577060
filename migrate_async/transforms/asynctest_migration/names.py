"""What asynctest offered and where each of its names goes in the standard library, and
the name readings the transform shares."""

from __future__ import annotations

import ast

import libcst as cst

from ...imports.resolve import ImportMap

#: asynctest objects that are unittest.mock objects under (maybe) another name
MOCK_NAMES: dict[str, str] = {
    "CoroutineMock": "AsyncMock",
    **{
        name: name
        for name in (
            "Mock", "MagicMock", "NonCallableMock", "NonCallableMagicMock", "PropertyMock", "patch",
            "call", "ANY", "DEFAULT", "sentinel", "mock_open", "create_autospec",
        )
    },
}
#: unittest names that ``asynctest`` re-exports unchanged
UNITTEST_NAMES = frozenset({
    "skip", "skipIf", "skipUnless", "expectedFailure", "SkipTest", "main", "TestSuite",
    "TestLoader", "TextTestRunner", "TestResult", "defaultTestLoader",
})
#: unittest has IsolatedAsyncioTestCase and AsyncMock from this Python on: below it, asynctest
#: is what stands in for them, and a block that runs only there is left as it is
UNITTEST_ASYNC_SINCE = (3, 8)
#: where a ``try`` imports those from: its ``except ImportError`` is the same fallback
UNITTEST_MODULES = frozenset({"unittest", "unittest.mock"})
MODULES = frozenset({"asynctest", "asynctest.mock", "asynctest.case", "asynctest.helpers", "asynctest.selector"})
MOCK_MODULES = ("asynctest", "asynctest.mock")
TESTCASE_FULL = frozenset({"asynctest.TestCase", "asynctest.case.TestCase"})
PATCHERS = frozenset(
    f"{module}.patch{suffix}" for module in MOCK_MODULES for suffix in ("", ".object", ".dict", ".multiple")
)
GLOBAL_SCOPE = frozenset({"asynctest.GLOBAL", "asynctest.mock.GLOBAL"})
MOCK_CLASSES = frozenset({"Mock", "MagicMock", "NonCallableMock", "NonCallableMagicMock"})
HOOKS = {"setUp": "asyncSetUp", "tearDown": "asyncTearDown"}
#: assertAsyncX → (unittest context manager, number of positional arguments)
ASSERT_ASYNC = {
    "assertAsyncRaises": ("assertRaises", 2),
    "assertAsyncRaisesRegex": ("assertRaisesRegex", 3),
    "assertAsyncWarns": ("assertWarns", 2),
    "assertAsyncWarnsRegex": ("assertWarnsRegex", 3),
}
LOOP_ATTRIBUTES = ("use_default_loop", "forbid_get_event_loop")

WHY = "asynctest does not import on Python 3.11+"
UNKNOWN_MESSAGES = {
    "ClockedTestCase": (
        "asynctest.ClockedTestCase has no standard equivalent (it fakes the loop clock with "
        "advance()); rewrite these tests with short real timeouts or a fake clock, then drop asynctest"
    ),
    "fail_on": (
        "@asynctest.fail_on checks the loop after the test; IsolatedAsyncioTestCase has no such "
        "check: remove the decorator (asserting by hand what it checked)"
    ),
    "strict": "@asynctest.strict has no standard equivalent: remove the decorator",
    "lenient": "@asynctest.lenient has no standard equivalent: remove the decorator",
    "ignore_loop": "@asynctest.ignore_loop has no standard equivalent: remove the decorator",
    "return_once": (
        "asynctest.return_once has no unittest.mock equivalent: use "
        "side_effect=itertools.chain([value], itertools.repeat(then))"
    ),
    "exhaust_callbacks": (
        "asynctest.helpers.exhaust_callbacks has no standard equivalent: await asyncio.sleep(0) "
        "until the callbacks you wait for have run"
    ),
    "FunctionTestCase": "asynctest.FunctionTestCase: use unittest.FunctionTestCase with a sync function",
}


def chain_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    result: list[cst.CSTNode] = []
    while isinstance(node, cst.Attribute):
        result.append(node)
        node = node.value
    if isinstance(node, cst.Name):
        result.append(node)
    return result


def self_attribute(node: cst.CSTNode, attr: str | None = None) -> str | None:
    """``self.<name>`` → name (optionally only when it equals ``attr``)."""
    if (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value == "self"
        and (attr is None or node.attr.value == attr)
    ):
        return node.attr.value
    return None


def async_methods(cls: cst.ClassDef) -> frozenset[str]:
    """The names of the async methods defined in a class body."""
    if not isinstance(cls.body, cst.IndentedBlock):
        return frozenset()
    return frozenset(
        stmt.name.value for stmt in cls.body.body if isinstance(stmt, cst.FunctionDef) and stmt.asynchronous is not None
    )


def name_taken(source: str, name: str, imports: ImportMap, allowed: str) -> bool:
    """Whether ``name`` is bound or used in the module as anything but ``allowed``."""
    bound = imports.names.get(name)
    if bound is not None:
        return bound != allowed
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name:
            return True
        if isinstance(node, ast.arg) and node.arg == name:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
    return False
