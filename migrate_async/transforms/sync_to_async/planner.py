"""sync-to-async's planning: what becomes of each sync function of a module.

:class:`ModulePlanner` reads the module and class bodies (which ``event_loop`` their tests
ran on, which asyncio marks reach them, which helpers run a loop themselves), has each test,
fixture and helper analysed (analysis.py), then settles the module's plans together: before
1.0 a test and the fixtures it requested shared one loop, so they go one way together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import libcst as cst

from ...cstkit.name_index import NameIndex
from ...cstkit.names import all_params, assigned_names
from ...imports.resolve import ImportMap
from ...project import FileFacts
from ...pytest_model.aiohttp_loop import loop_fixture_names
from ...pytest_model.collection import (
    collected_class,
    collected_test_function,
    is_unittest_class,
)
from ...pytest_model.event_loop import FIXTURE_NAME, LOOP_FIXTURES, cst_loop_binding
from ...pytest_model.fixtures import (
    fixture_decorator,
    injectable_param,
    requested_fixtures,
)
from ...pytest_model.loop_flow import (
    LoopFlow,
    fixture_closure,
)
from ...pytest_model.marks import MarkInfo, decorator_marks, pytestmark_marks
from .analysis import (
    RUN,
    BodyAnalysis,
    FindsCurrentLoop,
    hands_out_loop,
    is_get_event_loop,
    uses,
)
from .callbacks import QuietCoroutines, followed_lines
from .consumers import LoopConsumers
from .finalizers import registered_finalizer
from .nodes import functions
from .plan import FunctionPlan, Role
from .runner_params import ParamRunners
from .survey import BelowLoops, ConftestLoops, LoopDriver


class ModulePlanner(LoopConsumers):
    """Plans the sync functions of one module; :attr:`plans` holds those with something to
    do or to say, once :meth:`plan_module` has run."""

    def __init__(
        self,
        facts: FileFacts,
        imports: ImportMap,
        index: NameIndex,
        conftests: Sequence[ConftestLoops],
        below: BelowLoops | None,
        drivers: tuple[LoopDriver, ...] = (),
        sync_loop_names: frozenset[str] | None = None,
        current_loop_helpers: frozenset[str] = frozenset(),
        loop_running_calls: frozenset[str] = frozenset(),
        runner_fixtures: frozenset[str] = frozenset(),
    ) -> None:
        """``conftests``: what the conftest.py files above said, outermost first; ``below``:
        for a conftest.py, what the test modules below it request (None when not known);
        ``drivers`` and ``sync_loop_names``: the module's own survey's (survey.LoopDriver,
        survey.SyncLoopRequests; None when it has none); ``current_loop_helpers``: the calls
        of project callables that take the current loop, and ``loop_running_calls`` those of
        its sync functions and methods that run a loop (survey.current_loop_helpers);
        ``runner_fixtures``: the module's own fixtures whose params carry a runner's mark."""
        self.drivers = drivers
        self.sync_loop_names = sync_loop_names
        self.current_loop_helpers = current_loop_helpers
        self.loop_running_calls = loop_running_calls
        self.runner_fixtures = runner_fixtures
        self.param_runners: ParamRunners | None = None  # set by plan_module
        self.facts = facts
        self.project = facts.project
        self.imports = imports
        self.index = index
        self.conftests = conftests
        self.below = below
        self.plans: dict[cst.FunctionDef, FunctionPlan] = {}
        self.loop_scope: str | None = "function"  # the old event_loop's, see _read_loop_scope
        self.defines_loop = False  # the module defines event_loop itself (its own tests use that)
        self._current_loop_users: set[str] | None = None  # see _finds_current_loop
        self.quiet = QuietCoroutines(())  # the module's coroutines that never suspend
        self._body: Sequence[cst.BaseStatement] = ()
        #: the fixture names that mean the plugin's loop here: event_loop, and the loop fixtures
        #: of a plugin the project loads that nothing of the project provides here
        above = {n for entry in conftests for n in entry.defines_plugin_loops}
        self.loop_fixtures = loop_fixture_names(self.project.plugin_loops, above, imports.binds_locally)

    def plan_module(self, body: Sequence[cst.BaseStatement]) -> None:
        """Plan every sync test, fixture and helper of the module, then settle them."""
        self._read_loop_scope(body)
        module_marked = asyncio_mark(pytestmark_marks(body, self.imports))
        self._body = body
        self.param_runners = ParamRunners(self.facts, self.imports, self.conftests, self.runner_fixtures, body)
        self.quiet = QuietCoroutines(body)
        helpers = self._plan_helpers(body, set(), collected=True)
        self._plan_body(body, helpers, set(), collected=True, marked=module_marked)
        self._settle(body)

    def _read_loop_scope(self, body: Sequence[cst.BaseStatement]) -> None:
        """Sets :attr:`loop_scope`, the scope of the ``event_loop`` the module's tests got
        before 1.0: the nearest definition's (the module's own, else the closest
        conftest.py's), else pytest-asyncio's function-scoped one; None when that is not
        known (a scope that is not a literal); and :attr:`defines_loop`. A class that defines
        its own overrides this for its tests (see _plan_class)."""
        scopes = self._loop_scopes_defined(body)
        # a fixture imported from a module of the project serves the module's tests as its
        # own would (pytest-asyncio's, imported from its plugin, is gone on 1.x)
        imported = cst_loop_binding(body)
        self.defines_loop = bool(scopes) or (imported is not None and not imported.from_plugin)
        if not scopes:
            found = [entry.loop_scopes for entry in self.conftests if entry.loop_scopes]
            if not found:
                self.loop_scope = "function"
                return
            scopes = found[-1]
        self.loop_scope = one_scope(scopes)

    def _loop_scopes_defined(self, body: Sequence[cst.BaseStatement]) -> tuple[str | None, ...]:
        """The scopes of the ``event_loop`` fixtures a module or class body defines."""
        return tuple(
            info.scope()
            for stmt in body
            if isinstance(stmt, cst.FunctionDef)
            for info in [fixture_decorator(stmt, self.imports)]
            if info is not None and info.registered_name(stmt) == FIXTURE_NAME
        )

    def _conftest_loop_fixtures(self) -> set[str]:
        """Fixtures of the conftest.py files above that run on pytest-asyncio's loop."""
        names: set[str] = set()
        for entry in self.conftests:
            names.update(entry.on_asyncio_loop)
        return names

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
        fixtures: dict[str, FunctionPlan] = {}
        # every planned fixture (two of one name, a module's and a class's override, both)
        pairs: list[tuple[str, FunctionPlan]] = []
        # fixtures pytest-asyncio runs (async, or its own decorator; in a conftest.py above,
        # also the sync ones that take event_loop, which may become async there)
        on_asyncio_loop: set[str] = self._conftest_loop_fixtures()
        # what every fixture of the module requests, planned or not: a test meets the loop of
        # a fixture it reaches through another (loaded(scheduler), scheduler(event_loop))
        graph: dict[str, set[str]] = {}
        for func in functions(body):
            info = fixture_decorator(func, self.imports)
            plan = self.plans.get(func)
            params = requested_fixtures(func.params, positional_only=True, star=True, defaults=True)
            if info is not None:
                name = info.registered_name(func)
                graph.setdefault(name, set()).update(p for p in params if p not in self.loop_fixtures and p not in ("self", "cls"))
                if plan is not None:
                    fixtures[name] = plan
                    pairs.append((name, plan))
                if func.asynchronous is not None or info.library == "pytest_asyncio":
                    on_asyncio_loop.add(name)
        # what the module's async tests and fixtures consume, as written
        written = LoopFlow([self._file_requests(body, planned=False)])
        reach = {id(plan): fixture_closure(plan.requests, graph) for plan in self.plans.values()}
        for plan in self.plans.values():
            if plan.kept:
                # the project's own loop: it pairs as "own" where it needs the loop
                plan.state = "leave" if plan.unused_loop else "own"
            elif plan.convertible:
                plan.state = "convert"
            elif plan.unused_loop:
                plan.state = "own" if self._finds_current_loop(plan) else "unused"
            elif plan.role != "helper" and plan.loop_param is not None and plan.candidate:
                plan.state = "own"
        self._on_running_loop(pairs, self._loop_flow(body))
        for func, plan in list(self.plans.items()):
            if plan.role == "fixture" and plan.state not in ("convert", "alias") and plan.library != "pytest":
                # a sync pytest_asyncio.fixture that takes event_loop is planned only to make it
                # async; else it stays as it is, as it did before loop_flow (unmet requests say it)
                del self.plans[func]
                for key in [key for key, value in fixtures.items() if value is plan]:
                    del fixtures[key]
                pairs = [(key, value) for key, value in pairs if value is not plan]
        changed = True
        while changed:
            changed = False
            for plan in self.plans.values():
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
        above_written: LoopFlow | None = None
        for name, plan in pairs:
            if plan.kept:
                continue
            if plan.state == "own" and written.reaches_async(name):
                plan.state = "leave"
                plan.why = "async tests or fixtures request it, and they run on pytest-asyncio's loop"
            elif plan.state == "own" and plan.hands_on_loop and (
                above_written := above_written or self._written_flow(body)
            ).reaches_async(name):
                # async tests reach it through a conftest.py fixture: they run on another loop
                plan.mixed_consumers = True
            may_alias = plan.alias and plan.state in ("own", "leave") and plan.runner_fixture is None
            if may_alias and self._alias_convertible(name, sync_requests):
                plan.state = "alias"
        for plan in self.plans.values():
            meets = on_asyncio_loop.intersection(reach[id(plan)])
            if plan.state == "own" and not plan.kept and (self.facts.is_conftest or plan.ran_on is None or meets):
                plan.state = "leave"
                plan.meets = tuple(sorted(meets))
                plan.why = ("in a conftest.py, whose consumers are not seen here" if self.facts.is_conftest
                            else "the scope of the event_loop it ran on is not a literal")

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

    def _role(self, func: cst.FunctionDef, collected: bool) -> Role | Literal["skip"]:
        info = fixture_decorator(func, self.imports)
        if info is not None:
            if func.name.value in LOOP_FIXTURES or info.given_name() in LOOP_FIXTURES:
                return "skip"
            if info.library != "pytest" and self._loop_param(func) is None:
                # a sync pytest_asyncio.fixture is 1.x's own workaround, unless it takes the
                # removed event_loop (0.x code that only changed its decorator)
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
        ran_on, local_loop = loop if loop is not None else (self.loop_scope, self.defines_loop)
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
                own = asyncio_mark([info for _d, info in decorator_marks(stmt.decorators, self.imports)])
                closest = own or marked
                plan.marked = closest is not None
                plan.own_mark = own is not None
                plan.mark_scope = mark_scope(closest) if closest is not None else None
            if role != "helper" and plan.candidate:
                assert self.param_runners is not None
                plan.runner_fixture = self.param_runners.of(stmt)
            if plan.candidate or plan.blockers or plan.helper_runs:
                self.plans[stmt] = plan

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
        marked = asyncio_mark(own) or parent_marked
        method_helpers = self._plan_helpers(body, module_helpers, collected)
        scopes = self._loop_scopes_defined(body)  # a class's own event_loop serves its tests
        loop = (one_scope(scopes), True) if scopes else parent_loop
        self._plan_body(body, module_helpers, method_helpers, collected, marked, loop)

    def _analyse(self, func: cst.FunctionDef, role: Role, helpers: set[str], method_helpers: set[str]) -> FunctionPlan:
        plan = FunctionPlan(role, name=func.name.value)
        loop_names: set[str] = set()
        if role == "helper":
            loop_names = {p.name.value for p in all_params(func.params)} - {"self", "cls"}
        else:
            found = self._loop_param(func)
            if found is not None:
                plan.loop_param = found
                loop_names.add(found)
        bound: dict[str, int] | None = None  # (read only where a get_event_loop() is assigned)
        definitions: list[cst.Name] = []
        # (a one-line body, ``def test(event_loop): assert ...``, holds no loop variables)
        for stmt in func.body.body if isinstance(func.body, cst.IndentedBlock) else ():
            if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
                continue
            small = stmt.body[0]
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
                continue
            target = small.targets[0].target
            if not (isinstance(target, cst.Name) and is_get_event_loop(small.value, self.imports)):
                continue
            if bound is None:
                bound = assigned_names(func.body)
            if bound.get(target.value) == 1:
                plan.loop_vars[target.value] = stmt
                loop_names.add(target.value)
                definitions.append(target)
        if role == "fixture":
            info = fixture_decorator(func, self.imports)
            assert info is not None
            plan.cache_scope = info.scope()
            plan.library = info.library
            plan.finalizer = registered_finalizer(func)
            plan.registers_finalizer = self.index.has(func.body, attributes=("addfinalizer",))
        if not self._may_keep(func, role, loop_names, plan):
            return plan  # nothing the analysis could find would keep it (see _may_keep)
        drivers = self.drivers if role == "fixture" else ()
        analysis = BodyAnalysis(
            self.imports, plan, func.name.value, loop_names, helpers, method_helpers, drivers,
            quiet=self.quiet, followed=followed_lines(func.body) if role != "helper" else frozenset(),
            library_runs=self.loop_running_calls if role != "helper" else frozenset(),
        )
        analysis.consumed.update(id(name) for name in definitions)
        # the receivers ``get_event_loop()`` of the definitions are no loop runs of their own
        func.body.visit(analysis)
        analysis.finish()
        if role == "helper":
            return plan
        plan.generator = analysis.has_yield or plan.finalizer is not None
        plan.body = func.body
        plan.loop_used = plan.loop_param is not None and uses(func.body, plan.loop_param, [])
        plan.alias = role == "fixture" and plan.loop_param is not None and hands_out_loop(func.body)
        plan.requests = requested_fixtures(
            func.params, positional_only=True, star=True, defaults=True, skip=(*self.loop_fixtures, "self", "cls")
        )
        used = {name for name in plan.loop_vars if uses(func.body, name, definitions)}
        for name in list(plan.loop_vars):
            if name not in used:
                del plan.loop_vars[name]  # never used: leave the statement to get-running-loop
        return plan

    def _may_keep(self, func: cst.FunctionDef, role: Role, loop_names: set[str], plan: FunctionPlan) -> bool:
        """Whether the body analysis may find what keeps a function's plan (drivers,
        blockers, a helper's loop runs: see _plan_body), asked of the name index first.

        Without a loop name of its own (a loop parameter, a local ``get_event_loop()``), a
        test's or fixture's analysis finds those only at a ``.run_until_complete``, at a
        ``yield`` of its own (``yield from``; a generator that returns a value) or, in a
        test, where it names itself; a helper's only at the first two. A fixture with a
        finalizer is always analysed (the finalizer's body is read as its own)."""
        if plan.finalizer is not None or (role != "helper" and loop_names):
            return True
        body = func.body
        if self.index.has(body, attributes=(RUN,)) or self.index.yields(body):
            return True
        return role == "test" and self.index.has(body, mentions=(func.name.value,))

    def _loop_param(self, func: cst.FunctionDef) -> str | None:
        """The loop fixture (:attr:`loop_fixtures`) the function requests by parameter, if any."""
        return next((n for n in sorted(self.loop_fixtures) if injectable_param(func, n) is not None), None)

    def _finds_current_loop(self, plan: FunctionPlan) -> bool:
        """Whether a function's sync code finds the current loop (CURRENT_LOOP_CALLS), itself
        or through a class or helper of the module or one of the project it imports: an
        ``event_loop`` it seems not to use made that loop current. Asked only of a plan whose
        loop seems unused (rare)."""
        if self._current_loop_users is None:
            self._current_loop_users = self._current_loop_finders(self._body) | self.current_loop_helpers
        assert plan.body is not None
        return FindsCurrentLoop.run(plan.body, self.imports, self._current_loop_users)

    def _current_loop_finders(self, body: Sequence[cst.BaseStatement]) -> set[str]:
        """The module's classes and sync helpers whose sync code finds the current loop."""
        found: set[str] = set()
        for stmt in body:
            if isinstance(stmt, cst.ClassDef) or (
                isinstance(stmt, cst.FunctionDef) and stmt.asynchronous is None and self._role(stmt, True) == "helper"
            ):
                if FindsCurrentLoop.run(stmt.body, self.imports, set()):
                    found.add(stmt.name.value)
        return found


def one_scope(scopes: Sequence[str | None]) -> str | None:
    """The one literal scope of ``scopes``, else None."""
    if len(set(scopes)) != 1 or scopes[0] is None:
        return None
    return scopes[0]


def asyncio_mark(marks: Sequence[MarkInfo]) -> MarkInfo | None:
    """The first asyncio mark of ``marks`` (the one ``get_closest_marker`` finds among them)."""
    return next((m for m in marks if m.name == "asyncio"), None)


def mark_scope(mark: MarkInfo) -> str | None:
    """The loop scope an asyncio mark names: None when it names none, "?" when not a literal."""
    value = mark.loop_scope_arg()
    if value is None:
        return None
    evaluated = value.evaluated_value if isinstance(value, cst.SimpleString) else None
    return evaluated if isinstance(evaluated, str) else "?"
