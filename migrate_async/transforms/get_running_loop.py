"""get-running-loop: ``asyncio.get_event_loop()`` inside a coroutine → ``asyncio.get_running_loop()``.

What:
    A call of ``asyncio.get_event_loop()`` that stands directly in the body of an ``async def``
    (test, fixture, helper or method; comprehensions included) becomes
    ``asyncio.get_running_loop()``, through every spelling: ``import asyncio``,
    ``import asyncio as aio`` (→ ``aio.get_running_loop()``) and ``from asyncio import
    get_event_loop`` (→ ``from asyncio import get_running_loop``; the old name is dropped from
    the import when nothing else uses it). In test code (test modules and conftest.py),
    what cannot be rewritten is reported: ``get_event_loop()`` in sync tests, sync fixtures,
    helpers and at import time, in a sync function or lambda nested in a coroutine, and
    ``asyncio.get_event_loop_policy().get_event_loop()`` anywhere. A coroutine in test code
    that stops or closes the loop it runs in (``asyncio.get_running_loop().stop()``, or
    through a name bound to that loop in it) is reported too.

Why:
    Inside a coroutine both calls return the running loop, but ``get_running_loop()`` says so
    and never creates or looks up a loop through the policy. In sync code
    ``get_event_loop()`` depends on a "current" loop: since pytest-asyncio 1.4 none is left
    set after an async test, so it raises ``RuntimeError: There is no current event loop``
    (verified with 1.4.0/1.5.0; it passed on 1.3.0), and the event-loop policy API it relies
    on is deprecated in Python 3.14.

Safety:
    Only calls that resolve to ``asyncio.get_event_loop`` through the module's imports, with
    no arguments, are touched: ``app.get_event_loop()``, a method or a local function of that
    name, and ``asyncio.get_event_loop`` used as a value (patched, passed as a factory) are
    not. Sync code is never rewritten, because ``get_running_loop()`` raises there when no
    loop is running: the note says what to do instead (pass the loop in from async code, use
    ``asyncio.run()``/``asyncio.Runner`` for a fresh loop, or make the function async).
    Outside test code (with ``--all-files``) only coroutines are rewritten and nothing is
    reported. Stopping or closing the running loop is only ever reported: pytest-asyncio 1.x
    owns that loop, a stop ends the test's run early ("Event loop stopped before Future
    completed") and a close raises ("Cannot close a running event loop").
"""

from __future__ import annotations

import libcst as cst

from ..cstkit.scope import ScopeHooks, ScopeStack
from .examples import Example
from .transform import MigrationContext, Transform
from .triggers import Triggers

GET_EVENT_LOOP = "asyncio.get_event_loop"
GET_RUNNING_LOOP = "asyncio.get_running_loop"
GET_POLICY = "asyncio.get_event_loop_policy"

SYNC_MESSAGE = (
    "asyncio.get_event_loop() in sync code: since pytest-asyncio 1.4 no current loop is left "
    "set after an async test, so this can raise 'RuntimeError: There is no current event loop', "
    "and Python 3.14 deprecates the policy API behind it; pass the loop in from async code, use "
    "asyncio.run() or asyncio.Runner for a fresh loop, or make this function async and call "
    "asyncio.get_running_loop()"
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
    "asyncio.get_running_loop(); if another thread runs it, pass the loop in"
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
            (b"async", b"get_running_loop", b".stop"),
            (b"async", b"get_running_loop", b".close"),
        ),
        produces=(b"get_running_loop",),
    )

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        # a generator expression in a coroutine runs in it: it is rewritten there
        # each coroutine frame: the names bound in it to the loop it runs in
        self.scope: ScopeStack[set[str]] = ScopeStack(generator_frames=False)
        self._report = True
        # from-imported local names of get_event_loop: uses rewritten, uses in all
        self._rewritten: dict[str, int] = {}
        self._references: dict[str, int] = {}
        self._attribute_names: set[int] = set()

    def visit_Module(self, node: cst.Module) -> bool:
        if not self.imports.may_refer_to("asyncio"):
            return False
        self._report = self.facts.is_test_module or self.facts.is_conftest
        return True

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        for local, count in sorted(self._rewritten.items()):
            if count == self._references.get(local, 0):
                self.remove_unused_import("asyncio", "get_event_loop", asname=None if local == "get_event_loop" else local)
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.scope.enter(node, set())
        return True

    # -- the running loop, stopped or closed ----------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        frame = self.scope.innermost
        if frame is not None and frame.data is not None and self._is_running_loop(node.value, frame.data):
            frame.data.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._attribute_names.add(id(node.attr))
        method = node.attr.value
        if method not in STOP_MESSAGES or not self._report or not self.scope.in_coroutine_body():
            return
        frame = self.scope.innermost
        if frame is not None and self._is_running_loop(node.value, frame.data or set()):
            self.note(node, STOP_MESSAGES[method])

    def _is_running_loop(self, expr: cst.BaseExpression, bound: set[str]) -> bool:
        """``asyncio.get_running_loop()`` / ``asyncio.get_event_loop()`` (in a coroutine
        both are the loop it runs in), or a name bound to one in this coroutine."""
        if isinstance(expr, cst.Name):
            return expr.value in bound
        return (
            isinstance(expr, cst.Call)
            and not expr.args
            and self.imports.qualify(expr.func) in (GET_RUNNING_LOOP, GET_EVENT_LOOP)
        )

    # -- calls ----------------------------------------------------------------------------
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        full = self.imports.qualify(func)
        if full == GET_EVENT_LOOP and not original_node.args:
            return self._get_event_loop(original_node, updated_node)
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get_event_loop"
            and isinstance(func.value, cst.Call)
            and self.imports.qualify(func.value.func) == GET_POLICY
            and (self._report or self.scope.in_coroutine_body())
        ):
            self.note(original_node, POLICY_MESSAGE)
        return updated_node

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
        if not self._report:
            return updated_node
        if self.scope.only_classes():
            self.note(original_node, IMPORT_TIME_MESSAGE)
        elif self.scope.inside_coroutine():
            self.note(original_node, NESTED_MESSAGE)
        else:
            self.note(original_node, SYNC_MESSAGE)
        return updated_node

    # -- from-imports: drop ``get_event_loop`` when every use of it was rewritten ----------
    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._attribute_names and self.imports.names.get(node.value) == GET_EVENT_LOOP:
            self._references[node.value] = self._references.get(node.value, 0) + 1
