"""sync-to-async's planning, the consumers' side: who consumes the fixtures a module
defines (pytest_model.loop_flow), and which of those that need the loop object go on the
running loop. A mixin of :class:`~.planner.ModulePlanner`, which holds the state it reads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import libcst as cst

from ...pytest_model.collection import collected_test_function
from ...pytest_model.fixtures import fixture_decorator, requested_fixtures
from ...pytest_model.loop_flow import NOT_FIXTURES, FileRequests, LoopFlow
from ...pytest_model.loop_scopes import scope_rank
from .nodes import functions

if TYPE_CHECKING:
    from ...imports.resolve import ImportMap
    from ...project import FileFacts, ProjectFacts
    from .plan import FunctionPlan
    from .survey import BelowLoops, ConftestLoops


class LoopConsumers:
    """Where the loop objects of a module's fixtures go (see the module docstring)."""

    facts: FileFacts
    project: ProjectFacts
    imports: ImportMap
    below: BelowLoops | None
    conftests: Sequence[ConftestLoops]
    sync_loop_names: frozenset[str] | None
    plans: dict[cst.FunctionDef, FunctionPlan]
    defines_loop: bool
    #: the loop scopes the event_loop fixtures of a module or class body give (the planner's)
    _loop_scopes_defined: Callable[[Sequence[cst.BaseStatement]], tuple[str | None, ...]]

    def _loop_flow(self, body: Sequence[cst.BaseStatement]) -> LoopFlow | None:
        """Who consumes the fixtures this module defines (pytest_model.loop_flow): in a test
        module, its own tests and fixtures; in a conftest.py, also every test module below
        it (None when the run did not read them all). A sync function that becomes async
        here consumes what it requests as async code."""
        own = self._file_requests(body, planned=True)
        if not self.facts.is_conftest:
            # the conftest.py files above consume them too where their fixtures request a
            # name the module defines (a class's override of a fixture theirs request)
            above = [entry.requests for entry in self.conftests if entry.requests is not None]
            return LoopFlow([own, *above])
        if self.below is None or self.below.requests is None:
            return None
        return LoopFlow([own, *self.below.requests])

    def _written_flow(self, body: Sequence[cst.BaseStatement]) -> LoopFlow:
        """Who consumes the module's fixtures as the code is written (no planned conversion
        counts), with what the conftest.py files above request (a test module's)."""
        own = self._file_requests(body, planned=False)
        if self.facts.is_conftest:
            return LoopFlow([own])
        return LoopFlow([own, *(entry.requests for entry in self.conftests if entry.requests is not None)])

    def _file_requests(self, body: Sequence[cst.BaseStatement], planned: bool) -> FileRequests:
        """The module's :class:`FileRequests`; ``planned``: a function that becomes async
        counts as async."""
        fixtures: list[tuple[str, bool, frozenset[str]]] = []
        async_roots: set[str] = set()
        sync_roots: set[str] = set()
        own_loop_roots: set[str] = set()
        own_loop_tests = _on_own_loops(body, self.defines_loop, self._loop_scopes_defined)
        for func in functions(body):
            plan = self.plans.get(func)
            is_async = func.asynchronous is not None or (planned and plan is not None and plan.state == "convert")
            requests = frozenset(requested_fixtures(func.params, positional_only=True, star=True, defaults=True))
            requests -= NOT_FIXTURES
            info = fixture_decorator(func, self.imports)
            if info is not None:
                fixtures.append((info.registered_name(func), is_async, requests))
            elif self.facts.is_test_module and collected_test_function(
                func, self.project, scope_collected=True, exclude_fixtures=False
            ):
                (async_roots if is_async else sync_roots).update(requests)
                if id(func) in own_loop_tests:
                    own_loop_roots.update(requests)
        return FileRequests(tuple(fixtures), frozenset(async_roots), frozenset(sync_roots), frozenset(own_loop_roots))

    def _on_running_loop(self, fixtures: Sequence[tuple[str, FunctionPlan]], flow: LoopFlow | None) -> None:
        """A fixture that needs the loop object (hands it on, tweaks it) and whose consumers
        are all async code becomes an async fixture on the running loop, the loop its
        consumers run on, as 0.x's shared event_loop was: unless its cache scope outlives
        the loop its tests run on (pytest-asyncio's loop of that scope is not the tests')."""
        if flow is None:
            return
        tests_loop = self.project.test_loop_scope
        for name, plan in fixtures:
            if plan.state == "convert" and self.facts.is_conftest and flow.reaches_own_loops(name):
                # some tests below ran it on an event_loop override of their own: as an
                # async fixture it would run on another loop than theirs
                plan.state = "own" if plan.loop_param is not None else "leave"
                plan.on_own_loops = True
                continue
            if plan.kept or plan.state != "own" or not plan.hands_on_loop or not flow.only_async(name):
                continue
            if self.facts.is_conftest and flow.reaches_own_loops(name):
                plan.on_own_loops = True  # no one running loop serves every consumer
                continue
            if plan.drives_loop is not None:
                # what it hands the loop to runs it: on the running loop that raises "This
                # event loop is already running"
                plan.driven_for_async = True
                continue
            cache = plan.cache_scope
            if cache is None or scope_rank(cache) > scope_rank(tests_loop):
                plan.wider_than_tests = tests_loop
                continue
            plan.on_running_loop = True
            # (one that only hands out the loop hands out the running loop itself)
            plan.state = "alias" if plan.alias else "convert"

    def _sync_requests(self, body: Sequence[cst.BaseStatement]) -> set[str]:
        """The fixtures the module's sync tests and fixtures request (by parameter)."""
        found: set[str] = set()
        for func in functions(body):
            if func.asynchronous is None:
                found.update(requested_fixtures(func.params, positional_only=True, star=True, defaults=True))
        return found

    def _alias_convertible(self, name: str, sync_requests: set[str]) -> bool:
        """Whether a fixture that only hands out ``event_loop`` may hand out the running loop
        instead: no sync code requests it, but sync tests that get that loop idle as they got
        0.x's (pytest_model.loop_flow.ast_idle_loop_user, as the survey read them). In a test
        module that is the module's own code (``sync_requests``, every sync request, where its
        survey did not say); in a conftest.py, every module below it (as the survey saw
        them, a whole folder's worth, for a name that says loop)."""
        if "loop" not in name.lower():
            return False
        if not self.facts.is_conftest:
            return name not in (sync_requests if self.sync_loop_names is None else self.sync_loop_names)
        names = self.below.sync_loop_names if self.below is not None else None
        return names is not None and name not in names


def _on_own_loops(
    body: Sequence[cst.BaseStatement], module_defines: bool, defined: Callable[[Sequence[cst.BaseStatement]], tuple]
) -> set[int]:
    """The ids of the functions of a module body that an ``event_loop`` of their module
    (``module_defines``) or class (``defined(class body)`` finds one) serves: a loop of
    their own, not the one the others share."""
    found = {id(func) for func in functions(body)} if module_defines else set()
    for stmt in body:
        if isinstance(stmt, cst.ClassDef) and isinstance(stmt.body, cst.IndentedBlock) and defined(stmt.body.body):
            found.update(id(func) for func in functions(stmt.body.body))
    return found
