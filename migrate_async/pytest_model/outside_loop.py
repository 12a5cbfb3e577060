"""What pytest runs outside any event loop: sync ``pytest.fixture`` functions, xunit setup and
teardown (and the methods of its class that they call), sync tests.

pytest-asyncio runs only async tests and fixtures (and, from 1.4, sync
``pytest_asyncio.fixture`` ones) with a loop current; since 1.4 none is left set once an
async test has run, so code here that takes the current loop
(:data:`CURRENT_LOOP_READERS`) raises "There is no current event loop". And what sync code
found as the current loop under pytest-asyncio 0.21 (:data:`CURRENT_LOOP_CALLS`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import libcst as cst

from ..cstkit.name_index import NameIndex
from ..cstkit.walk import nodes_under
from ..imports.resolve import ImportMap, ast_dotted_name
from .collection import (
    XUNIT_FUNCTIONS,
    XUNIT_METHODS,
    class_lineage,
    collected_test_function,
    is_unittest_class,
)
from .fixtures import fixture_decorator
from .loop_flow import NOT_FIXTURES
from .marks import asked_fixtures

if TYPE_CHECKING:
    from ..project import ProjectFacts


#: Calls that take the current event loop when called outside a running one (what they are
#: spelled as in a note): ``asyncio.get_event_loop()`` underneath, or, in aiohttp 3.10 and
#: later, ``asyncio.get_running_loop()``, which fails there outright.
CURRENT_LOOP_READERS: dict[str, str] = {
    "asyncio.Future": "asyncio.Future()",
    "asyncio.futures.Future": "asyncio.Future()",
    "asyncio.ensure_future": "asyncio.ensure_future()",
    "aiohttp.ClientSession": "aiohttp.ClientSession()",
    "aiohttp.client.ClientSession": "aiohttp.ClientSession()",
    "aiohttp.TCPConnector": "aiohttp.TCPConnector()",
    "aiohttp.connector.TCPConnector": "aiohttp.TCPConnector()",
    "aiohttp.UnixConnector": "aiohttp.UnixConnector()",
    "aiohttp.connector.UnixConnector": "aiohttp.UnixConnector()",
}
#: Calls that find the loop pytest-asyncio 0.21 made current for a sync test that requested
#: ``event_loop`` (asked by sync-to-async: such a test keeps the parameter it seems not to
#: use). Not :data:`CURRENT_LOOP_READERS`, though the two overlap (``asyncio.Future``,
#: ``asyncio.ensure_future``): these are the asyncio calls that may use the current loop at
#: all, however they are called (``asyncio.run_coroutine_threadsafe(coro, loop)`` is one for
#: the loop its caller may have found that way), where a miss would break a test; the readers
#: are the calls get-running-loop reports where no loop is current, each as its note spells
#: it and only when not given a loop (``loop=``, a ClientSession's ``connector=``), where a
#: false report is worse than a miss. One table for both would make get-running-loop report
#: calls that take no current loop (``run_coroutine_threadsafe(coro, loop)``) and widen its
#: gate, and sync-to-async keep the parameter of tests that only open an aiohttp session.
CURRENT_LOOP_CALLS = frozenset({
    "asyncio.get_event_loop", "asyncio.ensure_future", "asyncio.gather", "asyncio.Future",
    "asyncio.wrap_future", "asyncio.run_coroutine_threadsafe",
})
#: ``asyncio.get_event_loop_policy().get_event_loop()``: what ``asyncio.get_event_loop()``
#: asks outside a coroutine, spelled out (libraries wrote it so to avoid its deprecation
#: warning); like it, it raises "There is no current event loop" where pytest-asyncio 1.4
#: left none set.
GET_POLICY = "asyncio.get_event_loop_policy"
POLICY_LOOP_METHOD = "get_event_loop"


def reads_policy_loop(call: cst.Call, imports: ImportMap) -> bool:
    """Whether a LibCST call is ``asyncio.get_event_loop_policy().get_event_loop()``."""
    func = call.func
    return (
        isinstance(func, cst.Attribute) and func.attr.value == POLICY_LOOP_METHOD
        and isinstance(func.value, cst.Call) and imports.qualify(func.value.func) == GET_POLICY
    )


def ast_reads_policy_loop(call: ast.Call, qualify: "Callable[[ast.AST], str | None]") -> bool:
    """Whether an ``ast`` call is ``asyncio.get_event_loop_policy().get_event_loop()``
    (``qualify``: the module's names, e.g. ImportMap.qualify_ast)."""
    func = call.func
    return (
        isinstance(func, ast.Attribute) and func.attr == POLICY_LOOP_METHOD
        and isinstance(func.value, ast.Call) and qualify(func.value.func) == GET_POLICY
    )


def requests_a_loop(func: cst.FunctionDef, imports: ImportMap) -> bool:
    """Whether a function pytest runs outside any loop requests a fixture named for a loop
    (``event_loop``, ``loop``, ``thread_loop``), by parameter or ``usefixtures``: one of the
    project's own may have made its loop current for it (the event_loop fixture
    migrate-async writes does), so a call that takes the current loop there may well find one."""
    return any(name.lower().endswith("loop") for name in asked_fixtures(func, imports))


#: The exceptions whose handler catches "There is no current event loop" (a RuntimeError):
#: code that reads the current loop inside such a ``try`` copes with there being none.
NO_CURRENT_LOOP_CAUGHT_BY = frozenset({"RuntimeError", "Exception", "BaseException"})


def ast_catches_no_current_loop(handler: ast.ExceptHandler) -> bool:
    """Whether an ``except`` clause read with ``ast`` catches the RuntimeError a current-loop
    reader raises where no loop is current (by name, in a tuple, through Exception or
    BaseException, or a bare ``except:``)."""
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(ast_dotted_name(n) in NO_CURRENT_LOOP_CAUGHT_BY for n in names)


def ast_copes_with_no_current_loop(handler: ast.ExceptHandler) -> bool:
    """Whether an ``except`` clause read with ``ast`` catches that RuntimeError
    (:func:`ast_catches_no_current_loop`) and does not raise again: one whose own body raises
    (``raise``, ``raise ValueError(...) from e``) passes the failure on, so the reader in its
    ``try`` still needs a current loop; a ``raise`` under an ``if`` is taken for a filter
    (re-raising what is not "no current event loop")."""
    return ast_catches_no_current_loop(handler) and not any(isinstance(s, ast.Raise) for s in handler.body)


#: The calls that, made in a coroutine with no argument, return the loop it runs in.
RUNNING_LOOP_CALLS = frozenset({"asyncio.get_event_loop", "asyncio.get_running_loop"})
#: The asyncio calls that read what runs in the loop they are given (its tasks; the loop as
#: their first argument or ``loop=``): given the ``event_loop`` fixture's loop, they inspect
#: one pytest-asyncio 1.x runs no test in; with no loop, in a coroutine, they read the
#: running one. Called so in an async fixture's teardown, ``all_tasks`` finds that teardown's
#: own task too (pytest-asyncio runs the code after the yield in a task of its own).
LOOP_TASK_READERS = frozenset({
    "asyncio.all_tasks", "asyncio.current_task", "asyncio.tasks.all_tasks", "asyncio.tasks.current_task",
})
ALL_TASKS = frozenset({"asyncio.all_tasks", "asyncio.tasks.all_tasks"})
#: Loop methods that run the loop in the calling thread till something is done (on a loop
#: that already runs, the one an async test or fixture gets, they raise "This event loop is
#: already running"), and the asyncio functions that run a loop of their own.
LOOP_RUN_METHODS = frozenset({"run_until_complete", "run_forever"})
LOOP_RUN_FUNCTIONS = frozenset({"asyncio.run", "asyncio.runners.run"})
#: The calls that make a new loop (not current, not running): code that makes its own
#: where it is given none needs no current loop.
LOOP_MAKERS = frozenset({"asyncio.new_event_loop", "asyncio.events.new_event_loop"})
#: The keyword arguments that give a reader its loop instead: ``loop=`` (every one of them),
#: and a ClientSession's ``connector=``, whose loop it takes.
_LOOP_GIVEN_BY = {"aiohttp.ClientSession()": ("loop", "connector")}
#: The calls that make a loop current (``asyncio.set_event_loop(loop)``): a reader after
#: one takes that loop.
SET_CURRENT_LOOP = frozenset({"asyncio.set_event_loop", "asyncio.events.set_event_loop"})
#: Readers that take the current loop only to wrap a coroutine: ``asyncio.ensure_future``
#: hands a Future or Task it is given back as it is. Its first argument is taken for a
#: coroutine only where it is a call (``ensure_future(main())``); a name may hold a task.
_WRAPS_A_COROUTINE = frozenset({"asyncio.ensure_future()"})


def current_loop_reader(full: str | None, keywords: Sequence[str], first_is_call: bool = True) -> str | None:
    """How a call of ``full`` (with arguments of these keywords; its first positional
    argument a call or not) is spelled in a note when it takes the current loop; None when
    it does not, or is given its loop."""
    spelled = CURRENT_LOOP_READERS.get(full or "")
    if spelled is None or any(k in _LOOP_GIVEN_BY.get(spelled, ("loop",)) for k in keywords):
        return None
    if spelled in _WRAPS_A_COROUTINE and not first_is_call:
        return None
    return spelled


def outside_any_loop(
    module: cst.Module, project: ProjectFacts, imports: ImportMap, index: NameIndex | None = None,
) -> dict[int, str]:
    """The functions of ``module`` that pytest runs outside any event loop, by id, with what
    each is: a sync ``pytest.fixture``, an xunit setup or teardown, a sync test; and, in a
    class that is not a unittest one, the sync methods its xunit setup calls as ``self.x()``
    (at any depth); in a unittest class, its sync ``pytest.fixture`` methods. A sync
    ``pytest_asyncio.fixture`` gets the loop current: not one. Nothing in a module that makes
    a loop current itself (``asyncio.set_event_loop(loop)``): its readers may take that one.
    With the file's ``index``, a module that never names ``set_event_loop`` is not searched
    for that call."""
    found: dict[int, str] = {}
    may_set = index is None or index.has(module, mentions=("set_event_loop",))
    if may_set and any(_sets_current_loop(node, imports) for node in nodes_under(module)):
        return found
    classes = {stmt.name.value: stmt for stmt in module.body if isinstance(stmt, cst.ClassDef)}
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            what = _outside_what(stmt, project, imports, XUNIT_FUNCTIONS, scope_collected=True)
            if what is not None:
                found[id(stmt)] = what
        elif isinstance(stmt, cst.ClassDef) and is_unittest_class(stmt, imports):
            # (its setUp may run in the loop: an IsolatedAsyncioTestCase's does)
            for method in stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else ():
                if isinstance(method, cst.FunctionDef) and method.asynchronous is None:
                    info = fixture_decorator(method, imports)
                    if info is not None and info.library == "pytest":
                        found[id(method)] = f"the sync fixture {method.name.value}"
        elif isinstance(stmt, cst.ClassDef):
            methods = {
                m.name.value: m for m in stmt.body.body if isinstance(m, cst.FunctionDef) and m.asynchronous is None
            } if isinstance(stmt.body, cst.IndentedBlock) else {}
            # a sync test of a class with a base from elsewhere may be an IsolatedAsyncioTestCase's,
            # which runs with its loop current: only its xunit methods and fixtures are said
            in_tests = project.is_test_class_name(stmt.name.value) and not class_lineage(stmt, classes)[1]
            todo = []
            for method in methods.values():
                what = _outside_what(method, project, imports, XUNIT_METHODS, scope_collected=in_tests)
                if what is not None:
                    found[id(method)] = what
                    if method.name.value in XUNIT_METHODS:
                        todo.append(method)
            while todo:  # the class's own methods that its xunit setup calls
                caller = todo.pop()
                for node in nodes_under(caller.body):
                    called = _self_method(node)
                    method = methods.get(called) if called is not None else None
                    if method is not None and id(method) not in found:
                        found[id(method)] = f"{called}, which {caller.name.value} calls"
                        todo.append(method)
    return found


def ast_may_run_outside_any_loop(tree: ast.Module, project: ProjectFacts) -> list[ast.FunctionDef]:
    """Read from ``ast``, every function :func:`outside_any_loop` may name (and more): a
    sync def at module level or in a class there that is decorated (a fixture), an xunit
    one, or named like a test; and every sync method of a class with an xunit method (which
    may call it)."""
    functions = [s for s in tree.body if isinstance(s, ast.FunctionDef) and _may_be_outside(s, XUNIT_FUNCTIONS, project)]
    for cls in (s for s in tree.body if isinstance(s, ast.ClassDef)):
        methods = [s for s in cls.body if isinstance(s, ast.FunctionDef)]
        xunit = any(m.name in XUNIT_METHODS for m in methods)
        functions += [m for m in methods if xunit or _may_be_outside(m, XUNIT_METHODS, project)]
    return functions


def _may_be_outside(func: ast.FunctionDef, xunit: frozenset[str], project: ProjectFacts) -> bool:
    return bool(func.decorator_list) or func.name in xunit or project.is_test_function_name(func.name)


def _outside_what(
    func: cst.FunctionDef, project: ProjectFacts, imports: ImportMap, xunit: frozenset[str], scope_collected: bool
) -> str | None:
    if func.asynchronous is not None:
        return None
    info = fixture_decorator(func, imports)
    if info is not None:
        return f"the sync fixture {func.name.value}" if info.library == "pytest" else None
    if func.name.value in xunit:
        return func.name.value
    if collected_test_function(func, project, imports, asynchronous=False, scope_collected=scope_collected):
        return f"the sync test {func.name.value}"
    return None


def _sets_current_loop(node: cst.CSTNode, imports: ImportMap) -> bool:
    """A call ``asyncio.set_event_loop(x)`` with a loop (not ``None``)."""
    if not isinstance(node, cst.Call) or len(node.args) != 1 or imports.qualify(node.func) not in SET_CURRENT_LOOP:
        return False
    value = node.args[0].value
    return not (isinstance(value, cst.Name) and value.value == "None")


def ast_sets_current_loop(node: ast.AST, imports: ImportMap) -> bool:
    """:func:`_sets_current_loop` of an ``ast`` node."""
    if not isinstance(node, ast.Call) or len(node.args) != 1 or imports.qualify_ast(node.func) not in SET_CURRENT_LOOP:
        return False
    value = node.args[0]
    return not (isinstance(value, ast.Constant) and value.value is None)


def _self_method(node: cst.CSTNode) -> str | None:
    """``x`` for a call ``self.x(...)`` or ``cls.x(...)``."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
        if node.func.value.value in NOT_FIXTURES:
            return node.func.attr.value
    return None


def is_running_loop_call(expr: cst.BaseExpression, imports: ImportMap) -> bool:
    """A call of :data:`RUNNING_LOOP_CALLS` with no argument, spelled any way the imports allow
    (in a coroutine: the loop it runs in)."""
    return isinstance(expr, cst.Call) and not expr.args and imports.qualify(expr.func) in RUNNING_LOOP_CALLS
