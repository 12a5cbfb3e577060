"""sync-to-async's analysis of one sync function: what its body does with the loop.

:class:`BodyAnalysis` walks a test's, fixture's or helper's body once and fills its
:class:`~.plan.FunctionPlan`: the ``run_until_complete`` calls that can become ``await``
(drivers), where the loop object goes (handoffs: handed on, stored, returned or yielded;
fine on the running loop when only async code consumes it), what keeps the function sync
(blockers: the loop controlled, a loop run in a callback; conditional ones: a loop run it cannot await, ``asyncio.run``, a
same-module helper that runs the loop, which only matter next to a driver), and, for a helper,
the loop runs to report. Whether the module's functions then convert is the planner's question.
"""

from __future__ import annotations

from collections.abc import Container

import libcst as cst

from ...cstkit.edits import is_docstring
from ...cstkit.names import all_params, dotted_name
from ...cstkit.scope import Kind, ScopeStack
from ...imports.resolve import ImportMap
from ...pytest_model.event_loop import FIXTURE_NAME
from ...pytest_model.outside_loop import (
    ALL_TASKS,
    CURRENT_LOOP_CALLS,
    LOOP_TASK_READERS,
)
from .callbacks import never_suspends
from .plan import FunctionPlan
from .survey import LoopDriver

RUN = "run_until_complete"
#: Loop methods that make no sense on a running loop (or change meaning there).
LOOP_CONTROL = frozenset({"run_forever", "stop", "close", "is_running", "is_closed"})
#: the kind of the note on a loop given to asyncio.all_tasks() or current_task()
TASKS_INSPECTED = "loop-tasks-inspected"


