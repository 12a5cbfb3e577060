"""async-fixture: ``@pytest.fixture`` on an ``async def`` → ``@pytest_asyncio.fixture`` (strict mode).

In strict mode, ``@pytest.fixture`` on an async fixture becomes ``@pytest_asyncio.fixture``
with its arguments and shape kept, through the module's spellings of both.

In either mode, a sync fixture that keeps what making an event loop needs patched with a
mock through an asyncio test of its module (``with patch("socket.socket"): yield``) becomes
an async fixture: pytest-asyncio 1.x makes the test's loop after the test's sync fixtures, so
only as an async fixture does it run once the loop exists, as it did under 0.x
(pytest_model/loop_making.py).
"""

from __future__ import annotations

import ast

import libcst as cst

from ..cstkit.names import string_value
from ..cstkit.walk import nodes_under
from ..project import FileFacts
from ..pytest_model.collection import collected_test_function
from ..pytest_model.fixtures import (
    PLAIN_FIXTURE,
    FixtureInfo,
    fixture_decorator,
    requested_fixtures,
)
from ..pytest_model.loop_making import (
    ast_may_patch_loop_maker,
    coroutine_ready,
    lasting_loop_maker_patch,
    sync_test_unaffected,
)
from ..pytest_model.loop_scopes import (
    FUNCTION,
    default_fixture_loop_scope,
    default_test_loop_scope,
)
from ..pytest_model.providers import GETFIXTUREVALUE, USEFIXTURES, may_request_by_call
from .examples import Example
from .glance import UNSURE, Glance
from .transform import MigrationContext, Transform
from .triggers import Triggers

#: Top-level packages whose import hints that async fixtures may be served by another plugin.
_OTHER_FRAMEWORK_MODULES = frozenset({"anyio", "trio", "pytest_trio"})


#: What ``migrate-async explain async-fixture`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="a module-scoped async fixture; ``import pytest`` goes when nothing else uses it",
        before="""
            import pytest

            @pytest.fixture(scope="module")
            async def db():
                async with connect() as conn:
                    yield conn
            """,
        after="""
            import pytest_asyncio

            @pytest_asyncio.fixture(scope="module")
            async def db():
                async with connect() as conn:
                    yield conn
            """,
    ),
    Example(
        title="``from pytest import fixture``, an existing ``pytest_asyncio`` alias, a sync fixture",
        before="""
            import pytest_asyncio as pa
            from pytest import fixture

            @fixture
            def settings():
                return {"dsn": "sqlite://"}

            @fixture
            async def session(settings):
                return await open_session(settings["dsn"])
            """,
        after="""
            import pytest_asyncio as pa
            from pytest import fixture

            @fixture
            def settings():
                return {"dsn": "sqlite://"}

            @pa.fixture
            async def session(settings):
                return await open_session(settings["dsn"])
            """,
    ),
    Example(
        title="in auto mode, where ``@pytest.fixture`` on an ``async def`` is valid",
        mode="auto",
        before="""
            import pytest

            @pytest.fixture(scope="module")
            async def db():
                async with connect() as conn:
                    yield conn
            """,
    ),
    Example(
        title="an anyio module, whose async fixtures belong to anyio",
        before="""
            import pytest

            pytestmark = pytest.mark.anyio

            @pytest.fixture
            async def server():
                return await start_server()
            """,
    ),
)


