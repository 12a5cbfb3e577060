"""fixture-loop-scope: wider-scoped async fixtures get ``loop_scope=``; the default fixture loop scope is set.

A wider-scoped async fixture without ``loop_scope=`` gets the loop scope it runs in today,
unless the project's default fixture loop scope already gives it; that default is then set
explicitly when the project leaves it unset.
"""

from __future__ import annotations

import ast

import libcst as cst

from ..cstkit.names import string_value
from ..project import FileFacts, ProjectFacts
from ..pytest_model.fixtures import FixtureInfo, fixture_decorator, with_loop_scope
from ..pytest_model.loop_scopes import SCOPES, scope_rank
from ..pytest_model.versions import FIXTURE_SCOPE_DEFAULT, LOOP_SCOPE_KWARG
from .examples import Example
from .glance import Glance
from .transform import ConfigRequest, MigrationContext, Transform
from .triggers import Triggers

DEFAULT_OPTION = "asyncio_default_fixture_loop_scope"


#: What ``migrate-async explain fixture-loop-scope`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="a module-scoped async fixture keeps the loop it runs in today",
        before="""
            import pytest_asyncio

            @pytest_asyncio.fixture(scope="module")
            async def inventory():
                return Inventory(asyncio.Queue())
            """,
        after="""
            import pytest_asyncio

            @pytest_asyncio.fixture(scope="module", loop_scope="module")
            async def inventory():
                return Inventory(asyncio.Queue())
            """,
        config="asyncio_default_fixture_loop_scope = function",
    ),
    Example(
        title="in auto mode a plain ``@pytest.fixture`` coroutine becomes a ``pytest_asyncio`` fixture",
        mode="auto",
        before="""
            import pytest

            @pytest.fixture(scope="session")
            async def broker():
                return await Broker.connect()
            """,
        after="""
            import pytest_asyncio

            @pytest_asyncio.fixture(scope="session", loop_scope="session")
            async def broker():
                return await Broker.connect()
            """,
        config="asyncio_default_fixture_loop_scope = function",
    ),
    Example(
        title="targets older than 0.24, where ``loop_scope`` does not exist",
        target="0.23",
        before="""
            import pytest_asyncio

            @pytest_asyncio.fixture(scope="module")
            async def inventory():
                return Inventory(asyncio.Queue())
            """,
    ),
)