class BodyAnalysis(cst.CSTVisitor):
    """Walks a function body once and fills its :class:`~.plan.FunctionPlan`.

    ``loop_names``: the names the loop goes by in the body (the ``event_loop`` parameter,
    locals bound to ``asyncio.get_event_loop()``; a helper's parameters); ``helpers`` and
    ``method_helpers``: the module's functions and the class's methods that run a loop
    themselves (calling one only blocks a conversion); ``drivers``: the project's callables
    that run the loop they are handed (the survey's, see survey.LoopDriver); ``quiet``: the
    module's coroutine functions that never suspend, and ``followed``: the ids of the body's
    lines that more code runs after (callbacks.py: which drivers the loop needs a turn after)."""

    def __init__(
        self,
        imports: ImportMap,
        plan: FunctionPlan,
        name: str,
        loop_names: set[str],
        helpers: set[str],
        method_helpers: set[str],
        drivers: tuple[LoopDriver, ...] = (),
        quiet: Container[str] = frozenset(),
        followed: frozenset[int] = frozenset(),
        library_runs: frozenset[str] = frozenset(),
    ) -> None:
        self.imports = imports
        #: calls (by spelling) of the project's sync functions and methods that run a loop
        #: (survey.current_loop_helpers)
        self.library_runs = library_runs
        self.quiet = quiet
        #: the body's own defs (not nested in another), the latest of each name: they shadow
        #: the module's coroutines of that name from where they are on
        self.local_defs: dict[str, cst.FunctionDef] = {}
        self.followed = followed
        self.line: cst.SimpleStatementLine | None = None  # the line the walk is in
        self.drivers = drivers
        self.plan = plan
        self.name = name
        self.loop_names = loop_names
        self.helpers = helpers
        self.method_helpers = method_helpers
        # what the walk is nested in below the function's own body; a generator expression
        # counts: ``await`` in it would make it an async generator expression
        self.scope: ScopeStack[None] = ScopeStack(generator_frames=True)
        self.consumed: set[int] = set()
        #: the loop names given to a call that reads the loop's tasks (asyncio.all_tasks(loop)),
        #: by id: (the call as spelled, whether it is all_tasks)
        self.task_reads: dict[int, tuple[str, bool]] = {}
        self.has_yield = False
        self.value_returns: list[cst.Return] = []

    # scopes
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if self.plan.finalizer is not None and node is self.plan.finalizer.close:
            return True  # its body goes after the fixture's yield: read as the fixture's own
        if not self.scope.nested():  # a local function shadows the module's of that name
            self.local_defs[node.name.value] = node
        for param in all_params(node.params):
            self.consumed.add(id(param.name))
        self.scope.enter(node)
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        if self.plan.finalizer is not None and original_node is self.plan.finalizer.close:
            return
        self.scope.leave(original_node)

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        for param in all_params(node.params):
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

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        self.line = node
        return True

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self.line = None

    # generators
    def visit_Yield(self, node: cst.Yield) -> None:
        if self.scope.nested():
            return
        self.has_yield = True
        if isinstance(node.value, cst.From):
            self.plan.blockers.append((node, f"{self.name} uses 'yield from', which an async generator cannot; "
                                             "convert it to async by hand", "yield-from"))

    def visit_Return(self, node: cst.Return) -> None:
        if not self.scope.nested() and node.value is not None:
            self.value_returns.append(node)

    # names
    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self.consumed.add(id(node.attr))
        if node.attr.value == self.name and isinstance(node.value, cst.Name) and node.value.value in ("self", "cls"):
            self._inspects_itself(node)
        value = node.value
        if isinstance(value, cst.Name) and value.value in self.loop_names and id(value) not in self.consumed:
            self.consumed.add(id(value))
            method = node.attr.value
            if method == RUN:
                self._block(node, f"{self.name} passes {value.value}.run_until_complete on as a sync callback; "
                                  "left as it is: the callback must stay sync (give it a loop of its own, "
                                  "e.g. asyncio.run) or become a coroutine the test awaits", "loop-run-as-callback")
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
        if node.value == self.name and id(node) not in self.consumed:
            self._inspects_itself(node)
        if node.value not in self.loop_names or id(node) in self.consumed:
            return
        self.consumed.add(id(node))
        if self.plan.role == "helper":
            return
        self.plan.other_use.add(node.value)
        read = self.task_reads.get(id(node))
        if read is not None:
            self._reads_loop_tasks(node, *read)
            return
        # the loop object itself goes somewhere: right on the running loop when only async
        # code consumes the fixture (the planner asks pytest_model.loop_flow)
        self.plan.handoffs.add(id(node))
        self._block(node, f"{self.name} passes the loop '{node.value}' on to other code or stores it; "
                          "left as it is: make it async by hand and hand over asyncio.get_running_loop() "
                          "where the receiver needs the running loop", "loop-passed-on")

    def _reads_loop_tasks(self, node: cst.Name, call: str, all_tasks: bool) -> None:
        """The loop given to asyncio.all_tasks() or current_task(): not the loop pytest-asyncio
        1.x runs tests in. A test may take the running one (its own task is there before and
        after), a fixture never by itself: after its yield, all_tasks() finds the teardown's
        own task (a converted check would fail every test), current_task() the setup's."""
        if self.plan.role == "test":
            self.plan.handoffs.add(id(node))
        spelled = call.split("(")[0]
        what = "an async test" if self.plan.role == "test" else "an async fixture (@pytest_asyncio.fixture on async def)"
        teardown = (
            "; after the yield its teardown runs in a task of its own, so leave asyncio.current_task() out of "
            "the tasks it finds there"
            if all_tasks and self.plan.role == "fixture" else ""
        )
        self._block(node, f"{self.name} inspects the tasks of the loop '{node.value}' ({call}), but pytest-asyncio "
                          "1.x runs tests in loops of its own, not in the event_loop fixture's, so that loop holds "
                          "none of their tasks; "
                          f"left as it is: make {self.name} {what} and call {spelled}() with no loop, which reads "
                          f"the running loop{teardown}", TASKS_INSPECTED)

    def _note_task_reads(self, node: cst.Call) -> None:
        """Remember the loop name ``node`` gives a call that reads the loop's tasks."""
        if self.imports.qualify(node.func) not in LOOP_TASK_READERS:
            return
        for index, arg in enumerate(node.args):
            if arg.star or not (isinstance(arg.value, cst.Name) and arg.value.value in self.loop_names):
                continue
            keyword = arg.keyword.value if arg.keyword is not None else None
            if (keyword is None and index == 0) or keyword == "loop":
                call = f"{dotted_name(node.func)}({keyword + '=' if keyword else ''}{arg.value.value})"
                self.task_reads[id(arg.value)] = (call, self.imports.qualify(node.func) in ALL_TASKS)

    # calls
    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        self._note_task_reads(node)
        if self.drivers and self.plan.drives_loop is None and self.plan.loop_param in self.loop_names:
            self._hands_loop_to_driver(node)
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
                self.plan.conditional.append((node, self._helper_message(func.attr.value), "calls-loop-helper"))
                return True
        full = self.imports.qualify(func)
        if full == "asyncio.run":
            self._asyncio_run(node)
        elif isinstance(func, cst.Name) and func.value in self.helpers and not self.scope.nested():
            self.plan.helper_calls.add(func.value)
            self.plan.conditional.append((node, self._helper_message(func.value), "calls-loop-helper"))
        elif self.library_runs and (spelled := dotted_name(func)) in self.library_runs and not self.scope.nested():
            self.plan.conditional.append((node, (
                f"{self.name} calls {spelled}(), which runs an event loop itself (a sync API of the project) "
                "and would fail inside a running loop; left as it is, on an event_loop fixture of the project's "
                "own"), "calls-loop-runner"))
        return True

    def _hands_loop_to_driver(self, node: cst.Call) -> None:
        """A call that hands the ``event_loop`` parameter to a callable of the project that
        runs it (survey.LoopDriver): noted on the plan."""
        spelling = dotted_name(node.func)
        if spelling is None:
            return
        for index, arg in enumerate(node.args):
            if arg.star:
                return
            if not (isinstance(arg.value, cst.Name) and arg.value.value == self.plan.loop_param):
                continue
            position, keyword = (None, arg.keyword.value) if arg.keyword is not None else (index, None)
            for driver in self.drivers:
                if (driver.spelling, driver.position, driver.keyword) == (spelling, position, keyword):
                    self.plan.drives_loop = (spelling, driver.where)
                    return

    def _helper_message(self, helper: str) -> str:
        return (f"{self.name} calls {helper}(), which runs run_until_complete() itself and would fail inside "
                f"a running loop; left as it is: make {helper} a coroutine first, then convert {self.name}")

    def _run_until_complete(self, node: cst.Call, receiver: cst.BaseExpression) -> None:
        recognized = False
        if isinstance(receiver, cst.Name) and receiver.value in self.loop_names:
            self.consumed.add(id(receiver))
            recognized = True
        elif is_get_event_loop(receiver, self.imports):
            recognized = True
        if self.plan.role == "helper":
            if recognized:
                self.plan.helper_runs.append(node)
            return
        if not recognized:
            if not self.scope.nested():
                self.plan.conditional.append((node, (
                    f"{self.name} also runs a loop it cannot await (run_until_complete on another loop), "
                    "which fails inside a running loop; left as it is: convert it by hand"), "runs-other-loop"))
            return
        innermost = self.scope.innermost
        if innermost is not None and innermost.kind is Kind.GENERATOR:
            self._block(node, f"run_until_complete() inside a generator expression of {self.name} cannot become "
                              "'await' (that would make it an async generator); left as it is: use a list "
                              f"comprehension or a for loop, then convert {self.name}", "run-in-generator-expression")
            return
        if self.scope.nested():
            if self.plan.registers_finalizer:
                self._block(node, f"run_until_complete() inside a {self._where()} of {self.name} cannot become "
                                  "'await', and a finalizer cannot be a coroutine; left as it is: make it a yield "
                                  "fixture with that teardown after the yield, then convert it (this tool does so "
                                  "for a local def registered right before the only return, named nowhere else, "
                                  f"when the return gives a name)", "run-in-finalizer")
                return
            self._block(node, f"run_until_complete() inside a {self._where()} of {self.name} cannot become "
                              "'await'; left as it is: make the callback a coroutine (or give it a loop of its own) "
                              f"and convert {self.name} by hand", "run-in-nested-function")
            return
        if single_argument(node) is None:
            self._block(node, f"run_until_complete() in {self.name} has unusual arguments; convert it by hand", "run-unusual-arguments")
            return
        self.plan.drivers.append(node)
        driven = single_argument(node)
        if (
            self.line is not None and id(self.line) in self.followed
            and isinstance(driven, cst.Call) and isinstance(driven.func, cst.Name) and self._quiet(driven.func.value)
        ):
            self.plan.loop_turns.add(self.line)

    def _quiet(self, name: str) -> bool:
        """Whether ``name`` is a coroutine function here that never suspends (callbacks.py)."""
        local = self.local_defs.get(name)
        return never_suspends(local) if local is not None else name in self.quiet

    def _asyncio_run(self, node: cst.Call) -> None:
        if self.plan.role == "helper":
            return
        if self.scope.nested():
            self.plan.conditional.append((node, (
                f"{self.name} calls asyncio.run() in a {self._where()}, which fails if it runs inside the "
                f"running loop; left as it is: convert {self.name} by hand"), "asyncio-run-nested"))
            return
        # a sync test that calls asyncio.run() is modern code: it may test exactly that (an app
        # started after asyncio.run()); it only blocks converting a function that also drives
        # the fixture's loop
        self.plan.conditional.append((node, (
            f"{self.name} calls asyncio.run(), which fails inside a running loop; left as it is: "
            "await the coroutine instead once the function is async"), "asyncio-run-in-sync"))

    def _loop_control(self, node: cst.CSTNode, loop: str, method: str) -> None:
        self._block(node, f"{self.name} uses {loop}.{method}(), which does not work on the running loop an "
                          "async test or fixture gets; left as it is: rewrite the loop control by hand "
                          "(await an event or a future; pytest-asyncio closes its loops itself)", "loop-control")

    def _inspects_itself(self, node: cst.CSTNode) -> None:
        """A test reads its own function object (``iscoroutinefunction(test_x)``,
        ``self.test_x.__wrapped__``): made async, it would see another object than the one
        it checks, so it stays sync."""
        if self.plan.role != "test":
            return  # a fixture's name is often its value's too (``loop = ...``): no function object
        self._block(node, f"{self.name} reads its own function object (it may check that it is not a coroutine "
                          "function); left as it is: making it async would change what it inspects", "test-inspects-itself")

    def _block(self, node: cst.CSTNode, message: str, kind: str) -> None:
        if self.plan.role == "helper":
            return
        self.plan.blockers.append((node, message, kind))

    def finish(self) -> None:
        if self.plan.drivers and self.task_reads:
            # the same function made async by hand awaits what it ran on the loop
            self.plan.blockers = [
                (at, f"{message}; await what it gives {RUN}() instead" if kind == TASKS_INSPECTED else message, kind)
                for at, message, kind in self.plan.blockers
            ]
        if self.has_yield and self.value_returns and self.plan.role != "helper":
            self.plan.blockers.append((self.value_returns[0], (
                f"{self.name} returns a value from a generator, which an async generator cannot; "
                "convert it by hand"), "generator-returns-value"))


