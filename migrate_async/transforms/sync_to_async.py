"""sync-to-async: sync tests and fixtures that drive coroutines with ``run_until_complete`` → ``async def`` + ``await``.

What:
    A sync test or sync ``@pytest.fixture`` (``yield`` fixtures included) that drives coroutines
    with ``run_until_complete(...)`` on the ``event_loop`` fixture or on
    ``asyncio.get_event_loop()`` (inline, or stored in a local first:
    ``loop = asyncio.get_event_loop()``) becomes an ``async def`` that awaits what it used to
    run: ``event_loop.run_until_complete(client.get(url))`` → ``await client.get(url)``, also
    for ``asyncio.gather(...)``, tasks and futures. The ``event_loop`` parameter is removed (a
    signature that loses its only parameter closes up); when the body still uses the loop for
    something else (``event_loop.create_future()``, ``call_later``),
    ``event_loop = asyncio.get_running_loop()`` becomes the first statement, and a local
    ``loop = asyncio.get_event_loop()`` becomes ``asyncio.get_running_loop()`` (or goes away when
    it only drove coroutines). In strict mode a converted test gets ``@pytest.mark.asyncio`` as
    first decorator (spelled the way the module spells pytest, unless a class or module mark
    already reaches it) and a converted fixture becomes ``@pytest_asyncio.fixture`` with its
    arguments kept, plus ``loop_scope=`` equal to a wider literal ``scope=`` (target ≥ 0.24); in
    auto mode the decorators stay as they are. Either way, a converted function stays on the
    loop it ran on, the function-scoped one of its test: where the configured
    ``asyncio_default_fixture_loop_scope`` (``asyncio_default_test_loop_scope``) names another
    scope, a converted fixture gets ``@pytest_asyncio.fixture(loop_scope="function")`` (a
    converted test ``@pytest.mark.asyncio(loop_scope="function")``). A converted yield fixture's
    ``Iterator[T]``/``Iterable[T]``/``Generator[T, S, None]`` return annotation becomes
    ``AsyncIterator[T]``/``AsyncIterable[T]``/``AsyncGenerator[T, S]``. A fixture that
    registers a local ``def close()`` with ``request.addfinalizer(close)`` right before its
    only ``return value`` (a finalizer cannot be a coroutine) becomes a yield fixture:
    ``yield value``, then close's body, awaited; ``-> T`` becomes ``-> AsyncIterator[T]`` and
    ``request`` goes when nothing else reads it.

    Only what drove coroutines on that loop becomes async. A sync test or fixture that requests
    ``event_loop`` and never uses it loses the parameter and stays sync, unless its sync code
    finds the current loop (``asyncio.get_event_loop()``, ``ensure_future``, ``gather``, ...,
    itself or in a class or helper of the module it calls), which 0.21 made the fixture's: then
    it keeps the parameter, on the project's own ``event_loop``. One that needs the loop
    object (hands it to a constructor or helper, stores it, creates futures on it without
    running it, controls it with ``run_forever``/``stop``/``close``, drives it from a callback)
    stays sync, and the nearest conftest.py gets an ``event_loop`` fixture of the project's own:
    a new loop, current while it lives, closed after, as pytest-asyncio 0.21's was. A fixture that only hands out
    the loop (``def loop(event_loop): return event_loop``, pytest-aiohttp's name) becomes an
    async fixture returning ``asyncio.get_running_loop()`` when no sync code requests it: in a
    test module, none of its own; in a conftest.py, none of the modules below it, as the
    survey saw them (a run that named only some of them, or a name without "loop", keeps it).

Why:
    pytest-asyncio 1.0 removed the ``event_loop`` fixture ("fixture 'event_loop' not found"), and
    since 1.4 no current loop is left set between tests, so ``asyncio.get_event_loop()`` in sync
    code raises "There is no current event loop". The official migration ("migrate from 0.21",
    steps 2–3) makes such tests and fixtures coroutines; they then run in the loop pytest-asyncio
    gives them, which converted fixtures and tests of the same loop scope share. Before 1.0 a
    fixture that used ``event_loop`` ran on its test's loop; with
    ``asyncio_default_fixture_loop_scope = session`` configured, the converted fixture would
    run on the session loop while its test runs on a function loop, and a server it starts
    never answers. Code that needs a loop object rather than the running loop cannot become a
    coroutine (``run_until_complete`` inside a running loop fails with "Cannot run the event
    loop while another loop is running"); a loop of its own is what it had.

Safety:
    A function becomes async only when every loop use in it can become ``await``; otherwise it
    stays sync: with the project's own ``event_loop`` when it requested the fixture, else as it
    is, reported (``run_until_complete`` on a ``get_event_loop()`` loop stored or handed on, a
    ``yield from`` or a value ``return`` in a ``yield`` fixture, a loop run the function cannot
    await next to ones it can, calls of a same-module helper that runs ``run_until_complete``
    itself). A function and the same-module fixtures it reaches (directly or through other
    fixtures of the module) go one way together: when one of them keeps a loop of its own, none
    becomes async (an async fixture on pytest-asyncio's loop whose results a sync test drives
    on another loop fails or hangs), and one held back so, with nothing else in its way, is
    reported. Where the project's own ``event_loop`` is there already (on 1.x, or after a first
    run), what takes it is left as it is and holds back what goes with it, so a second run
    changes nothing; a module that defines ``event_loop`` itself gets none in a conftest.py.
    No loop of its own
    where the code also meets pytest-asyncio's loop (it requests an async fixture of the module,
    an async test or fixture requests it) or in a conftest.py (whose consumers are not seen
    here): those stay as they are, with notes. Helpers (functions that are neither tests nor
    fixtures) stay sync; a ``run_until_complete`` on ``get_event_loop()``, or on a loop they are
    given by callers other than sync tests on the project's own loop, is reported. Untouched:
    ``asyncio.run`` anywhere (a sync test calling it is modern code, and may test exactly that),
    loops a test or thread creates itself (``asyncio.new_event_loop()``), sync
    ``@pytest_asyncio.fixture`` functions (pytest-asyncio ≥ 1.4 sets their loop as current),
    ``event_loop``/``event_loop_policy`` fixture definitions, unittest classes, and modules run
    by anyio or trio. A sync test that merely consumes a converted fixture stays sync:
    pytest-asyncio runs async fixtures for sync tests too (strict and auto mode,
    pytest-asyncio #287). A converted test reached by a class or module asyncio mark that
    gives it another loop than it ran on gets a mark of its own with that ``loop_scope=``
    (the closest mark wins). Fixtures of a conftest.py meet the modules below it only as the
    survey tells: its async fixtures, and its sync ones that take ``event_loop``, count as on
    pytest-asyncio's loop.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from ..cstkit.edits import insert_assignment_first, is_docstring, remove_param
from ..cstkit.names import assigned_names, defined_names, names_in
from ..cstkit.scope import Kind, ScopeStack
from ..imports.resolve import ImportMap
from ..project import FileFacts
from ..pytest_model.collection import (
    collected_class,
    collected_test_function,
    is_unittest_class,
)
from ..pytest_model.conftest_code import own_loop_code
from ..pytest_model.event_loop import survey_event_loop
from ..pytest_model.fixtures import (
    FixtureInfo,
    ast_fixture_decorator,
    ast_fixture_name,
    ast_fixture_scope,
    fixture_decorator,
    injectable_param,
    with_loop_scope,
)
from ..pytest_model.loop_scopes import SCOPES, wider_scope
from ..pytest_model.marks import (
    MarkInfo,
    decorator_marks,
    pytestmark_marks,
)
from ..pytest_model.versions import LOOP_SCOPE_KWARG
from .examples import Example
from .transform import MigrationContext, Transform
from .triggers import Triggers

FIXTURE = "event_loop"
RUN = "run_until_complete"
#: Loop methods that make no sense on a running loop (or change meaning there).
LOOP_CONTROL = frozenset({"run_forever", "stop", "close", "is_running", "is_closed"})
#: Calls that find the current loop (in sync code, the one 0.21 set for a test that requested
#: ``event_loop``): a test that makes them keeps the parameter it seems not to use.
CURRENT_LOOP_CALLS = frozenset({
    "asyncio.get_event_loop", "asyncio.ensure_future", "asyncio.gather", "asyncio.Future",
    "asyncio.wrap_future", "asyncio.run_coroutine_threadsafe",
})
#: Fixture names that belong to pytest-asyncio's loop machinery (event-loop-fixture's business).
LOOP_FIXTURES = frozenset({"event_loop", "event_loop_policy"})
WIDER_SCOPES = ("class", "module", "package", "session")
#: A generator fixture's return annotation → the one of the async generator it becomes
#: (``Generator[T, S, None]`` → ``AsyncGenerator[T, S]``; mypy rejects an async generator
#: annotated ``Iterator``), in the module the annotation names.
ASYNC_GENERATOR_TYPES = {"Iterator": "AsyncIterator", "Iterable": "AsyncIterable", "Generator": "AsyncGenerator"}


# -- the analysis of one function -------------------------------------------------------------


@dataclass
class _Plan:
    """What converting one function takes, or why it cannot be converted."""

    kind: str  # "test", "fixture" or "helper"
    loop_param: str | None = None
    drivers: list[cst.Call] = field(default_factory=list)  # calls that become ``await <arg>``
    blockers: list[tuple[cst.CSTNode, str]] = field(default_factory=list)
    #: only block a conversion (a loop run that cannot be awaited next to ones that can)
    conditional: list[tuple[cst.CSTNode, str]] = field(default_factory=list)
    loop_vars: dict[str, cst.SimpleStatementLine] = field(default_factory=dict)
    other_use: set[str] = field(default_factory=set)  # loop names used for more than running
    helper_runs: list[cst.Call] = field(default_factory=list)  # helpers: runs to report
    helper_calls: set[str] = field(default_factory=set)  # the same-module helpers it calls that run a loop
    marked: bool = False  # an asyncio mark already reaches the test
    #: the loop scope the closest asyncio mark names: None when it names none (the configured
    #: default), "?" when it is not a literal
    mark_scope: str | None = None
    #: the closest asyncio mark is the function's own decorator
    own_mark: bool = False
    generator: bool = False  # a ``yield`` fixture
    #: a fixture that returns its value after ``request.addfinalizer(close)`` of a local
    #: ``def close()``: it becomes a ``yield`` fixture with close's body after the yield
    finalizer: "_Finalizer | None" = None
    #: it calls ``addfinalizer`` (for the notes: a finalizer cannot be a coroutine)
    registers_finalizer: bool = False
    loop_used: bool = False  # the body names the ``event_loop`` parameter
    #: the names of the other parameters (the fixtures it requests)
    requests: tuple[str, ...] = ()
    #: what becomes of it, settled once every function of the module is planned (see
    #: SyncToAsync._settle): "convert" (async def + await), "unused" (the unused
    #: ``event_loop`` parameter goes, it stays sync), "own" (it stays sync with an
    #: ``event_loop`` fixture of the project's own), "alias" (a fixture that only handed out
    #: the loop hands out the running one, see ``alias``) or "leave" (as it is, with its notes)
    state: str = "leave"
    #: fixtures on pytest-asyncio's loop that kept it from a loop of its own
    meets: tuple[str, ...] = ()
    #: a fixture whose body only returns or yields ``event_loop`` (``loop``, as pytest-aiohttp
    #: named it): state "alias" makes it an async fixture giving the running loop
    alias: bool = False
    #: the function's name, as notes say it
    name: str = ""
    #: it takes the project's own ``event_loop`` already (FileFacts.own_event_loop, on 1.x or
    #: after a first run): left as it is, without a note, but its partners still go with it
    kept: bool = False
    #: the scope of the ``event_loop`` it ran on before 1.0 (see _surveyed_loop_scope), and
    #: whether its module or class defines that one itself
    ran_on: str | None = "function"
    local_loop: bool = False
    #: why it gets no loop of its own, though it needs one (it stays as it is)
    why: str | None = None
    #: the function that kept it from becoming async (it keeps a loop of its own)
    held_by: str | None = None
    #: its sync code finds the current loop (CURRENT_LOOP_CALLS), itself or through a class
    #: or helper of the module: an ``event_loop`` it seems not to use made that loop current
    current_loop: bool = False

    @property
    def candidate(self) -> bool:
        return self.kind != "helper" and (bool(self.drivers) or self.loop_param is not None)

    @property
    def convertible(self) -> bool:
        # only what drove coroutines on the loop becomes async: a test that merely requests
        # the loop, or hands the loop object to code of its own, stays sync
        return self.kind != "helper" and bool(self.drivers) and not self.blockers and not self.conditional

    @property
    def unused_loop(self) -> bool:
        return (
            self.kind != "helper" and self.loop_param is not None and not self.loop_used
            and not self.drivers and not self.blockers
        )


class _Analysis(cst.CSTVisitor):
    """Walks a function body once and fills its :class:`_Plan`."""

    def __init__(
        self,
        owner: "SyncToAsync",
        plan: _Plan,
        name: str,
        loop_names: set[str],
        helpers: set[str],
        method_helpers: set[str],
    ) -> None:
        self.owner = owner
        self.plan = plan
        self.name = name
        self.loop_names = loop_names
        self.helpers = helpers
        self.method_helpers = method_helpers
        # what the walk is nested in below the function's own body; a generator expression
        # counts: ``await`` in it would make it an async generator expression
        self.scope: ScopeStack[None] = ScopeStack(generator_frames=True)
        self.consumed: set[int] = set()
        self.has_yield = False
        self.value_returns: list[cst.Return] = []

    # scopes
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if self.plan.finalizer is not None and node is self.plan.finalizer.close:
            return True  # its body goes after the fixture's yield: read as the fixture's own
        for param in _all_params(node.params):
            self.consumed.add(id(param.name))
        self.scope.enter(node)
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        if self.plan.finalizer is not None and original_node is self.plan.finalizer.close:
            return
        self.scope.leave(original_node)

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        for param in _all_params(node.params):
            self.consumed.add(id(param.name))
        self.scope.enter(node)
        return True

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scope.leave(original_node)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.consumed.add(id(node.name))
        self.scope.enter(node)
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scope.leave(original_node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool:
        self.scope.enter(node)
        return True

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self.scope.leave(original_node)

    def _where(self) -> str:
        """What the walk is directly in, as the notes say it."""
        frame = self.scope.innermost
        assert frame is not None
        return _WHERE[frame.kind]

    # generators
    def visit_Yield(self, node: cst.Yield) -> None:
        if self.scope.nested():
            return
        self.has_yield = True
        if isinstance(node.value, cst.From):
            self.plan.blockers.append((node, f"{self.name} uses 'yield from', which an async generator cannot; "
                                             "convert it to async by hand"))

    def visit_Return(self, node: cst.Return) -> None:
        if not self.scope.nested() and node.value is not None:
            self.value_returns.append(node)

    # names
    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self.consumed.add(id(node.attr))
        value = node.value
        if isinstance(value, cst.Name) and value.value in self.loop_names and id(value) not in self.consumed:
            self.consumed.add(id(value))
            method = node.attr.value
            if method == RUN:
                self._block(node, f"{self.name} passes {value.value}.run_until_complete on as a sync callback; "
                                  "left as it is: the callback must stay sync (give it a loop of its own, "
                                  "e.g. asyncio.run) or become a coroutine the test awaits")
            elif method in LOOP_CONTROL:
                self._loop_control(node, value.value, method)
            else:
                self.plan.other_use.add(value.value)
        return True

    def visit_Arg(self, node: cst.Arg) -> bool:
        if node.keyword is not None:
            self.consumed.add(id(node.keyword))
        return True

    def visit_Comparison(self, node: cst.Comparison) -> bool:
        operands = [node.left, *(target.comparator for target in node.comparisons)]
        for operand in operands:
            if isinstance(operand, cst.Name) and operand.value in self.loop_names:
                self.consumed.add(id(operand))
                self.plan.other_use.add(operand.value)
        return True

    def visit_Name(self, node: cst.Name) -> None:
        if node.value not in self.loop_names or id(node) in self.consumed:
            return
        self.consumed.add(id(node))
        self._block(node, f"{self.name} passes the loop '{node.value}' on to other code or stores it; "
                          "left as it is: make it async by hand and hand over asyncio.get_running_loop() "
                          "where the receiver needs the running loop")

    # calls
    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == RUN:
            self._run_until_complete(node, func.value)
            return True
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            receiver = func.value
            if receiver.value in self.loop_names and func.attr.value in LOOP_CONTROL:
                self.consumed.add(id(receiver))
                self._loop_control(node, receiver.value, func.attr.value)
                return True
            if receiver.value == "self" and func.attr.value in self.method_helpers and not self.scope.nested():
                self.plan.helper_calls.add(func.attr.value)
                self.plan.conditional.append((node, self._helper_message(func.attr.value)))
                return True
        full = self.owner.imports.qualify(func)
        if full == "asyncio.run":
            self._asyncio_run(node)
        elif isinstance(func, cst.Name) and func.value in self.helpers and not self.scope.nested():
            self.plan.helper_calls.add(func.value)
            self.plan.conditional.append((node, self._helper_message(func.value)))
        return True

    def _helper_message(self, helper: str) -> str:
        return (f"{self.name} calls {helper}(), which runs run_until_complete() itself and would fail inside "
                f"a running loop; left as it is: make {helper} a coroutine first, then convert {self.name}")

    def _run_until_complete(self, node: cst.Call, receiver: cst.BaseExpression) -> None:
        recognized = False
        if isinstance(receiver, cst.Name) and receiver.value in self.loop_names:
            self.consumed.add(id(receiver))
            recognized = True
        elif self.owner._is_get_event_loop(receiver):
            recognized = True
        if self.plan.kind == "helper":
            if recognized:
                self.plan.helper_runs.append(node)
            return
        if not recognized:
            if not self.scope.nested():
                self.plan.conditional.append((node, (
                    f"{self.name} also runs a loop it cannot await (run_until_complete on another loop), "
                    "which fails inside a running loop; left as it is: convert it by hand")))
            return
        innermost = self.scope.innermost
        if innermost is not None and innermost.kind is Kind.GENERATOR:
            self._block(node, f"run_until_complete() inside a generator expression of {self.name} cannot become "
                              "'await' (that would make it an async generator); left as it is: use a list "
                              f"comprehension or a for loop, then convert {self.name}")
            return
        if self.scope.nested():
            if self.plan.registers_finalizer:
                self._block(node, f"run_until_complete() inside a {self._where()} of {self.name} cannot become "
                                  "'await', and a finalizer cannot be a coroutine; left as it is: make it a yield "
                                  "fixture with that teardown after the yield, then convert it (this tool does so "
                                  "for a local def registered right before the only return, named nowhere else, "
                                  f"when the return gives a name)")
                return
            self._block(node, f"run_until_complete() inside a {self._where()} of {self.name} cannot become "
                              "'await'; left as it is: make the callback a coroutine (or give it a loop of its own) "
                              f"and convert {self.name} by hand")
            return
        if _single_argument(node) is None:
            self._block(node, f"run_until_complete() in {self.name} has unusual arguments; convert it by hand")
            return
        self.plan.drivers.append(node)

    def _asyncio_run(self, node: cst.Call) -> None:
        if self.plan.kind == "helper":
            return
        if self.scope.nested():
            self.plan.conditional.append((node, (
                f"{self.name} calls asyncio.run() in a {self._where()}, which fails if it runs inside the "
                f"running loop; left as it is: convert {self.name} by hand")))
            return
        # a sync test that calls asyncio.run() is modern code: it may test exactly that (an app
        # started after asyncio.run()); it only blocks converting a function that also drives
        # the fixture's loop
        self.plan.conditional.append((node, (
            f"{self.name} calls asyncio.run(), which fails inside a running loop; left as it is: "
            "await the coroutine instead once the function is async")))

    def _loop_control(self, node: cst.CSTNode, loop: str, method: str) -> None:
        self._block(node, f"{self.name} uses {loop}.{method}(), which does not work on the running loop an "
                          "async test or fixture gets; left as it is: rewrite the loop control by hand "
                          "(await an event or a future; pytest-asyncio closes its loops itself)")

    def _block(self, node: cst.CSTNode, message: str) -> None:
        if self.plan.kind == "helper":
            return
        self.plan.blockers.append((node, message))

    def finish(self) -> None:
        if self.has_yield and self.value_returns and self.plan.kind != "helper":
            self.plan.blockers.append((self.value_returns[0], (
                f"{self.name} returns a value from a generator, which an async generator cannot; "
                "convert it by hand")))


#: How a note names the kind of code a loop run is nested in.
_WHERE = {
    Kind.FUNCTION: "nested function",
    Kind.COROUTINE: "nested function",
    Kind.LAMBDA: "lambda",
    Kind.CLASS: "class",
    Kind.GENERATOR: "generator expression",
}


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    result = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            result.append(star)
    return result


def _single_argument(call: cst.Call) -> cst.BaseExpression | None:
    """The one argument of ``run_until_complete(x)`` (or ``future=x``), else None."""
    if len(call.args) != 1:
        return None
    arg = call.args[0]
    if arg.star:
        return None
    if arg.keyword is not None and arg.keyword.value != "future":
        return None
    return arg.value


class _Dedent(cst.CSTTransformer):
    """Remove ``amount`` columns from the continuation lines of an expression."""

    def __init__(self, amount: int) -> None:
        self.amount = amount

    def leave_ParenthesizedWhitespace(
        self, original_node: cst.ParenthesizedWhitespace, updated_node: cst.ParenthesizedWhitespace
    ) -> cst.ParenthesizedWhitespace:
        value = updated_node.last_line.value
        if updated_node.indent and value.startswith(" " * self.amount):
            return updated_node.with_changes(last_line=cst.SimpleWhitespace(value[self.amount:]))
        return updated_node


def _continuation_indent(ws: cst.BaseParenthesizableWhitespace) -> int | None:
    if isinstance(ws, cst.ParenthesizedWhitespace) and ws.indent:
        return len(ws.last_line.value)
    return None


# -- the transform ----------------------------------------------------------------------------


#: What ``migrate-async explain sync-to-async`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="a fixture and a test that drove coroutines on the ``event_loop`` fixture",
        before="""
            import pytest

            @pytest.fixture
            def account(event_loop):
                account = event_loop.run_until_complete(Bank.open_account("alice"))
                yield account
                event_loop.run_until_complete(account.close())

            def test_deposit(account, event_loop):
                balance = event_loop.run_until_complete(account.deposit(30))
                assert balance == 130
            """,
        after="""
            import pytest
            import pytest_asyncio

            @pytest_asyncio.fixture
            async def account():
                account = await Bank.open_account("alice")
                yield account
                await account.close()

            @pytest.mark.asyncio
            async def test_deposit(account):
                balance = await account.deposit(30)
                assert balance == 130
            """,
    ),
    Example(
        title="in auto mode the decorators stay as they are; a loop looked up only to run coroutines goes",
        mode="auto",
        before="""
            import asyncio

            import pytest

            @pytest.fixture
            def account():
                loop = asyncio.get_event_loop()
                return loop.run_until_complete(Bank.open_account("alice"))

            def test_deposit(account, event_loop):
                assert event_loop.run_until_complete(account.deposit(30)) == 130
            """,
        after="""
            import pytest

            @pytest.fixture
            async def account():
                return await Bank.open_account("alice")

            async def test_deposit(account):
                assert await account.deposit(30) == 130
            """,
    ),
    Example(
        title="a test that requests the loop but drives none of it stays sync; ``asyncio.run`` is left alone",
        before="""
            import asyncio

            def test_handler_runs_its_own_loop(app, event_loop):
                assert app.handle("ada") == "hello ada"

            def test_report_then_cli(capsys):
                asyncio.run(build_report("2024-05"))
                assert main(["2024-05"]) == 0
            """,
        after="""
            import asyncio

            def test_handler_runs_its_own_loop(app):
                assert app.handle("ada") == "hello ada"

            def test_report_then_cli(capsys):
                asyncio.run(build_report("2024-05"))
                assert main(["2024-05"]) == 0
            """,
    ),
    Example(
        title="a loop the test makes itself, and ``run_until_complete`` passed as a value",
        before="""
            import asyncio

            def test_worker_thread_has_its_own_loop():
                loop = asyncio.new_event_loop()
                try:
                    assert loop.run_until_complete(work()) == 42
                finally:
                    loop.close()

            def test_benchmark(benchmark, event_loop):
                benchmark(event_loop.run_until_complete, work())
            """,
    ),
)


class SyncToAsync(Transform):
    name = "sync-to-async"
    summary = "sync tests and fixtures that drive coroutines with run_until_complete → async def + await"
    default = True
    # a loop driver: ``run_until_complete`` (on any loop, pytest-aiohttp's ``loop`` too), or a
    # sync test that only requests ``event_loop`` (``asyncio.run`` in a sync test is left alone)
    triggers = Triggers(
        any=(b"run_until_complete", b"event_loop"),
        produces=(b"async def", b"mark.asyncio", b"pytest_asyncio"),
        survey=(b"fixture",),
        # test modules too: which fixtures named for a loop their sync code requests (a
        # conftest.py's ``loop`` fixture handing out event_loop is converted only when none does)
        survey_also=(b"def test", b"loop"),
    )

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._plans: dict[cst.FunctionDef, _Plan] = {}
        self._loop_scope: str | None = "function"  # the old event_loop's, see _surveyed_loop_scope
        self._defines_loop = False  # the module defines event_loop itself (its own tests use that)
        self._current_loop_users: set[str] = set()  # see _finds_current_loop
        self._drivers: set[cst.Call] = set()  # the original calls that become ``await <arg>``
        self._loop_defs: dict[cst.SimpleStatementLine, bool] = {}  # original statement → keep (as running loop)
        self._awaits: set[int] = set()
        # only defs are entered (statements outside every def are not rewritten): the
        # question asked, inside_function(), does not depend on the other frames
        self.scope: ScopeStack[None] = ScopeStack(generator_frames=False)

    @classmethod
    def survey(cls, source: str, facts: FileFacts) -> Any:
        """What a conftest.py tells the modules below it: the cache scopes of the
        ``event_loop`` fixtures it defines (None for a scope that is not a literal), and the
        names of its fixtures that run on pytest-asyncio's loop after the migration (async
        ones, and sync ones that take ``event_loop``, which may be converted); None when it
        has neither. A module's own definitions are read from its tree.

        Of a test module: the fixtures named for a loop that its sync tests and fixtures
        request (:class:`SyncLoopRequests`), for the conftest.py files above it (see
        :meth:`gather`)."""
        if not facts.is_conftest:
            # (a test module without "loop" requests no fixture named for one: not parsed)
            return _sync_loop_requests(source, facts) if facts.is_test_module and "loop" in source else None
        read = survey_event_loop(source)
        scopes: list[str | None] = []
        on_asyncio_loop: set[str] = set()
        for statement in read.tree.body:
            if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            decorator = ast_fixture_decorator(statement, None)
            if decorator is None:
                continue
            name = ast_fixture_name(statement, decorator)
            if name == FIXTURE:
                scopes.append(ast_fixture_scope(decorator))
            elif isinstance(statement, ast.AsyncFunctionDef) or any(
                a.arg == FIXTURE for a in statement.args.args + statement.args.kwonlyargs
            ):
                on_asyncio_loop.add(name)
        if not scopes and not on_asyncio_loop:
            return None
        return tuple(scopes), frozenset(on_asyncio_loop)

    @classmethod
    def gather(cls, found: list[Any]) -> frozenset[str] | None:
        """For a conftest.py: the fixtures named for a loop that sync code below it requests
        (None when a module there could not be read: then anything may)."""
        names: set[str] = set()
        for value in found:
            if isinstance(value, SyncLoopRequests):
                if value.names is None:
                    return None
                names.update(value.names)
        return frozenset(names)

    def _loop_scopes_defined(self, body: Sequence[cst.BaseStatement]) -> tuple[str | None, ...]:
        """The scopes of the ``event_loop`` fixtures a module or class body defines."""
        return tuple(
            info.scope()
            for stmt in body
            if isinstance(stmt, cst.FunctionDef)
            for info in [fixture_decorator(stmt, self.imports)]
            if info is not None and info.registered_name(stmt) == FIXTURE
        )

    def _surveyed_loop_scope(self, body: Sequence[cst.BaseStatement]) -> str | None:
        """The scope of the ``event_loop`` the module's tests got before 1.0: the nearest
        definition's (the module's own, else the closest conftest.py's), else pytest-asyncio's
        function-scoped one; None when that is not known (a scope that is not a literal).
        A class that defines its own overrides this for its tests (see _plan_class)."""
        scopes = self._loop_scopes_defined(body)
        self._defines_loop = bool(scopes)
        if not scopes:
            found = [entry[0] for entry in self._conftest_entries() if entry[0]]
            if not found:
                return "function"
            scopes = found[-1]
        return _one_scope(scopes)

    def _conftest_loop_fixtures(self) -> set[str]:
        """Fixtures of the conftest.py files above that run on pytest-asyncio's loop."""
        names: set[str] = set()
        for entry in self._conftest_entries():
            names.update(entry[1])
        return names

    def _conftest_entries(self) -> list[tuple[tuple[str | None, ...], frozenset[str]]]:
        """What the conftest.py files above said (a module's own value is of another kind)."""
        return [e for e in self.facts.surveyed(self.name) if isinstance(e, tuple)]

    # -- planning ------------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        self._loop_scope = self._surveyed_loop_scope(node.body)
        source = self.source
        if source and not any(word in source for word in (RUN, FIXTURE)):
            return False
        if self.project.trio_mode:
            return False
        if self.runs_other_framework():
            return False
        module_marked = _asyncio_mark(pytestmark_marks(node.body, self.imports))
        self._current_loop_users = self._finds_current_loop(node.body)
        helpers = self._plan_helpers(node.body, set(), collected=True)
        self._plan_body(node.body, helpers, set(), collected=True, marked=module_marked)
        self._settle(node.body)
        for func, plan in self._plans.items():
            self._report(func, plan)
        return any(plan.state != "leave" for plan in self._plans.values())

    def _settle(self, body: Sequence[cst.BaseStatement]) -> None:
        """Decide what becomes of each planned function, the module's functions together.

        A function that drives coroutines on the fixture's loop becomes async; one that
        requests ``event_loop`` without using it loses the parameter; one that needs the loop
        object itself (hands it on, stores it, controls it, drives it from a callback) stays
        sync with an ``event_loop`` fixture of the project's own, a new loop as 0.21's was.
        Before 1.0 a test and the fixtures it requested shared that one loop, so a function
        and the fixtures it requests go one way together: when one of them keeps a loop of
        its own, none becomes async (an async fixture on pytest-asyncio's loop whose results
        a sync test drives on another loop never answers). A loop of its own is no answer
        where the code also meets pytest-asyncio's loop (it requests an async fixture, or an
        async test or fixture requests it), nor in a conftest.py, whose consumers are not
        seen here: such functions stay as they are, with their notes.
        """
        fixtures: dict[str, _Plan] = {}
        # fixtures pytest-asyncio runs (async, or its own decorator; in a conftest.py above,
        # also the sync ones that take event_loop, which may become async there)
        on_asyncio_loop: set[str] = self._conftest_loop_fixtures()
        # what every fixture of the module requests, planned or not: a test meets the loop of
        # a fixture it reaches through another (loaded(scheduler), scheduler(event_loop))
        graph: dict[str, set[str]] = {}
        async_requests: set[str] = set()  # what async tests and fixtures request
        for func in _functions(body):
            info = fixture_decorator(func, self.imports)
            plan = self._plans.get(func)
            params = [p.name.value for p in _all_params(func.params)]
            if info is not None:
                name = info.registered_name(func)
                graph.setdefault(name, set()).update(p for p in params if p not in (FIXTURE, "self", "cls"))
                if plan is not None:
                    fixtures[name] = plan
                if func.asynchronous is not None or info.library == "pytest_asyncio":
                    on_asyncio_loop.add(name)
            if func.asynchronous is not None:
                async_requests.update(params)
        async_requests = _closure(async_requests, graph)
        reach = {id(plan): _closure(plan.requests, graph) for plan in self._plans.values()}
        for plan in self._plans.values():
            if plan.kept:
                # the project's own loop: it pairs as "own" where it needs the loop
                plan.state = "leave" if plan.unused_loop else "own"
            elif plan.convertible:
                plan.state = "convert"
            elif plan.unused_loop:
                plan.state = "own" if plan.current_loop else "unused"
            elif plan.kind != "helper" and plan.loop_param is not None and plan.candidate:
                plan.state = "own"
        changed = True
        while changed:
            changed = False
            for plan in self._plans.values():
                for requested in sorted(reach[id(plan)]):
                    other = fixtures.get(requested)
                    if other is None or other is plan:
                        continue
                    for one, two in ((plan, other), (other, plan)):
                        if one.state == "own" and two.state == "convert":
                            two.state = "own" if two.loop_param is not None else "leave"
                            two.held_by = requested if one is other else plan.name
                            changed = True
        sync_requests = self._sync_requests(body)
        for name, plan in fixtures.items():
            if plan.kept:
                continue
            if plan.state == "own" and name in async_requests:
                plan.state = "leave"
                plan.why = "async tests or fixtures request it, and they run on pytest-asyncio's loop"
            if plan.alias and plan.state in ("own", "leave") and self._alias_convertible(name, sync_requests):
                plan.state = "alias"
        for plan in self._plans.values():
            meets = on_asyncio_loop.intersection(reach[id(plan)])
            if plan.state == "own" and not plan.kept and (self.facts.is_conftest or plan.ran_on is None or meets):
                plan.state = "leave"
                plan.meets = tuple(sorted(meets))
                plan.why = ("in a conftest.py, whose consumers are not seen here" if self.facts.is_conftest
                            else "the scope of the event_loop it ran on is not a literal")

    def _sync_requests(self, body: Sequence[cst.BaseStatement]) -> set[str]:
        """The fixtures the module's sync tests and fixtures request (by parameter)."""
        found: set[str] = set()
        for func in _functions(body):
            if func.asynchronous is None:
                found.update(p.name.value for p in _all_params(func.params))
        return found

    def _alias_convertible(self, name: str, sync_requests: set[str]) -> bool:
        """Whether a fixture that only hands out ``event_loop`` may hand out the running loop
        instead: no sync code requests it (it would get a loop that is not running). In a
        test module that is the module's own code; in a conftest.py, every module below it
        (as the survey saw them, a whole folder's worth, for a name that says loop)."""
        if name in sync_requests or "loop" not in name.lower():
            return False
        if not self.facts.is_conftest:
            return True
        below = self.facts.gathered(self.name)
        return below is not None and name not in below

    def _plan_helpers(self, body: Sequence[cst.BaseStatement], helpers: set[str], collected: bool) -> set[str]:
        """Names of the sync helpers in a module or class body that run a loop themselves."""
        found: set[str] = set()
        for stmt in body:
            if not isinstance(stmt, cst.FunctionDef) or stmt.asynchronous is not None:
                continue
            if self._role(stmt, collected) != "helper":
                continue
            plan = self._analyse(stmt, "helper", helpers, set())
            if plan.helper_runs:
                found.add(stmt.name.value)
        return found

    def _role(self, func: cst.FunctionDef, collected: bool) -> str:
        info = fixture_decorator(func, self.imports)
        if info is not None:
            if info.library != "pytest" or func.name.value in LOOP_FIXTURES or info.given_name() in LOOP_FIXTURES:
                return "skip"
            return "fixture"
        # (fixtures were sorted out above)
        scope_collected = collected and self.facts.is_test_module
        if collected_test_function(func, self.project, scope_collected=scope_collected, exclude_fixtures=False):
            return "test"
        return "helper"

    def _plan_body(
        self,
        body: Sequence[cst.BaseStatement],
        module_helpers: set[str],
        method_helpers: set[str],
        collected: bool,
        marked: MarkInfo | None,
        loop: tuple[str | None, bool] | None = None,
    ) -> None:
        """``loop``: the scope of the ``event_loop`` the body's functions ran on, and whether
        the body defines it (a class's own); None for the module's."""
        ran_on, local_loop = loop if loop is not None else (self._loop_scope, self._defines_loop)
        for stmt in body:
            if isinstance(stmt, cst.ClassDef):
                self._plan_class(stmt, module_helpers, collected, marked, loop)
                continue
            if not isinstance(stmt, cst.FunctionDef) or stmt.asynchronous is not None:
                continue
            role = self._role(stmt, collected)
            if role == "skip":
                continue
            plan = self._analyse(stmt, role, module_helpers, method_helpers)
            plan.ran_on, plan.local_loop = ran_on, local_loop
            if self.facts.own_event_loop and role == "helper":
                # the loops its helpers are handed are the project's own business
                continue
            if self.facts.own_event_loop and plan.loop_param is not None:
                # on 1.x (or after a first run), ``event_loop`` is the project's own fixture:
                # left alone, without a note; what goes with it still does (see _settle)
                plan.kept = True
            if role == "test":
                own = _asyncio_mark([info for _d, info in decorator_marks(stmt.decorators, self.imports)])
                closest = own or marked
                plan.marked = closest is not None
                plan.own_mark = own is not None
                plan.mark_scope = _mark_scope(closest) if closest is not None else None
            if plan.candidate or plan.blockers or plan.helper_runs:
                self._plans[stmt] = plan

    def _plan_class(
        self,
        cls: cst.ClassDef,
        module_helpers: set[str],
        parent_collected: bool,
        parent_marked: MarkInfo | None,
        parent_loop: tuple[str | None, bool] | None,
    ) -> None:
        if is_unittest_class(cls, self.imports) or not isinstance(cls.body, cst.IndentedBlock):
            return
        body = cls.body.body
        collected = parent_collected and collected_class(
            cls, self.project, self.imports, exclude_new=False, exclude_dunder_test=False
        )
        # the class's own marks are closer than the module's (its pytestmark comes first in
        # the list pytest reads, the decorators are appended to it)
        own = [*pytestmark_marks(body, self.imports), *(info for _d, info in decorator_marks(cls.decorators, self.imports))]
        marked = _asyncio_mark(own) or parent_marked
        method_helpers = self._plan_helpers(body, module_helpers, collected)
        scopes = self._loop_scopes_defined(body)  # a class's own event_loop serves its tests
        loop = (_one_scope(scopes), True) if scopes else parent_loop
        self._plan_body(body, module_helpers, method_helpers, collected, marked, loop)

    def _analyse(self, func: cst.FunctionDef, kind: str, helpers: set[str], method_helpers: set[str]) -> _Plan:
        plan = _Plan(kind, name=func.name.value)
        loop_names: set[str] = set()
        if kind == "helper":
            loop_names = {p.name.value for p in _all_params(func.params)} - {"self", "cls"}
        else:
            where = injectable_param(func, FIXTURE)
            if where is not None:
                plan.loop_param = FIXTURE
                loop_names.add(FIXTURE)
        bound = assigned_names(func.body)
        definitions: list[cst.Name] = []
        # (a one-line body, ``def test(event_loop): assert ...``, holds no loop variables)
        for stmt in func.body.body if isinstance(func.body, cst.IndentedBlock) else ():
            if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
                continue
            small = stmt.body[0]
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
                continue
            target = small.targets[0].target
            if isinstance(target, cst.Name) and bound.get(target.value) == 1 and self._is_get_event_loop(small.value):
                plan.loop_vars[target.value] = stmt
                loop_names.add(target.value)
                definitions.append(target)
        if kind == "fixture":
            plan.finalizer = _finalizer(func)
            plan.registers_finalizer = self.index.has(func.body, attributes=("addfinalizer",))
        analysis = _Analysis(self, plan, func.name.value, loop_names, helpers, method_helpers)
        analysis.consumed.update(id(name) for name in definitions)
        # the receivers ``get_event_loop()`` of the definitions are no loop runs of their own
        func.body.visit(analysis)
        analysis.finish()
        if kind == "helper":
            return plan
        plan.generator = analysis.has_yield or plan.finalizer is not None
        plan.current_loop = _FindsCurrentLoop.run(func.body, self.imports, self._current_loop_users)
        plan.loop_used = plan.loop_param is not None and self._uses(func.body, FIXTURE, [])
        plan.alias = kind == "fixture" and plan.loop_param is not None and _hands_out_loop(func.body)
        plan.requests = tuple(p.name.value for p in _all_params(func.params) if p.name.value not in (FIXTURE, "self", "cls"))
        used = {name for name in plan.loop_vars if self._uses(func.body, name, definitions)}
        for name in list(plan.loop_vars):
            if name not in used:
                del plan.loop_vars[name]  # never used: leave the statement to get-running-loop
        return plan

    def _finds_current_loop(self, body: Sequence[cst.BaseStatement]) -> set[str]:
        """The module's classes and sync helpers whose sync code finds the current loop."""
        found: set[str] = set()
        for stmt in body:
            if isinstance(stmt, cst.ClassDef) or (
                isinstance(stmt, cst.FunctionDef) and stmt.asynchronous is None and self._role(stmt, True) == "helper"
            ):
                if _FindsCurrentLoop.run(stmt.body, self.imports, set()):
                    found.add(stmt.name.value)
        return found

    @staticmethod
    def _uses(body: cst.CSTNode, name: str, definitions: list[cst.Name]) -> bool:
        ids = {id(d) for d in definitions}
        found = False

        class _Find(cst.CSTVisitor):
            def visit_Attribute(self, node: cst.Attribute) -> bool:
                node.value.visit(self)
                return False

            def visit_Name(self, node: cst.Name) -> None:
                nonlocal found
                if node.value == name and id(node) not in ids:
                    found = True

        body.visit(_Find())
        return found

    def _is_get_event_loop(self, expr: cst.BaseExpression) -> bool:
        return (
            isinstance(expr, cst.Call)
            and not expr.args
            and self.imports.qualify(expr.func) == "asyncio.get_event_loop"
        )

    def _report(self, func: cst.FunctionDef, plan: _Plan) -> None:
        name = func.name.value
        if plan.kind == "helper":
            callers = [p for p in self._plans.values() if name in p.helper_calls]
            for call in plan.helper_runs:
                assert isinstance(call.func, cst.Attribute)
                if callers and all(p.state == "own" for p in callers) and not self._is_get_event_loop(call.func.value):
                    continue  # it runs the loop its callers hand it: their own loop, as before
                if name.startswith("pytest_"):  # a hook: pytest calls it, and never awaits
                    self.note(call, (
                        f"the pytest hook {name} drives the event loop with run_until_complete() and stays sync; "
                        "a hook cannot be a coroutine: give what it runs a loop of its own with asyncio.run()"))
                    continue
                self.note(call, (
                    f"helper {name} drives the event loop with run_until_complete() and stays sync; "
                    f"make {name} a coroutine and await it from async tests (or give it a loop of its own "
                    "with asyncio.run() if sync code must call it)"))
            return
        if plan.state == "alias" or plan.kept:
            # it hands out the running loop now, to async code only, or it runs on the
            # project's own event_loop already: nothing to do by hand
            return
        if plan.state == "own" and not plan.loop_vars:
            # it goes on working as before, on a loop of the project's own: nothing to do by hand
            self._request_own_loop(plan)
            return
        if plan.state == "own":
            self._request_own_loop(plan)
        if plan.meets:
            self.note(func, (
                f"{name} needs the event loop object and stays sync, but it requests "
                f"{', '.join(plan.meets)}, which run(s) on pytest-asyncio's loop after the migration: sync code "
                f"cannot drive that on a loop of its own; left as it is: make {name} async by hand "
                "(asyncio.get_running_loop() where it needs the loop object)"))
            return
        for node, message in plan.blockers:
            self.note(node, message)
        if not plan.blockers and plan.candidate:
            for node, message in plan.conditional:
                self.note(node, message)
        if plan.state == "leave" and plan.held_by is not None and not plan.blockers and not plan.conditional:
            self.note(func, (
                f"{name} could become async, but it shares its loop with {plan.held_by}, which needs the "
                f"loop object and stays sync: left as it is; make {plan.held_by} and {name} async together "
                "by hand (asyncio.get_running_loop() where the loop object is needed)"))
        elif plan.state == "leave" and plan.why is not None and not plan.blockers:
            # it needs the loop object (no blocker says so), but gets no loop of its own
            where = plan.why
            self.note(func, (
                f"{name} needs the event loop object and stays sync, requesting event_loop, which pytest-asyncio "
                f"1.x no longer provides; no event_loop of the project's own is added ({where}): define one "
                "(a new loop, set as current, yielded, closed) or make it async by hand "
                "(asyncio.get_running_loop() where it needs the loop object)"))
        if plan.state == "convert":
            for call in plan.drivers:
                self._drivers.add(call)
            for var, stmt in plan.loop_vars.items():
                self._loop_defs[stmt] = var in plan.other_use

    # -- rewriting -----------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.scope.enter(node)
        return True

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return not is_unittest_class(node, self.imports)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return self.scope.inside_function()

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node not in self._drivers:
            if id(updated_node.func) in self._awaits:
                return updated_node.with_changes(func=_parenthesized(updated_node.func))
            return updated_node
        arg = updated_node.args[0]
        value = arg.value
        before = _continuation_indent(updated_node.whitespace_before_args)
        after = _continuation_indent(arg.whitespace_after_arg)
        if before is not None and after is not None and before > after:
            value = value.visit(_Dedent(before - after))
        if not value.lpar and not isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
            value = _parenthesized(value)
        awaited = cst.Await(expression=value)
        self._awaits.add(id(awaited))
        self.remove_import_of(original_node.func.value, self.imports)
        self.count_edit()
        return awaited

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        if id(updated_node.value) in self._awaits:
            return updated_node.with_changes(value=_parenthesized(updated_node.value))
        return updated_node

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        if id(updated_node.value) in self._awaits:
            return updated_node.with_changes(value=_parenthesized(updated_node.value))
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.RemovalSentinel:
        keep = self._loop_defs.get(original_node)
        if keep is None:
            return updated_node
        small = original_node.body[0]
        assert isinstance(small, cst.Assign)
        self.remove_import_of(small.value, self.imports)
        self.count_edit()
        if not keep:
            return cst.RemoveFromParent()
        new = updated_node.body[0]
        assert isinstance(new, cst.Assign)
        return updated_node.with_changes(body=[new.with_changes(value=self._running_loop_call())])

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.scope.leave(original_node)
        plan = self._plans.get(original_node)
        if plan is None:
            return updated_node
        if plan.state == "unused":
            # it ran no coroutine on the fixture's loop: it stays sync, without the request
            self.count_edit()
            return self._drop_parameter(updated_node, False)
        if plan.state == "alias":
            updated_node = self._running_loop_alias(updated_node)
        elif plan.state != "convert":
            return updated_node
        updated_node = updated_node.with_changes(asynchronous=cst.Asynchronous())
        if plan.loop_param is not None:
            updated_node = self._drop_parameter(updated_node, FIXTURE in plan.other_use and plan.state == "convert")
        if plan.kind == "test" and not plan.marked:
            loop_scope = self._test_loop_scope(plan)
            if self.project.strict or loop_scope is not None:
                updated_node = self._add_mark(updated_node, loop_scope)
        elif plan.kind == "test":
            updated_node = self._marked_test(original_node, updated_node, plan)
        elif plan.kind == "fixture":
            info = fixture_decorator(original_node, self.imports)
            assert info is not None
            loop_scope = self._fixture_loop_scope(info, plan)
            if self.project.strict or loop_scope is not None:
                updated_node = self._async_fixture_decorator(original_node, updated_node, info, loop_scope)
            if plan.finalizer is not None:
                updated_node = self._inline_finalizer(updated_node, plan.finalizer)
            elif plan.generator:
                updated_node = self._async_generator_annotation(updated_node)
        self.count_edit()
        return updated_node

    def _running_loop_alias(self, node: cst.FunctionDef) -> cst.FunctionDef:
        """``return event_loop`` / ``yield event_loop`` → the same of ``asyncio.get_running_loop()``."""
        assert isinstance(node.body, cst.IndentedBlock)
        statements = list(node.body.body)
        line = statements[-1]
        assert isinstance(line, cst.SimpleStatementLine)
        small = line.body[0]
        running = self._running_loop_call()
        if isinstance(small, cst.Return):
            new_small: cst.BaseSmallStatement = small.with_changes(value=running)
        else:
            assert isinstance(small, cst.Expr) and isinstance(small.value, cst.Yield)
            new_small = small.with_changes(value=small.value.with_changes(value=running))
        statements[-1] = line.with_changes(body=[new_small])
        return node.with_changes(body=node.body.with_changes(body=statements))

    def _fixture_loop_scope(self, info: FixtureInfo, plan: _Plan) -> str | None:
        """The ``loop_scope=`` a converted fixture needs to run on the loop it ran on before,
        or None where what pytest-asyncio gives it is that loop.

        A function-scoped fixture used its test's ``event_loop``: function-scoped, or as
        wide as the project's override made it. The configured default (or, unset, the
        fixture's cache scope) would otherwise give it another loop than its test's (a
        server it starts there never answers). A wider one gets its own scope, or the
        override's when that is wider (strict mode; in auto mode fixture-loop-scope names
        the loop of those).
        """
        if self.project.target < LOOP_SCOPE_KWARG or info.kwarg("loop_scope") is not None:
            return None
        scope = info.scope()
        ran_on = plan.ran_on
        if scope in WIDER_SCOPES:
            if not self.project.strict:
                return None
            return wider_scope(ran_on, scope) if ran_on is not None else scope
        if scope != "function" or ran_on is None:
            return None
        given = self.project.fixture_loop_scope_for(scope)
        return ran_on if given != ran_on else None

    def _test_loop_scope(self, plan: _Plan, marked: str | None = None) -> str | None:
        """``loop_scope=`` for a converted test's mark: the test ran on the ``event_loop``
        of its scope, which the configured default test loop scope (function when unset),
        or the one ``marked`` by the closest mark that reaches it, may not give it."""
        ran_on = plan.ran_on
        if self.project.target < LOOP_SCOPE_KWARG or ran_on is None:
            return None
        default = self.project.default_test_loop_scope
        given = marked or (default if default in SCOPES else "function")
        return ran_on if given != ran_on else None

    def _marked_test(self, original: cst.FunctionDef, node: cst.FunctionDef, plan: _Plan) -> cst.FunctionDef:
        """A converted test that a class or module asyncio mark reaches gets a mark of its own
        where that one gives it another loop than the one it ran on (the closest mark wins)."""
        loop_scope = self._test_loop_scope(plan, plan.mark_scope)
        if loop_scope is None:
            return node
        if plan.own_mark or plan.mark_scope == "?":
            self.note(original, (
                f"{plan.name} ran on the {loop_scope}-scoped event_loop, but the asyncio mark that reaches it "
                f"may give it another loop: check it asks for loop_scope=\"{loop_scope}\""))
            return node
        return self._add_mark(node, loop_scope)

    def _drop_parameter(self, node: cst.FunctionDef, still_used: bool) -> cst.FunctionDef:
        where, index = injectable_param(node, FIXTURE) or ("", -1)
        self.remove_imports_read_by(getattr(node.params, where)[index], self.imports)
        node = node.with_changes(params=remove_param(node.params, where, index))
        if still_used:
            node = node.with_changes(body=self._insert_running_loop(_indented(node.body)))
        return node

    def _request_own_loop(self, plan: _Plan) -> None:
        if plan.local_loop:
            return  # its module's or class's own event_loop serves its sync code, as on 0.21
        self.request_conftest(
            FIXTURE, own_loop_code(plan.ran_on or "function"), imports=(("asyncio", None), ("pytest", None)),
            reason="sync tests and fixtures that need a loop object (pytest-asyncio 1.0 removed its event_loop fixture)",
        )

    def _running_loop_call(self) -> cst.Call:
        return cst.Call(func=self.spell("asyncio.get_running_loop", self.imports))

    def _insert_running_loop(self, block: cst.IndentedBlock) -> cst.IndentedBlock:
        return insert_assignment_first(block, FIXTURE, self._running_loop_call())

    def _add_mark(self, node: cst.FunctionDef, loop_scope: str | None) -> cst.FunctionDef:
        mark: cst.BaseExpression = self.spell("pytest.mark.asyncio", self.imports)
        if loop_scope is not None:
            mark = with_loop_scope(mark, loop_scope)
        return node.with_changes(decorators=[cst.Decorator(decorator=mark), *node.decorators])

    def _async_fixture_decorator(
        self, original: cst.FunctionDef, node: cst.FunctionDef, info: FixtureInfo, loop_scope: str | None
    ) -> cst.FunctionDef:
        new_expr: cst.BaseExpression = self.spell("pytest_asyncio.fixture", self.imports)
        if info.call is not None:
            new_expr = info.call.with_changes(func=new_expr)
        if loop_scope is not None:
            new_expr = with_loop_scope(new_expr, loop_scope)
        index = original.decorators.index(info.decorator)
        decorators = list(node.decorators)
        decorators[index] = decorators[index].with_changes(decorator=new_expr)
        self._schedule_fixture_import_removal(info)
        return node.with_changes(decorators=decorators)

    def _async_generator_annotation(self, node: cst.FunctionDef) -> cst.FunctionDef:
        """``-> Iterator[T]`` / ``-> Generator[T, S, None]`` of a fixture that became an async
        generator → ``-> AsyncIterator[T]`` / ``-> AsyncGenerator[T, S]``, from the module the
        old name came from (``typing`` or ``collections.abc``), spelled as the old one was."""
        returns = node.returns
        annotation = returns.annotation if returns is not None else None
        if returns is None or not isinstance(annotation, cst.Subscript):
            return node
        full = self.imports.qualify(annotation.value) or ""
        module, _, name = full.rpartition(".")
        new_name = ASYNC_GENERATOR_TYPES.get(name)
        if module not in ("typing", "collections.abc") or new_name is None:
            return node
        elements = list(annotation.slice)
        if name == "Generator" and len(elements) == 3:
            last = elements[2].slice
            if not (isinstance(last, cst.Index) and isinstance(last.value, cst.Name) and last.value.value == "None"):
                self.note(returns, f"{node.name.value} became an async generator, which returns no value: "
                                   "write its return annotation as AsyncGenerator[...] by hand")
                return node
            elements = [elements[0], elements[1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
        elif len(elements) != 1:
            return node
        value = annotation.value
        if isinstance(value, cst.Attribute):  # typing.Iterator, abc.Iterator
            new_value: cst.BaseExpression = value.with_changes(attr=cst.Name(new_name))
        else:  # from typing import Iterator
            bound = self.imports.local_names_for(f"{module}.{new_name}")
            if bound:
                new_value = cst.Name(bound[0])
            elif self.imports.binds_locally(new_name):
                return node  # the name means something else here
            else:
                self.add_needed_import(module, new_name)
                new_value = cst.Name(new_name)
            self.remove_import_of(value, self.imports)
        new_annotation = annotation.with_changes(value=new_value, slice=elements)
        return node.with_changes(returns=returns.with_changes(annotation=new_annotation))

    def _inline_finalizer(self, node: cst.FunctionDef, finalizer: "_Finalizer") -> cst.FunctionDef:
        """``def close(): ...`` / ``request.addfinalizer(close)`` / ``return value`` →
        ``yield value`` followed by close's body (pytest runs both at teardown; an async
        fixture's teardown awaits); ``-> T`` becomes ``-> AsyncIterator[T]``, and
        ``request`` goes when nothing else reads it."""
        block = _indented(node.body)
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
        teardown = [stmt for stmt in _indented(close.body).body if not is_docstring(stmt)] or [
            cst.SimpleStatementLine([cst.Pass()])
        ]
        comments = [line for line in close.leading_lines if line.comment is not None]
        teardown[0] = teardown[0].with_changes(leading_lines=[*comments, *teardown[0].leading_lines])
        node = node.with_changes(body=block.with_changes(body=[*body, *teardown]))
        if finalizer.request not in names_in(node.body):
            where, index = injectable_param(node, finalizer.request) or ("", -1)
            if index >= 0:
                self.remove_imports_read_by(getattr(node.params, where)[index], self.imports)
                node = node.with_changes(params=remove_param(node.params, where, index))
        returns = node.returns
        if returns is not None:
            iterator = self._spell_async_iterator()
            if iterator is not None:
                wrapped = cst.Subscript(value=iterator, slice=[cst.SubscriptElement(cst.Index(returns.annotation))])
                node = node.with_changes(returns=returns.with_changes(annotation=wrapped))
            else:
                self.note(returns, f"{node.name.value} became an async generator, and AsyncIterator means "
                                   "something else here: write its return annotation as an AsyncIterator by hand")
        return node

    def _spell_async_iterator(self) -> cst.BaseExpression | None:
        """``AsyncIterator`` as this module can name it (``collections.abc``'s, imported when
        nothing binds it; None when the name means something else here)."""
        for module in ("collections.abc", "typing"):
            bound = self.imports.local_names_for(f"{module}.AsyncIterator")
            if bound:
                return cst.Name(bound[0])
        if self.imports.binds_locally("AsyncIterator") or "AsyncIterator" in defined_names(self.module):
            spelled, needs_import = self.imports.reference("collections.abc.AsyncIterator")
            return None if needs_import or "." not in spelled else cst.parse_expression(spelled)
        self.add_needed_import("collections.abc", "AsyncIterator")
        return cst.Name("AsyncIterator")

    def _schedule_fixture_import_removal(self, info: FixtureInfo) -> None:
        """``import pytest`` / ``from pytest import fixture`` may have no other use now."""
        self.remove_import_of(info.call.func if info.call is not None else info.decorator.decorator, self.imports)


@dataclass(frozen=True)
class _Finalizer:
    """``def close(): ...`` then ``request.addfinalizer(close)`` right before the fixture's
    last statement, ``return value``."""

    close: cst.FunctionDef
    name: str
    request: str


def _finalizer(func: cst.FunctionDef) -> _Finalizer | None:
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
    if request not in {p.name.value for p in _all_params(func.params)}:
        return None
    close = next((s for s in body[:-2] if isinstance(s, cst.FunctionDef) and s.name.value == name), None)
    if close is None or close.asynchronous is not None or close.decorators or _all_params(close.params):
        return None
    if not isinstance(close.body, cst.IndentedBlock) or _has_flow(close.body, (cst.Return, cst.Yield, cst.Global, cst.Nonlocal)):
        return None
    if _has_flow(func.body, (cst.Return, cst.Yield), skip=last):
        return None  # another way out of the fixture, or a generator already
    if any(name in names_in(stmt) for stmt in body if stmt is not register):
        return None  # named by its def and the registration only
    if not _plain_value(last.body[0].value):
        return None  # a value that may raise would skip the teardown the finalizer ran
    return _Finalizer(close, name, request)


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


def _functions(body: Sequence[cst.BaseStatement]) -> list[cst.FunctionDef]:
    """The functions of a module or class body, those of its classes included."""
    found: list[cst.FunctionDef] = []
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef):
            found.append(stmt)
        elif isinstance(stmt, cst.ClassDef) and isinstance(stmt.body, cst.IndentedBlock):
            found.extend(_functions(stmt.body.body))
    return found


class _FindsCurrentLoop(cst.CSTVisitor):
    """Whether sync code (not inside a coroutine) calls one of CURRENT_LOOP_CALLS or one of
    ``names`` (the module's classes and helpers that do)."""

    def __init__(self, imports: ImportMap, names: set[str]) -> None:
        self.imports = imports
        self.names = names
        self.found = False

    @classmethod
    def run(cls, node: cst.CSTNode, imports: ImportMap, names: set[str]) -> bool:
        finder = cls(imports, names)
        node.visit(finder)
        return finder.found

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node.asynchronous is None and not self.found

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        if (isinstance(func, cst.Name) and func.value in self.names) or self.imports.qualify(func) in CURRENT_LOOP_CALLS:
            self.found = True
        return not self.found


def _one_scope(scopes: Sequence[str | None]) -> str | None:
    """The one literal scope of ``scopes``, else None."""
    if len(set(scopes)) != 1 or scopes[0] is None:
        return None
    return scopes[0]


def _asyncio_mark(marks: Sequence[MarkInfo]) -> MarkInfo | None:
    """The first asyncio mark of ``marks`` (the one ``get_closest_marker`` finds among them)."""
    return next((m for m in marks if m.name == "asyncio"), None)


def _mark_scope(mark: MarkInfo) -> str | None:
    """The loop scope an asyncio mark names: None when it names none, "?" when not a literal."""
    value = mark.loop_scope_arg()
    if value is None:
        return None
    evaluated = value.evaluated_value if isinstance(value, cst.SimpleString) else None
    return evaluated if isinstance(evaluated, str) else "?"


def _indented(body: cst.BaseSuite) -> cst.IndentedBlock:
    """A function body as an indented block (a one-line body goes onto a line of its own)."""
    if isinstance(body, cst.IndentedBlock):
        return body
    assert isinstance(body, cst.SimpleStatementSuite)
    return cst.IndentedBlock(header=body.trailing_whitespace, body=[cst.SimpleStatementLine(body=body.body)])


def _closure(names: Sequence[str] | set[str], graph: dict[str, set[str]]) -> set[str]:
    """The fixtures ``names`` request, directly or through the fixtures of ``graph``."""
    seen: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(graph.get(name, ()))
    return seen




def _parenthesized(expr: cst.BaseExpression) -> cst.BaseExpression:
    if expr.lpar:
        return expr
    return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


@dataclass(frozen=True)
class SyncLoopRequests:
    """What a test module's survey says: the fixtures named for a loop that its sync tests
    and fixtures request (by parameter, ``usefixtures`` or ``getfixturevalue``); None when
    the module could not be read."""

    names: frozenset[str] | None


def _sync_loop_requests(source: str, facts: FileFacts) -> SyncLoopRequests:
    try:
        tree = survey_event_loop(source).tree  # (the same reading the other surveys of the module get)
    except (SyntaxError, ValueError, RecursionError):
        return SyncLoopRequests(None)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and (
            facts.project.is_test_function_name(node.name) or ast_fixture_decorator(node, None) is not None
        ):  # (a helper's parameter is not a request: whoever calls it passes the value)
            names.update(a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs] if "loop" in a.arg.lower())
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("usefixtures", "getfixturevalue"):
            names.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str) and "loop" in a.value.lower())
    return SyncLoopRequests(frozenset(names))


def _hands_out_loop(body: cst.BaseSuite) -> bool:
    """A fixture body that is (after a docstring) only ``return event_loop`` or ``yield event_loop``."""
    if not isinstance(body, cst.IndentedBlock):
        return False
    statements = list(body.body)
    if len(statements) > 1 and is_docstring(statements[0]):
        statements = statements[1:]
    if len(statements) != 1 or not isinstance(statements[0], cst.SimpleStatementLine) or len(statements[0].body) != 1:
        return False
    small = statements[0].body[0]
    value = small.value if isinstance(small, cst.Return) else None
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Yield):
        value = small.value.value
    return isinstance(value, cst.Name) and value.value == FIXTURE
