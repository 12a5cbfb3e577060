"""async-fixture: ``@pytest.fixture`` on an ``async def`` → ``@pytest_asyncio.fixture`` (strict mode).

In strict mode, ``@pytest.fixture`` on an async fixture becomes ``@pytest_asyncio.fixture``
with its arguments and shape kept, through the module's spellings of both.
"""

from __future__ import annotations

import ast

import libcst as cst

from ..project import FileFacts
from ..pytest_model.fixtures import PLAIN_FIXTURE, fixture_decorator
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
    strict_only = True

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._other_framework: str | None = None

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        """Nothing to do under trio_mode, or where no ``async def`` outside functions has a
        decorator that is (or may be) ``pytest.fixture``."""
        if facts.project.trio_mode:
            return True
        for found in glance.functions:
            if found.nested or not isinstance(found.node, ast.AsyncFunctionDef):
                continue
            for decorator in found.node.decorator_list:
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
        return True

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False  # no function definitions inside

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # fixtures nested in functions are not collected by pytest

    # -- the rewrite ---------------------------------------------------------------------
    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        if original_node.asynchronous is None:
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
        new_expr = self.spell("pytest_asyncio.fixture", self.imports)
        if info.call is not None:
            new_expr = info.call.with_changes(func=new_expr)
        index = original_node.decorators.index(info.decorator)
        decorators = list(updated_node.decorators)
        decorators[index] = decorators[index].with_changes(decorator=new_expr)
        self.remove_import_of(info.call.func if info.call is not None else info.decorator.decorator, self.imports)
        self.count_edit()
        return updated_node.with_changes(decorators=decorators)
