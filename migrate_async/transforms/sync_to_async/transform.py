"""sync-to-async's rewrite (LibCST): the functions the planner settled become what it decided.

"convert": ``async def``, each driver ``run_until_complete(x)`` → ``await x``, the
``event_loop`` parameter dropped (``asyncio.get_running_loop()`` where the body still uses
the loop), an asyncio mark or ``pytest_asyncio.fixture`` with the ``loop_scope=`` that keeps
it on the loop it ran on, a yield fixture's return annotation made async, an addfinalizer
teardown moved after a ``yield`` (finalizers.py). "unused": the parameter goes. "alias": a
fixture that handed out ``event_loop`` hands out the running loop. "own": an ``event_loop``
fixture of the project's own is requested in the nearest conftest.py.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ...cstkit.edits import (
    awaited_argument,
    insert_assignment_first,
    parenthesized,
    remove_param,
)
from ...cstkit.names import defined_names
from ...cstkit.scope import ScopeStack
from ...project import FileFacts
from ...pytest_model.collection import is_unittest_class
from ...pytest_model.conftest_code import OWN_LOOP_IMPORTS, own_loop_code
from ...pytest_model.event_loop import FIXTURE_NAME
from ...pytest_model.fixtures import (
    FixtureInfo,
    fixture_decorator,
    injectable_param,
    with_loop_scope,
)
from ...pytest_model.loop_scopes import WIDER_SCOPES, wider_scope
from ...pytest_model.versions import LOOP_SCOPE_KWARG
from ..glance import Glance
from ..transform import MigrationContext, Transform
from ..triggers import Triggers
from .analysis import RUN
from .callbacks import turn_line
from .examples import EXAMPLES
from .finalizers import Finalizer, inline_finalizer
from .idle import idle
from .nodes import indented, keep_comments_of_removed
from .notes import plan_notes
from .plan import FunctionPlan
from .planner import ModulePlanner
from .survey import (
    BelowLoops,
    ConftestLoops,
    SyncLoopRequests,
    gather_sync_loop_requests,
    survey_file,
)

#: A generator fixture's return annotation → the one of the async generator it becomes
#: (``Generator[T, S, None]`` → ``AsyncGenerator[T, S]``; mypy rejects an async generator
#: annotated ``Iterator``), in the module the annotation names.
ASYNC_GENERATOR_TYPES = {"Iterator": "AsyncIterator", "Iterable": "AsyncIterable", "Generator": "AsyncGenerator"}


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
        # conftest.py's ``loop`` fixture handing out event_loop is converted only when none does),
        # and what their tests request (pytest_model.loop_flow: who consumes a conftest.py's
        # fixture); only those with "loop" or "async def" are parsed
        survey_also=(b"def test",),
        # it finds something only where a loop is named (every loop fixture's name says
        # "loop") or a coroutine is defined, or in a conftest.py whose fixtures' params carry
        # a runner's mark (marks=pytest.mark.trio: the tests below that use one are not
        # converted); a test module's own such fixtures count only where it names a loop
        survey_any=(b"async", b"loop", b"marks="),
        survey_module_any=(b"async", b"loop"),
    )

    examples = EXAMPLES
    # a conftest.py below that defines event_loop serves its tests a loop of its own: an
    # alias above hands them that loop, not the running one (survey.gather_sync_loop_requests)
    gathers_conftests = True

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._plans: dict[cst.FunctionDef, FunctionPlan] = {}
        self._drivers: set[cst.Call] = set()  # the original calls that become ``await <arg>``
        self._loop_defs: dict[cst.SimpleStatementLine, bool] = {}  # original statement → keep (as running loop)
        self._turns: set[cst.SimpleStatementLine] = set()  # original statements a loop turn follows
        self._blocks = 0  # how many indented blocks the walk is in (a turn line's indentation)
        self._indent = 4  # the module's indentation width
        self._awaits: set[int] = set()
        # only defs are entered (statements outside every def are not rewritten): the
        # question asked, inside_function(), does not depend on the other frames
        self.scope: ScopeStack[None] = ScopeStack(generator_frames=False)

    @classmethod
    def survey(cls, source: str, facts: FileFacts) -> Any:
        """What a conftest.py tells the modules below it (:class:`~.survey.ConftestLoops`),
        or a test module the conftest.py files above it (:class:`~.survey.SyncLoopRequests`,
        see :meth:`gather`); None when it has nothing to tell."""
        return survey_file(source, facts)

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        """Nothing to do where no sync function can be planned (idle.py), whatever the
        survey told the file: it decides only what becomes of the plans."""
        return idle(glance, facts)

    @classmethod
    def gather(cls, found: list[Any]) -> BelowLoops:
        """For a conftest.py: what the test modules below it request (:class:`~.survey.BelowLoops`)."""
        return gather_sync_loop_requests(found)

    # -- planning (planner.py), then the notes and requests of each plan ----------------------
    def visit_Module(self, node: cst.Module) -> bool:
        self._indent = len(node.default_indent.expandtabs())
        source = self.source
        if source and not any(word in source for word in (RUN, FIXTURE_NAME)):
            return False
        if self.project.trio_mode:
            return False
        if self.runs_other_framework():
            return False
        surveyed = self.facts.surveyed(self.name)
        own = next((e for e in surveyed if getattr(e, "path", None) == self.facts.path), None)
        planner = ModulePlanner(
            self.facts, self.imports, self.index,
            conftests=[e for e in surveyed if isinstance(e, ConftestLoops)],
            below=self.facts.gathered(self.name),
            drivers=own.drivers if own is not None else (),
            sync_loop_names=own.names if isinstance(own, SyncLoopRequests) else None,
            current_loop_helpers=own.current_loop_helpers if isinstance(own, SyncLoopRequests) else frozenset(),
            loop_running_calls=own.loop_running_calls if isinstance(own, SyncLoopRequests) else frozenset(),
            runner_fixtures=own.runner_fixtures if isinstance(own, SyncLoopRequests) else frozenset(),
        )
        planner.plan_module(node.body)
        self._plans = planner.plans
        for func, plan in self._plans.items():
            if plan.needs_own_loop:
                self._request_own_loop(plan)
            for at, message, kind, left in plan_notes(func, plan, self._plans, self.imports, self.project.target):
                self.note(at, message, kind=kind, left=left)
            if plan.state == "convert":
                self._drivers.update(plan.drivers)
                self._turns.update(plan.loop_turns)
                for var, stmt in plan.loop_vars.items():
                    self._loop_defs[stmt] = var in plan.other_use
        return any(plan.state != "leave" for plan in self._plans.values())

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
                return updated_node.with_changes(func=parenthesized(updated_node.func))
            return updated_node
        awaited = awaited_argument(updated_node)
        self._awaits.add(id(awaited))
        self.remove_import_of(original_node.func.value, self.imports)
        self.count_edit()
        return awaited

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        if id(updated_node.value) in self._awaits:
            return updated_node.with_changes(value=parenthesized(updated_node.value))
        return updated_node

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> bool:
        self._blocks += 1
        return True

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        self._blocks -= 1
        removed = {s for s in original_node.body if self._loop_defs.get(s) is False}  # type: ignore[call-overload]
        if removed:
            return keep_comments_of_removed(original_node, updated_node, removed, self._turns)
        return updated_node

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        if id(updated_node.value) in self._awaits:
            return updated_node.with_changes(value=parenthesized(updated_node.value))
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        if original_node in self._turns:
            # the callbacks its coroutine scheduled run before the code after it (callbacks.py)
            sleep = self.spell("asyncio.sleep", self.imports)
            turn = turn_line(sleep, self._blocks * self._indent, self.project.style.line_length)
            return cst.FlattenSentinel([updated_node, turn])
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
            return self._drop_parameter(updated_node, plan.loop_param or FIXTURE_NAME, False)
        if plan.state == "alias":
            updated_node = self._running_loop_alias(updated_node)
        elif plan.state != "convert":
            return updated_node
        updated_node = updated_node.with_changes(asynchronous=cst.Asynchronous())
        if plan.loop_param is not None:
            updated_node = self._drop_parameter(
                updated_node, plan.loop_param, plan.loop_param in plan.other_use and plan.state == "convert"
            )
        if plan.role == "test" and not plan.marked:
            loop_scope = self._test_loop_scope(plan)
            if self.project.strict or loop_scope is not None:
                updated_node = self._add_mark(updated_node, loop_scope)
        elif plan.role == "test":
            updated_node = self._marked_test(original_node, updated_node, plan)
        elif plan.role == "fixture":
            info = fixture_decorator(original_node, self.imports)
            assert info is not None
            loop_scope = self._fixture_loop_scope(info, plan)
            if (self.project.strict and info.library != "pytest_asyncio") or loop_scope is not None:
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

    def _fixture_loop_scope(self, info: FixtureInfo, plan: FunctionPlan) -> str | None:
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

    def _test_loop_scope(self, plan: FunctionPlan, marked: str | None = None) -> str | None:
        """``loop_scope=`` for a converted test's mark: the test ran on the ``event_loop``
        of its scope, which the configured default test loop scope (function when unset),
        or the one ``marked`` by the closest mark that reaches it, may not give it."""
        ran_on = plan.ran_on
        if self.project.target < LOOP_SCOPE_KWARG or ran_on is None:
            return None
        given = marked or self.project.test_loop_scope
        return ran_on if given != ran_on else None

    def _marked_test(self, original: cst.FunctionDef, node: cst.FunctionDef, plan: FunctionPlan) -> cst.FunctionDef:
        """A converted test that a class or module asyncio mark reaches gets a mark of its own
        where that one gives it another loop than the one it ran on (the closest mark wins)."""
        loop_scope = self._test_loop_scope(plan, plan.mark_scope)
        if loop_scope is None:
            return node
        if plan.own_mark or plan.mark_scope == "?":
            self.note(original, (
                f"{plan.name} ran on the {loop_scope}-scoped event_loop, but the asyncio mark that reaches it "
                f"may give it another loop: check it asks for loop_scope=\"{loop_scope}\""), kind="mark-loop-scope-check")
            return node
        return self._add_mark(node, loop_scope)

    def _drop_parameter(self, node: cst.FunctionDef, name: str, still_used: bool) -> cst.FunctionDef:
        where, index = injectable_param(node, name) or ("", -1)
        self.remove_imports_read_by(getattr(node.params, where)[index], self.imports)
        node = node.with_changes(params=remove_param(node.params, where, index))
        if still_used:
            node = node.with_changes(body=self._insert_running_loop(indented(node.body), name))
        return node

    def _request_own_loop(self, plan: FunctionPlan) -> None:
        if plan.local_loop:
            return  # its module's or class's own event_loop serves its sync code, as on 0.21
        if plan.loop_param not in (None, FIXTURE_NAME):
            return  # it requests a plugin's loop fixture (pytest-aiohttp's loop): an event_loop of
            # the project's own would not reach it; the check of the plan says it is left
        self.request_conftest(
            FIXTURE_NAME, own_loop_code(plan.ran_on), imports=OWN_LOOP_IMPORTS,
            reason="sync tests and fixtures that need a loop object (pytest-asyncio 1.0 removed its event_loop fixture)",
        )

    def _running_loop_call(self) -> cst.Call:
        return cst.Call(func=self.spell("asyncio.get_running_loop", self.imports))

    def _insert_running_loop(self, block: cst.IndentedBlock, name: str = FIXTURE_NAME) -> cst.IndentedBlock:
        return insert_assignment_first(block, name, self._running_loop_call())

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
                                   "write its return annotation as AsyncGenerator[...] by hand", kind="generator-return-annotation")
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

    def _inline_finalizer(self, node: cst.FunctionDef, finalizer: Finalizer) -> cst.FunctionDef:
        """The fixture's teardown moves after a ``yield`` (finalizers.py); ``-> T`` becomes
        ``-> AsyncIterator[T]``."""
        node, removed = inline_finalizer(node, finalizer)
        if removed is not None:
            self.remove_imports_read_by(removed, self.imports)
        returns = node.returns
        if returns is not None:
            iterator = self._spell_async_iterator()
            if iterator is not None:
                wrapped = cst.Subscript(value=iterator, slice=[cst.SubscriptElement(cst.Index(returns.annotation))])
                node = node.with_changes(returns=returns.with_changes(annotation=wrapped))
            else:
                self.note(returns, f"{node.name.value} became an async generator, and AsyncIterator means "
                                   "something else here: write its return annotation as an AsyncIterator by hand",
                          kind="async-iterator-name-taken")
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