class AsyncFixture(Transform):
    name = "async-fixture"
    summary = "@pytest.fixture on async def → @pytest_asyncio.fixture (strict mode)"
    triggers = Triggers(all=(b"async def", b"fixture"), produces=(b"pytest_asyncio",))

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._other_framework: str | None = None
        #: the fixture names the module's async tests request as parameters
        self._async_requests: set[str] = set()
        #: the module's collected sync tests
        self._sync_tests: list[cst.FunctionDef] = []
        #: the fixture names the module's sync fixtures request, and any usefixtures or
        #: getfixturevalue names (whoever gets those is not read)
        self._unread_requests: set[str] = set()

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        """Nothing to do under trio_mode, or where no function outside functions has a
        decorator that is (or may be) ``pytest.fixture`` and is an ``async def`` (in strict
        mode) or a ``def`` that may patch what making a loop needs."""
        if facts.project.trio_mode:
            return True
        strict = facts.project.strict
        for found in glance.functions:
            if found.nested:
                continue
            node = found.node
            if isinstance(node, ast.AsyncFunctionDef):
                if not strict:
                    continue
            elif not isinstance(node, ast.FunctionDef) or not ast_may_patch_loop_maker(node):
                continue
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if glance.qualify(target) in (PLAIN_FIXTURE, UNSURE):
                    return False
        return True

    # -- what to look at -----------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        self._other_framework = None
        if self.project.trio_mode:
            return False
        if not self.imports.may_refer_to("pytest"):
            return False
        if self.runs_other_framework():
            return False
        self._other_framework = next(
            (
                top
                for full in sorted(self.imports.names.values())
                if (top := full.split(".")[0]) in _OTHER_FRAMEWORK_MODULES
            ),
            None,
        )
        self._async_requests, self._sync_tests, self._unread_requests = set(), [], set()
        if self._other_framework is None:
            self._read_requests(node)
        return True

    def _read_requests(self, module: cst.Module) -> None:
        """The parameters of the module's collected ``async def`` tests, its collected sync
        tests, and what its sync fixtures, ``usefixtures`` and ``getfixturevalue`` request,
        at module level and in its classes."""
        for statement in module.body:
            if isinstance(statement, cst.FunctionDef):
                candidates, collected = [statement], True
            elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
                candidates = [s for s in statement.body.body if isinstance(s, cst.FunctionDef)]
                collected = self.project.is_test_class_name(statement.name.value)
            else:
                continue
            for func in candidates:
                if collected_test_function(func, self.project, self.imports, asynchronous=True, scope_collected=collected):
                    self._async_requests.update(requested_fixtures(func.params, positional_only=True, defaults=True))
                elif collected_test_function(func, self.project, self.imports, asynchronous=False, scope_collected=collected):
                    self._sync_tests.append(func)
                elif func.asynchronous is None and fixture_decorator(func, self.imports) is not None:
                    self._unread_requests.update(requested_fixtures(func.params, positional_only=True, defaults=True))
        if may_request_by_call(self.source):
            for call in nodes_under(module):
                if (
                    isinstance(call, cst.Call)
                    and isinstance(call.func, cst.Attribute)
                    and call.func.attr.value in (USEFIXTURES, GETFIXTUREVALUE)
                ):
                    self._unread_requests.update(v for a in call.args if (v := string_value(a.value)) is not None)

    def _sync_tests_unaffected(self, name: str, autouse: bool) -> bool:
        """Whether the module's sync tests that get the fixture ``name`` run as before when it
        becomes async (pytest_model.loop_making.sync_test_unaffected), and nothing unread gets it."""
        if name in self._unread_requests:
            return False
        return all(
            sync_test_unaffected(func, name, self.imports)
            for func in self._sync_tests
            if autouse or name in requested_fixtures(func.params, positional_only=True, defaults=True)
        )

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False  # no function definitions inside

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # fixtures nested in functions are not collected by pytest

    # -- the rewrite ---------------------------------------------------------------------
    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        if original_node.asynchronous is None:
            return self._loop_making_patch(original_node, updated_node)
        if not self.project.strict:
            return updated_node
        info = fixture_decorator(original_node, self.imports)
        if info is None or info.library != "pytest":
            return updated_node
        if self._other_framework is not None:
            self.note(
                info.decorator,
                f"async fixture '{original_node.name.value}' is declared with @pytest.fixture in a module "
                f"that imports {self._other_framework}: if pytest-asyncio tests use it, change the decorator "
                "to @pytest_asyncio.fixture by hand; if only anyio/trio tests use it, leave it",
                kind="other-framework-module",
            )
            return updated_node
        decorators = self._asyncio_fixture(original_node, updated_node, info)
        self.count_edit()
        return updated_node.with_changes(decorators=decorators)

    def _asyncio_fixture(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef, info: FixtureInfo
    ) -> list[cst.Decorator]:
        """``updated_node``'s decorators with its ``pytest.fixture`` (``info``) made
        ``pytest_asyncio.fixture`` with the same arguments, the old spelling's import let go."""
        new_expr = self.spell("pytest_asyncio.fixture", self.imports)
        if info.call is not None:
            new_expr = info.call.with_changes(func=new_expr)
        index = original_node.decorators.index(info.decorator)
        decorators = list(updated_node.decorators)
        decorators[index] = decorators[index].with_changes(decorator=new_expr)
        self.remove_import_of(info.call.func if info.call is not None else info.decorator.decorator, self.imports)
        return decorators

    def _loop_making_patch(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        """A sync function-scoped ``pytest.fixture`` that keeps a loop-making name patched
        with a mock, requested by an asyncio test of this module: ``async def``, and in strict
        mode ``@pytest_asyncio.fixture``, on a loop per test."""
        info = fixture_decorator(original_node, self.imports)
        if info is None or info.library != "pytest" or info.scope() != FUNCTION:
            return updated_node
        name = info.registered_name(original_node)
        if name not in self._async_requests:
            return updated_node
        found = lasting_loop_maker_patch(original_node, self.imports)
        if found is None:
            return updated_node
        patched, call = found
        why, left = None, True
        if default_test_loop_scope(self.project.default_test_loop_scope) != FUNCTION or "loop_scope" in self.source:
            # a wider loop made by an earlier test is there already: only the first may fail
            why, left = "on the loop of the tests that use it", False
        elif default_fixture_loop_scope(self.project.default_fixture_loop_scope) != FUNCTION:
            why = 'with loop_scope="function"'
        elif not coroutine_ready(original_node, self.imports):
            why = "once its body can run on the loop"
        elif not self._sync_tests_unaffected(name, info.autouse()):
            why = "once no sync test that gets it also requests or runs a loop of its own"
        if why is not None:
            self.note(
                call,
                f"sync fixture '{name}' keeps {patched} patched while an asyncio test runs: pytest-asyncio 1.x makes "
                f"the test's loop after its sync fixtures, and no loop can be made so; make it an async fixture {why}",
                kind="fixture-patches-loop-making",
                left=left,
            )
            return updated_node
        decorators = (
            self._asyncio_fixture(original_node, updated_node, info) if self.project.strict else updated_node.decorators
        )
        self.count_edit()
        return updated_node.with_changes(asynchronous=cst.Asynchronous(), decorators=decorators)