class FixtureLoopScope(Transform):
    name = "fixture-loop-scope"
    summary = "wider-scoped async fixtures get loop_scope=; the default fixture loop scope is set explicitly"
    # A fixture wider than "function" always spells out its scope, and what is rewritten
    # is a pytest_asyncio fixture or an async def: either way the file spells "async".
    triggers = Triggers(all=(b"async", b"scope", b"fixture"), project=(b"pytest_asyncio", b"mark.asyncio"))
    min_target = LOOP_SCOPE_KWARG

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._convert_plain = False

    @classmethod
    def project_requests(cls, project: ProjectFacts, whole: bool = True) -> list[ConfigRequest]:
        if project.default_fixture_loop_scope is not None:
            return []
        if project.target >= FIXTURE_SCOPE_DEFAULT and not whole:
            value = "fixture-scope"
            reason = (
                "an unset default makes pytest-asyncio warn at every run; this run did not see every "
                "file of the project, and 'fixture-scope' keeps each fixture's loop as wide as its "
                "cache scope, as today, for the fixtures it did not see"
            )
        else:
            value = "function"
            reason = (
                "an unset default makes pytest-asyncio warn at every run; wider-scoped fixtures "
                "were given an explicit loop_scope, so 'function' changes nothing for them"
            )
        return [ConfigRequest(DEFAULT_OPTION, value, cls.name, reason, weak=True)]

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        """Nothing to do where no decorator call passes ``scope=`` other than
        ``"function"``, unless it passes a ``loop_scope=`` that is not narrower than a literal
        scope (the only one fixture-loop-scope notes)."""
        for found in glance.functions:
            for decorator in found.node.decorator_list:
                if not isinstance(decorator, ast.Call):
                    continue
                keywords = {k.arg: k.value for k in decorator.keywords}
                if None in keywords:
                    return False  # ``**kwargs``
                scope = _literal(keywords.get("scope"))
                if "scope" not in keywords or scope == "function":
                    continue
                if "loop_scope" not in keywords:
                    return False
                loop_scope = _literal(keywords["loop_scope"])
                if scope in SCOPES and loop_scope in SCOPES and scope_rank(loop_scope) < scope_rank(scope):
                    return False
        return True

    def _keep_fixture_scope(self, why: str) -> None:
        """A wider-scoped async fixture is left without ``loop_scope``: the project's default
        must go on giving it a loop of its cache scope (``fixture-scope``, 1.5+)."""
        if self.project.target >= FIXTURE_SCOPE_DEFAULT and self.project.default_fixture_loop_scope is None:
            self.request_config(DEFAULT_OPTION, "fixture-scope", why)

    # -- traversal -----------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        targets = set(self.imports.names.values())
        has_asyncio_fixture = bool({"pytest_asyncio", "pytest_asyncio.fixture"} & targets)
        # In auto mode pytest-asyncio drives plain @pytest.fixture coroutines too; under
        # pytest-trio's trio_mode they belong to trio.
        self._convert_plain = not self.project.strict and not self.project.trio_mode
        has_plain_fixture = self._convert_plain and bool({"pytest", "pytest.fixture"} & targets)
        if not (has_asyncio_fixture or has_plain_fixture):
            return False
        return not self.runs_other_framework()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False  # no function definitions inside

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        # Fixtures are module-level functions or methods; nothing inside a body changes.
        return False

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        info = fixture_decorator(original_node, self.imports)
        if info is None or info.call is None:
            return updated_node  # bare decorator: function scope
        plain = info.library == "pytest"
        if plain and not (self._convert_plain and original_node.asynchronous is not None):
            return updated_node
        if info.kwarg("scope") is None:
            return updated_node
        scope = info.scope()
        loop_scope_arg = info.kwarg("loop_scope")
        if scope is None:
            if loop_scope_arg is None:
                self._note_dynamic_scope(info, plain)
                self._keep_fixture_scope(
                    f"{original_node.name.value}'s scope is not a string literal, so it has no loop_scope; "
                    "'fixture-scope' keeps its loop as wide as its cache scope"
                )
            return updated_node
        if scope == "function":
            return updated_node
        if loop_scope_arg is not None:
            self._check_existing(info, loop_scope_arg, scope)
            return updated_node
        if self.project.default_gives_loop(scope):
            return updated_node  # the configured default (or the one this run sets) says it already
        loop_scope = self.project.fixture_loop_scope_for(scope)
        call = with_loop_scope(info.call, loop_scope)
        if plain:
            call = call.with_changes(func=self._asyncio_fixture_expr())
            self._drop_pytest_import_if_unused(info)
        index = list(original_node.decorators).index(info.decorator)
        decorators = list(updated_node.decorators)
        decorators[index] = decorators[index].with_changes(decorator=call)
        self.count_edit()
        return updated_node.with_changes(decorators=decorators)

    # -- helpers -------------------------------------------------------------------------
    def _asyncio_fixture_expr(self) -> cst.BaseExpression:
        return self.spell("pytest_asyncio.fixture", self.imports)

    def _drop_pytest_import_if_unused(self, info: FixtureInfo) -> None:
        """``import pytest`` or ``from pytest import fixture`` may have no other use now.

        RemoveImportsVisitor keeps an import that is still referenced.
        """
        assert info.call is not None
        self.remove_import_of(info.call.func, self.imports)

    def _note_dynamic_scope(self, info: FixtureInfo, plain: bool) -> None:
        how = "make it @pytest_asyncio.fixture with loop_scope=" if plain else "add loop_scope="
        self.note(
            info.decorator,
            "the fixture's scope is not a string literal, so its loop scope cannot be written: "
            f"{how} by hand, at least as wide as any scope it can take "
            "(otherwise asyncio_default_fixture_loop_scope = function fails with ScopeMismatch)",
            kind="scope-not-literal",
        )

    def _check_existing(self, info: FixtureInfo, arg: cst.Arg, scope: str) -> None:
        loop_scope = string_value(arg.value)
        if loop_scope in SCOPES and scope_rank(loop_scope) < scope_rank(scope):
            self.note(
                info.decorator,
                f'loop_scope="{loop_scope}" is narrower than scope="{scope}": pytest-asyncio 1.x fails with '
                f'ScopeMismatch; widen loop_scope to "{scope}" or wider (or narrow the scope) by hand',
                kind="loop-scope-narrower-than-scope",
            )


def _literal(value: ast.expr | None) -> str | None:
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
