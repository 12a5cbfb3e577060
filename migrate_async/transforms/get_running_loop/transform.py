"""get-running-loop: ``asyncio.get_event_loop()`` inside a coroutine → ``asyncio.get_running_loop()``.

``asyncio.get_event_loop()`` directly in a coroutine becomes ``asyncio.get_running_loop()``,
through every spelling of asyncio; in test code, what cannot be rewritten (the call in sync
code, a coroutine that stops its own loop) is reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import libcst as cst

from ...cstkit.names import caught_names, dotted_name
from ...cstkit.scope import Kind, ScopeHooks, ScopeStack
from ...cstkit.walk import nodes_under
from ...project import FileFacts, is_test_code, project_root
from ...pytest_model.collection import (
    collected_test_function,
)
from ...pytest_model.fixtures import fixture_decorator
from ...pytest_model.loop_setters import loop_setting_fixtures
from ...pytest_model.loop_takers import takes_loop_by_default
from ...pytest_model.marks import asked_fixtures
from ...pytest_model.outside_loop import (
    CURRENT_LOOP_READERS,
    NO_CURRENT_LOOP_CAUGHT_BY,
    current_loop_reader,
    is_running_loop_call,
    outside_any_loop,
    reads_policy_loop,
    requests_a_loop,
)
from ...pytest_model.versions import NO_CURRENT_LOOP_LEFT
from ..examples import Example
from ..glance import Glance
from ..transform import MigrationContext, Transform
from ..triggers import Triggers
from .idle import (
    READER_NAMES,
    may_read_current_loop,
    may_stop_running_loop,
)
from .survey import GET_EVENT_LOOP, LoopSurvey, survey_module

SYNC_MESSAGE = (
    "asyncio.get_event_loop() in sync code: since pytest-asyncio 1.4 no current loop is left "
    "set after an async test, so called where no loop runs (a sync test, a sync fixture) this "
    "raises 'RuntimeError: There is no current event loop', and Python 3.14 deprecates the policy "
    "API behind it; if it only runs inside coroutines, asyncio.get_running_loop() says so and "
    "returns the same loop; else pass the loop in from async code, or use asyncio.run() or "
    "asyncio.Runner for a fresh loop"
)
IMPORT_TIME_MESSAGE = (
    "asyncio.get_event_loop() at import time: the loop it returns is not the one pytest-asyncio "
    "runs tests in, and Python 3.14 deprecates the policy API behind it; get the loop where it is "
    "used (asyncio.get_running_loop() in a coroutine) or create one with asyncio.Runner"
)
STOP_MESSAGES = {
    "stop": (
        "stops the loop the test runs in: pytest-asyncio 1.x owns that loop, and the test's own "
        "run ends with 'Event loop stopped before Future completed' once anything is awaited "
        "after it; end the test without stopping the loop (cancel or await what it runs instead)"
    ),
    "close": (
        "closes the loop the test runs in: that raises 'Cannot close a running event loop', and "
        "pytest-asyncio 1.x closes its loops itself; remove the call"
    ),
}
NESTED_MESSAGE = (
    "asyncio.get_event_loop() in a sync function or lambda inside a coroutine: if it only ever "
    "runs in the loop's thread (a callback, or called from the coroutine), replace it with "
    "asyncio.get_running_loop(); if another thread runs it, pass the loop in; if another process "
    "runs it (a multiprocessing target), give it a loop of its own with asyncio.run()"
)
HELPER_MESSAGE = (
    "this sync test reaches asyncio.get_event_loop() through {helper}() ({where}): since "
    "pytest-asyncio 1.4 no current loop is left set once an async test has run, so it raises "
    "'RuntimeError: There is no current event loop' depending on the order tests run in; give "
    "the helper a loop (asyncio.new_event_loop(), closed after), or make the test async"
)
TAKER_MESSAGE = (
    "{call} in {where}, which pytest runs outside any event loop: the project passes it loop= "
    "elsewhere, so without one it may take the current loop, and since pytest-asyncio 1.4 none "
    "is set there ('There is no current event loop'); {advice}"
)
#: TAKER_MESSAGE's advice, for a sync fixture and for the rest
TAKER_ADVICE = (
    "make the fixture a sync @pytest_asyncio.fixture (it runs with the test's loop current), or give it the loop",
    "give it the loop, or call it in a coroutine",
)
READER_MESSAGE = (
    "{call} in {where}, which pytest runs outside any event loop: it takes the current loop, and "
    "since pytest-asyncio 1.4 none is left set once an async test has run, so it raises "
    "'RuntimeError: There is no current event loop' (aiohttp 3.10 and later want a running loop "
    "outright); create it in an async fixture, or in the async test itself"
)
POLICY_MESSAGE = (
    "asyncio.get_event_loop_policy().get_event_loop() relies on the event-loop policy API, "
    "deprecated in Python 3.14: use asyncio.get_running_loop() in a coroutine, or pass the loop in"
)


#: What ``migrate-async explain get-running-loop`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="``asyncio.get_event_loop()`` in a coroutine",
        before="""
            import asyncio

            import pytest

            @pytest.mark.asyncio
            async def test_report_is_rendered_off_loop(renderer):
                loop = asyncio.get_event_loop()
                html = await loop.run_in_executor(None, renderer.render, "q3")
                assert "<table>" in html
            """,
        after="""
            import asyncio

            import pytest

            @pytest.mark.asyncio
            async def test_report_is_rendered_off_loop(renderer):
                loop = asyncio.get_running_loop()
                html = await loop.run_in_executor(None, renderer.render, "q3")
                assert "<table>" in html
            """,
    ),
    Example(
        title="``from asyncio import get_event_loop``",
        before="""
            from asyncio import get_event_loop

            async def test_clock_is_monotonic():
                assert get_event_loop().time() >= 0
            """,
        after="""
            from asyncio import get_running_loop

            async def test_clock_is_monotonic():
                assert get_running_loop().time() >= 0
            """,
    ),
    Example(
        title="another object's ``get_event_loop`` and the function used as a value",
        before="""
            import asyncio
            from unittest import mock

            async def test_app_loop(app):
                assert app.get_event_loop() is not None
                with mock.patch.object(asyncio, "get_event_loop", return_value=app.loop):
                    await app.start()
            """,
    ),
)


class GetRunningLoop(ScopeHooks, Transform):
    name = "get-running-loop"
    summary = "asyncio.get_event_loop() inside coroutines → asyncio.get_running_loop(); flagged in sync code"
    default = True
    # a stop or close of the running loop is in a coroutine: "async" keeps the gate as it was
    triggers = Triggers(
        any=(
            b"get_event_loop",
            # what takes the current loop, in a module that says "async" (asyncio, an async
            # test): a module without it is not read for them (the gate stays narrow)
            (b"async", b"ClientSession"),
            (b"async", b"Connector"),
            (b"async", b"Future"),
            (b"async", b"ensure_future"),
            (b"async", b"get_running_loop", b".stop"),
            (b"async", b"get_running_loop", b".close"),
        ),
        produces=(b"get_running_loop",),
        # the survey parses a test module: only one that calls something named for a loop
        # (current_loop(), get_loop()), else every test module of a tree would be parsed
        survey=(b"def test", b"loop"),
    )

    # a sync test that reaches get_event_loop() through a helper of the project: the survey
    # follows the test modules' calls to their definitions (see survey below)
    runs_on_survey = True

    examples = EXAMPLES

    @classmethod
    def survey(cls, source: str, facts: FileFacts) -> LoopSurvey | None:
        """In a test module: the project helpers its sync tests call that reach
        ``asyncio.get_event_loop()`` (spelling → where the helper is), followed one level
        to their definitions, and the calls they make of the project's sync API that runs
        a loop or takes the current one (pytest_model.library_loops); None when there are
        none (or pytest-asyncio < 1.4, which leaves a loop current)."""
        return survey_module(source, facts)

    @classmethod
    def gather(cls, found: list[Any]) -> frozenset[str] | None:
        """What a conftest.py learns from the modules below it: the callables they hand a loop."""
        takers = frozenset().union(*(s.loop_takers for s in found if isinstance(s, LoopSurvey)))
        return takers or None

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        """Nothing to do where the survey found no helper for the file, nothing is named
        ``get_event_loop``, nothing outside every ``async def`` body calls (or may call) a
        function that takes the current loop, and no ``.stop``/``.close`` is taken of (or
        may be taken of) the running loop."""
        if facts.surveyed(cls.name) or facts.gathered(cls.name):
            return False
        names = glance.identifiers
        if "get_event_loop" in names:
            return False
        if names.intersection(READER_NAMES) and _reports_readers(facts):
            if any(glance.may_mean(called, CURRENT_LOOP_READERS) for called in glance.calls_outside_coroutines):
                if may_read_current_loop(glance, facts.project):
                    return False
        return not (facts.is_test_module or facts.is_conftest) or not may_stop_running_loop(glance)

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        # a generator expression in a coroutine runs in it: it is rewritten there
        # each coroutine frame: the names bound in it to the loop it runs in
        self.scope: ScopeStack[set[str]] = ScopeStack(generator_frames=False)
        self._report = True
        #: the survey's project helpers that reach get_event_loop(), by spelling
        self._helpers: dict[str, str] = {}
        #: the calls the survey found of the project's sync API that runs or takes a loop
        self._library_calls: set[str] = set()
        #: the imported callables the project hands a loop, from this module, the conftest
        #: files above it, and (in a conftest.py) the modules below it
        self._takers: frozenset[str] = self.facts.gathered(self.name) or frozenset()
        self._in_decorators: set[int] = set()
        #: of those, the module's own functions that make such a call: name → that call
        self._through: dict[str, str] = {}
        for found in self.facts.surveyed(self.name):
            self._helpers.update(found.helpers)
            self._library_calls.update(found.library_calls)
            self._through.update(found.through_helpers)
            self._library_calls.update(self._through)
            self._takers |= found.loop_takers
        self._helper_notes: set[tuple[int, str]] = set()
        # from-imported local names of get_event_loop: uses rewritten, uses in all
        self._rewritten: dict[str, int] = {}
        self._references: dict[str, int] = {}
        self._attribute_names: set[int] = set()
        #: the bodies of the try statements being visited whose handlers catch RuntimeError
        #: (a get_event_loop() there handles "no current event loop" itself), and how deep in them
        self._guarded_bodies: set[int] = set()
        self._guarded = 0
        #: the functions pytest runs outside any loop (sync fixtures, xunit setups, sync
        #: tests, the methods a class's xunit setup calls), by id: what each is called
        self._outside: dict[int, str] = {}
        #: the loop-setting fixtures of the conftest.py files above (read when first asked)
        self._loop_setters: tuple[frozenset[str], bool] | None = None

    def visit_Try(self, node: cst.Try) -> None:
        if any(_catches_runtime_error_cst(handler) for handler in node.handlers):
            self._guarded_bodies.add(id(node.body))

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if id(node) in self._guarded_bodies:
            self._guarded += 1

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        if id(original_node) in self._guarded_bodies:
            self._guarded -= 1
        return updated_node

    def visit_Module(self, node: cst.Module) -> bool:
        readers = _reports_readers(self.facts) and self.imports.may_refer_to("aiohttp")
        if not self.imports.may_refer_to("asyncio") and not self._helpers and not readers and not self._takers:
            return False
        self._report = self.facts.is_test_module or self.facts.is_conftest
        if _reports_readers(self.facts):
            self._outside = outside_any_loop(node, self.project, self.imports, self.index)
        return True

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        for local, count in sorted(self._rewritten.items()):
            if count == self._references.get(local, 0):
                self.remove_unused_import("asyncio", "get_event_loop", asname=None if local == "get_event_loop" else local)
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.scope.enter(node, set())
        if self._takers:
            self._in_decorators.update(id(n) for d in node.decorators for n in nodes_under(d))
        return True

    # -- the running loop, stopped or closed ----------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        frame = self.scope.innermost
        if frame is None or frame.data is None:
            return
        names = {t.target.value for t in node.targets if isinstance(t.target, cst.Name)}
        if self._is_running_loop(node.value, frame.data):
            frame.data.update(names)
        else:
            frame.data.difference_update(names)  # bound again to something else (a loop of its own)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._attribute_names.add(id(node.attr))
        method = node.attr.value
        if method not in STOP_MESSAGES or not self._report or not self.scope.in_coroutine_body():
            return
        frame = self.scope.innermost
        if any(f.kind is Kind.FUNCTION for f in self.scope):
            return  # a coroutine inside a sync function runs on the loop that function gives it
        if frame is not None and self._is_running_loop(node.value, frame.data or set()):
            self.note(node, STOP_MESSAGES[method], kind=f"test-{method}s-running-loop", left=method == "close")

    def _is_running_loop(self, expr: cst.BaseExpression, bound: set[str]) -> bool:
        """``asyncio.get_running_loop()`` / ``asyncio.get_event_loop()`` (in a coroutine
        both are the loop it runs in), or a name bound to one in this coroutine."""
        if isinstance(expr, cst.Name):
            return expr.value in bound
        return is_running_loop_call(expr, self.imports)

    # -- calls ----------------------------------------------------------------------------
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if self._helpers and self._report:
            self._note_helper_call(original_node)
        full = self.imports.qualify(func)
        if full == GET_EVENT_LOOP and not original_node.args:
            return self._get_event_loop(original_node, updated_node)
        if self._outside and not self._guarded:
            args = original_node.args
            first = next((a.value for a in args if a.keyword is None and not a.star), None)
            keywords = [a.keyword.value for a in args if a.keyword is not None]
            spelled = current_loop_reader(full, keywords, first_is_call=isinstance(first, cst.Call))
            if spelled is not None:
                self._note_reader(original_node, spelled)
            elif self._takers and (taker := takes_loop_by_default(full, keywords, self._takers)):
                if id(original_node) not in self._in_decorators:  # (import time: a loop is current)
                    self._note_reader(original_node, taker, TAKER_MESSAGE)
        if reads_policy_loop(original_node, self.imports) and (self._report or self.scope.in_coroutine_body()):
            self.note(original_node, POLICY_MESSAGE, kind="policy-get-event-loop")
        return updated_node

    def _note_reader(self, call: cst.Call, spelled: str, message: str = READER_MESSAGE) -> None:
        """A call that takes the current loop, directly in the body of a function pytest
        runs outside any loop (not in a lambda or a nested def: those may run later)."""
        frame = self.scope.innermost
        where = self._outside.get(id(frame.node)) if frame is not None else None
        if where is None:
            return
        assert frame is not None and isinstance(frame.node, cst.FunctionDef)
        fixture = fixture_decorator(frame.node, self.imports)
        advice = TAKER_ADVICE[0] if fixture is not None and fixture.library == "pytest" else TAKER_ADVICE[1]
        message = message.format(call=spelled, where=where, advice=advice)
        if self._library_calls:
            # the project's own sync API may have made a loop current by then: worth a look only
            message += self._made_current_by(frame.node, call)
        self.note(call, message, kind="current-loop-outside-any-loop", left=self._left_unfinished(frame.node, call))

    def _made_current_by(self, function: cst.FunctionDef, reader: cst.Call) -> str:
        """What a note on ``reader`` adds when a call before it, in ``function``, of the
        project's sync API that runs or takes a loop may have made one current ("" if none)."""
        setter = self._library_call_in(function, reader)
        if setter is None:
            return ""
        through = self._through.get(setter)
        api = f"which calls {through}(), " if through is not None else ""
        return f"; unless {setter}(), {api}a sync API of the project that runs or takes a loop, made one current first"

    def _left_unfinished(self, function: cst.FunctionDef, reader: cst.Call) -> bool:
        """Whether a call that takes the current loop, in the body of a function pytest runs
        outside any loop, certainly finds none: not where the function requests a fixture
        named for a loop (the project's own may make it current), nor where a fixture of a
        conftest.py above made one current for it (autouse, or requested), nor after a sync
        API of the project that may have made one current."""
        if requests_a_loop(function, self.imports) or self._loop_set_for(function):
            return False
        return not self._library_calls or self._library_call_in(function, reader) is None

    def _loop_set_for(self, function: cst.FunctionDef) -> bool:
        """Whether a fixture of a conftest.py above, set up for each test, makes a loop
        current for this function: an autouse one, or one it asks for (a parameter, or its
        ``usefixtures`` mark)."""
        if self._loop_setters is None:
            self._loop_setters = loop_setting_fixtures(self.facts.path, project_root(self.project))
        names, autouse = self._loop_setters
        return autouse or not names.isdisjoint(asked_fixtures(function, self.imports))

    def _library_call_in(self, function: cst.CSTNode, reader: cst.Call) -> str | None:
        """The first call in a function, before ``reader``, of the project's sync API that
        runs or takes a loop (the survey's), by spelling: what may have made a loop current
        by the time ``reader`` runs (not ``reader`` itself, nor an earlier call of the same:
        it read the loop as ``reader`` does)."""
        own = dotted_name(reader.func)
        # (a module function's name a parameter binds there calls the parameter's value)
        bound: set[str] = set()
        if isinstance(function, cst.FunctionDef):
            params = function.params
            bound = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        for node in nodes_under(function):
            if node is reader:
                return None
            if isinstance(node, cst.Call) and (spelling := dotted_name(node.func)) in self._library_calls and spelling != own:
                if spelling in self._through and spelling in bound:
                    continue
                return spelling
        return None

    def _note_helper_call(self, call: cst.Call) -> None:
        """A call, in a sync test's own body, of a helper the survey found reaching
        ``asyncio.get_event_loop()``: once per test and helper."""
        spelling = dotted_name(call.func)
        where = self._helpers.get(spelling) if spelling is not None else None
        frame = self.scope.innermost
        if where is None or frame is None or frame.kind is not Kind.FUNCTION:
            return
        outer = [f for f in self.scope if f is not frame]
        if any(f.kind is not Kind.CLASS for f in outer) or not isinstance(frame.node, cst.FunctionDef):
            return
        in_tests = all(self.project.is_test_class_name(f.name) for f in outer)
        if not collected_test_function(frame.node, self.project, self.imports, asynchronous=False, scope_collected=in_tests):
            return  # (the survey lists the helpers; which calls are a test's is said here)
        key = (id(frame.node), spelling)
        if key not in self._helper_notes:
            self._helper_notes.add(key)
            self.note(call, HELPER_MESSAGE.format(helper=spelling, where=where), kind="helper-gets-event-loop")

    def _get_event_loop(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if self.scope.in_coroutine_body():
            self.count_edit()
            if isinstance(func, cst.Name):
                # from asyncio import get_event_loop [as x]
                self._rewritten[func.value] = self._rewritten.get(func.value, 0) + 1
                self.add_needed_import("asyncio", "get_running_loop")
                return updated_node.with_changes(func=cst.Name("get_running_loop"))
            assert isinstance(func, cst.Attribute)
            return updated_node.with_changes(func=func.with_changes(attr=cst.Name("get_running_loop")))
        if not self._report or self._guarded:
            return updated_node  # (guarded: it handles "There is no current event loop" itself)
        if self.scope.only_classes():
            self.note(original_node, IMPORT_TIME_MESSAGE, kind="get-event-loop-at-import")
        elif self.scope.inside_coroutine():
            self.note(original_node, NESTED_MESSAGE, kind="get-event-loop-in-callback")
        else:
            # directly in a sync test or fixture: it raises once an async test has run
            # (unless a sync API of the project made a loop current before it)
            frame = self.scope.innermost
            outside = frame is not None and id(frame.node) in self._outside
            left = outside and self._left_unfinished(frame.node, original_node)
            message = SYNC_MESSAGE
            if outside and not left and self._library_calls:
                message += self._made_current_by(frame.node, original_node)
            self.note(original_node, message, kind="get-event-loop-in-sync-code", left=left)
        return updated_node

    # -- from-imports: drop ``get_event_loop`` when every use of it was rewritten ----------
    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._attribute_names and self.imports.names.get(node.value) == GET_EVENT_LOOP:
            self._references[node.value] = self._references.get(node.value, 0) + 1


#: Names whose calls are not the project's helpers (the survey does not follow them).
def _reports_readers(facts: FileFacts) -> bool:
    """Whether calls that take the current loop are looked for in the file: test code, on a
    target that leaves no current loop set once an async test has run."""
    if facts.project.target < NO_CURRENT_LOOP_LEFT or not facts.loop_runs:
        return False  # (no test code of the project runs a loop: none is ever unset)
    return facts.is_test_module or facts.is_conftest or is_test_code(Path(facts.path), facts.project)


def _catches_runtime_error_cst(handler: cst.ExceptHandler) -> bool:
    """A handler that catches RuntimeError (by name, in a tuple, or through Exception,
    BaseException or a bare ``except:``)."""
    names = caught_names(handler)
    return names is None or any(n in NO_CURRENT_LOOP_CAUGHT_BY for n in names)