#: How a note names the kind of code a loop run is nested in.
_WHERE = {
    Kind.FUNCTION: "nested function",
    Kind.COROUTINE: "nested function",
    Kind.LAMBDA: "lambda",
    Kind.CLASS: "class",
    Kind.GENERATOR: "generator expression",
}


def single_argument(call: cst.Call) -> cst.BaseExpression | None:
    """The one argument of ``run_until_complete(x)`` (or ``future=x``), else None."""
    if len(call.args) != 1:
        return None
    arg = call.args[0]
    if arg.star:
        return None
    if arg.keyword is not None and arg.keyword.value != "future":
        return None
    return arg.value


def is_get_event_loop(expr: cst.BaseExpression, imports: ImportMap) -> bool:
    """``asyncio.get_event_loop()``, spelled any way the module's imports allow."""
    return (
        isinstance(expr, cst.Call)
        and not expr.args
        and imports.qualify(expr.func) == "asyncio.get_event_loop"
    )


def uses(body: cst.CSTNode, name: str, definitions: list[cst.Name]) -> bool:
    """Whether ``body`` reads ``name`` (not as an attribute, not at ``definitions``)."""
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


class FindsCurrentLoop(cst.CSTVisitor):
    """Whether sync code (not inside a coroutine) calls one of CURRENT_LOOP_CALLS or one of
    ``names`` (the module's classes and helpers that do, and the project's it imports, by
    spelling)."""

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
        if dotted_name(func) in self.names or self.imports.qualify(func) in CURRENT_LOOP_CALLS:
            self.found = True
        return not self.found


def hands_out_loop(body: cst.BaseSuite) -> bool:
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
    return isinstance(value, cst.Name) and value.value == FIXTURE_NAME
