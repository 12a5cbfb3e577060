"""asyncio-sleep: ``time.sleep(x)`` inside a coroutine → ``await asyncio.sleep(x)``.

A blocking ``time.sleep(...)`` statement directly in a coroutine becomes
``await asyncio.sleep(...)``, through every spelling of ``time.sleep``; imports follow.
"""

from __future__ import annotations

import libcst as cst

from ..cstkit.names import name_to_expr
from ..cstkit.scope import Kind, ScopeHooks, ScopeStack
from ..project import FileFacts
from ..project.suppressions import says_blocking_is_meant, silences_blocking
from .examples import Example
from .glance import Glance
from .transform import MigrationContext, Transform
from .triggers import Triggers

#: What ``migrate-async explain asyncio-sleep`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="``time.sleep`` in a coroutine; the ``time`` import goes when nothing else uses it",
        before="""
            import time

            import pytest

            @pytest.mark.asyncio
            async def test_worker_drains_queue(queue):
                queue.put_nowait(1)
                time.sleep(0.1)
                assert queue.empty()
            """,
        after="""
            import asyncio

            import pytest

            @pytest.mark.asyncio
            async def test_worker_drains_queue(queue):
                queue.put_nowait(1)
                await asyncio.sleep(0.1)
                assert queue.empty()
            """,
    ),
    Example(
        title="``from time import sleep``",
        before="""
            from time import sleep

            async def test_retry_waits(client):
                sleep(0.5)
                assert await client.retries() == 1
            """,
        after="""
            import asyncio

            async def test_retry_waits(client):
                await asyncio.sleep(0.5)
                assert await client.retries() == 1
            """,
    ),
    Example(
        title="sleeps that do not run in the coroutine itself",
        before="""
            import asyncio
            import time

            async def test_slow_callback_in_a_thread():
                def work():
                    time.sleep(0.1)
                    return 42

                loop = asyncio.get_running_loop()
                assert await loop.run_in_executor(None, work) == 42
                await loop.run_in_executor(None, time.sleep, 0.1)
            """,
    ),
    Example(
        title="a coroutine whose name says it blocks on purpose",
        before="""
            import time

            async def test_blocking_call_is_detected(monitor):
                time.sleep(0.2)
                assert monitor.slow_callbacks
            """,
    ),
)


class AsyncioSleep(ScopeHooks, Transform):
    name = "asyncio-sleep"
    summary = "time.sleep(x) inside async def → await asyncio.sleep(x)"
    triggers = Triggers(all=(b"sleep", b"async"))

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        # a generator expression is sync: ``await`` would make it an async generator
        # expression, which is not the same thing; a def's data: whether its name says it
        # blocks on purpose
        self.scope: ScopeStack[bool] = ScopeStack(generator_frames=True)
        self._statement_calls: set[cst.Call] = set()
        self._deliberate_module = False
        self._rewritten_time_names: set[str] = set()
        self._line: cst.SimpleStatementLine | None = None  # the statement line being visited
        #: per open function (by node id): its local spelling of asyncio.sleep, once imported
        self._local_sleep: dict[int, str] = {}

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        """Nothing to do where nothing called inside an ``async def`` is (or may be)
        ``time.sleep``: a name whose reading is unsure (imported inside a function) is not
        where no import of it can make it ``time.sleep``."""
        return not any(glance.may_mean(called, (SLEEP,)) for called in glance.calls_in_coroutines)

    # -- scope tracking ------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        spellings = [local for local, full in self.imports.names.items() if full in ("time", "time.sleep")]
        # only the subtrees that read one of those names can hold a call to rewrite
        if not spellings or not self.focus_on(node, reads=spellings):
            return False
        # a module that tunes loop.slow_callback_duration tests what blocking does (code
        # and strings count, a comment does not)
        self._deliberate_module = self.index.has(node, mentions=["slow_callback_duration"])
        return True

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        # a simple statement holds no function definition: outside a coroutine there is
        # nothing in it to rewrite (imports, assignments, sync code)
        self._line = node
        self._note_local_import(node)
        return self.scope.in_coroutine_body()

    def _note_local_import(self, line: cst.SimpleStatementLine) -> None:
        """``import asyncio`` (or ``from asyncio import sleep``) at the top level of a
        function's body binds a name there from that line on: a rewrite below it in that
        function (or a function nested in it) spells ``asyncio.sleep`` through it, and no
        module-level import is added beside the local ones."""
        frame = self.scope.innermost
        body = getattr(getattr(frame, "node", None), "body", None)
        if frame is None or not isinstance(body, cst.IndentedBlock) or not any(s is line for s in body.body):
            return
        for statement in line.body:
            spelled = None
            if isinstance(statement, cst.Import):
                for alias in statement.names:
                    if isinstance(alias.name, cst.Name) and alias.name.value == "asyncio":
                        spelled = f"{alias.evaluated_alias or 'asyncio'}.sleep"
            elif (
                isinstance(statement, cst.ImportFrom)
                and statement.relative == ()
                and isinstance(statement.module, cst.Name)
                and statement.module.value == "asyncio"
                and not isinstance(statement.names, cst.ImportStar)
            ):
                for alias in statement.names:
                    if isinstance(alias.name, cst.Name) and alias.name.value == "sleep":
                        spelled = alias.evaluated_alias or "sleep"
            if spelled is not None:
                self._local_sleep[id(frame.node)] = spelled

    def _local_spelling(self) -> str | None:
        """How a function open here spells asyncio.sleep through a local import, if one does."""
        for frame in reversed(list(self.scope)):
            if frame.kind is Kind.CLASS:
                return None  # a class body's names do not reach the methods in it
            spelled = self._local_sleep.get(id(frame.node))
            if spelled is not None:
                return spelled
        return None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.scope.enter(node, _says_it_blocks(node.name.value))
        return True

    # -- the rewrite ---------------------------------------------------------------------
    def _sleep_target(self, call: cst.Call) -> str | None:
        """The local name that makes this a call of time.sleep (``time``, ``t``, ``sleep``)."""
        if self.imports.qualify(call.func) != "time.sleep":
            return None
        head = call.func
        while isinstance(head, cst.Attribute):
            head = head.value
        return head.value if isinstance(head, cst.Name) else None

    def visit_Expr(self, node: cst.Expr) -> bool:
        if isinstance(node.value, cst.Call):
            self._statement_calls.add(node.value)
        return True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node in self._statement_calls or not self.scope.in_coroutine_body():
            return updated_node
        if self._sleep_target(original_node) is not None:
            self.note(
                original_node,
                "time.sleep() used as a value inside a coroutine blocks the event loop; "
                "replace it with 'await asyncio.sleep(...)' by hand",
                kind="sleep-as-value",
            )
        return updated_node

    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr) -> cst.Expr:
        call = original_node.value
        if not isinstance(call, cst.Call) or not self.scope.in_coroutine_body():
            return updated_node
        local = self._sleep_target(call)
        if local is None:
            return updated_node
        said = self._comment_on_purpose(original_node)
        if said is not None:
            self.note(
                original_node,
                f"time.sleep() blocks the event loop, and {said}: left as it is "
                "(write 'await asyncio.sleep(...)' if blocking is not the point)",
                kind="blocking-on-purpose",
            )
            return updated_node
        if self._deliberate_blocking() or self._deliberate_module:
            self.note(
                original_node,
                "time.sleep() blocks the event loop, and this test looks like it means to "
                "(its name says 'block' or the module tunes slow_callback_duration); left as it is: "
                "use 'await asyncio.sleep(...)' unless the blocking is the point",
                kind="blocking-on-purpose",
            )
            return updated_node
        new_call = updated_node.value
        assert isinstance(new_call, cst.Call)
        local_sleep = self._local_spelling()
        func = name_to_expr(local_sleep) if local_sleep is not None else self.spell("asyncio.sleep", self.imports)
        awaited = cst.Await(expression=new_call.with_changes(func=func))
        self._schedule_time_import_removal(local)
        self.count_edit()
        return updated_node.with_changes(value=awaited)

    def _comment_on_purpose(self, statement: cst.Expr) -> str | None:
        """What the comments of the statement's line (or the line above it) say, when they say
        the blocking is deliberate: a ``# noqa`` for ASYNC251 (or a bare one), or words of intent."""
        line = self._line
        if line is None or not any(small is statement for small in line.body):
            return None
        own = line.trailing_whitespace.comment
        above = line.leading_lines[-1].comment if line.leading_lines else None
        if silences_blocking(own.value if own else None):
            return f"its line tells the linter so ({own.value.strip()})"
        for comment in (own, above):
            if comment is not None and says_blocking_is_meant(comment.value):
                return f"a comment says so ({comment.value.strip()})"
        return None

    def _deliberate_blocking(self) -> bool:
        """Whether a function we are in says by its name that it blocks on purpose: the
        coroutine itself, or a test that defines it (``test_timeout_blocking_loop`` whose
        inner ``long_running_task`` sleeps to block the loop)."""
        return any(frame.data for frame in self.scope)

    def _schedule_time_import_removal(self, local: str) -> None:
        if local in self._rewritten_time_names:
            return
        self._rewritten_time_names.add(local)
        target = self.imports.names[local]
        if target == "time":
            self.remove_unused_import("time", asname=None if local == "time" else local)
        else:
            self.remove_unused_import("time", "sleep", asname=None if local == "sleep" else local)


SLEEP = "time.sleep"


#: words of a function's name that say it blocks on purpose (``test_timeout_blocking_loop``)
_BLOCKING_WORDS = frozenset({"block", "blocks", "blocked", "blocking"})


def _says_it_blocks(name: str) -> bool:
    """A name with a word that says it blocks: not ``nonblocking``, not ``blockchain``."""
    return not _BLOCKING_WORDS.isdisjoint(name.lower().split("_"))
