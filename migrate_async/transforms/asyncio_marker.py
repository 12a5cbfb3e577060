"""asyncio-marker: add ``@pytest.mark.asyncio`` to async tests that lack it (strict mode).

In strict mode, every collected ``async def`` test that no asyncio mark reaches (its own,
its class's, its module's ``pytestmark``) gets ``@pytest.mark.asyncio``, spelled as the module
spells pytest.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..cstkit.edits import class_body
from ..cstkit.names import name_to_expr
from ..imports.resolve import ast_dotted_name
from ..project import FileFacts
from ..pytest_model.collection import (
    class_lineage,
    collected_class,
    collected_test_function,
    dunder_test_false,
)
from ..pytest_model.fixtures import requested_fixtures
from ..pytest_model.frameworks import (
    OTHER_TEST_MARKS,
    param_runner_fixture,
    run_by_decorator,
    runner_mark_fixtures,
)
from ..pytest_model.marks import (
    alias_candidates,
    ast_decorator_marks,
    ast_pytestmark_names,
    mark_info,
    pytestmark_assignments,
    pytestmark_statements,
    pytestmark_unlisted,
)
from .examples import Example
from .glance import Glance
from .transform import MigrationContext, Transform
from .triggers import Triggers

ASYNCIO = "asyncio"


@dataclass(frozen=True)
class _ClassState:
    """What the tests of one class body inherit from it."""

    collected: bool  # pytest collects the methods of this class as tests
    marked: bool  # an asyncio mark already reaches its tests


#: What ``migrate-async explain asyncio-marker`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="an unmarked async test",
        before="""
            import pytest

            async def test_refund_restores_balance(wallet):
                await wallet.refund(30)
                assert wallet.balance == 130
            """,
        after="""
            import pytest

            @pytest.mark.asyncio
            async def test_refund_restores_balance(wallet):
                await wallet.refund(30)
                assert wallet.balance == 130
            """,
    ),
    Example(
        title="the mark is spelled the way the module spells pytest",
        before="""
            import pytest as pt

            class TestWallet:
                async def test_refund(self, wallet):
                    await wallet.refund(30)

                def test_owner(self, wallet):
                    assert wallet.owner == "alice"
            """,
        after="""
            import pytest as pt

            class TestWallet:
                @pt.mark.asyncio
                async def test_refund(self, wallet):
                    await wallet.refund(30)

                def test_owner(self, wallet):
                    assert wallet.owner == "alice"
            """,
    ),
    Example(
        title="a module mark with a loop scope already applies",
        before="""
            import pytest

            pytestmark = pytest.mark.asyncio(loop_scope="module")

            async def test_refund_restores_balance(wallet):
                await wallet.refund(30)
            """,
    ),
    Example(
        title="unittest runs the coroutines of an IsolatedAsyncioTestCase",
        before="""
            import unittest

            class TestWallet(unittest.IsolatedAsyncioTestCase):
                async def test_refund(self):
                    await self.wallet.refund(30)
            """,
    ),
)


#: what a test module spells where its fixtures can reach an async test: its own ``async
#: def``, or a sync test sync-to-async turns async (it needs ``run_until_complete`` or
#: ``event_loop``, which says ``loop``)
_MODULE_WORDS = (b"async", b"loop", b"run_until_complete")


class AsyncioMarker(Transform):
    name = "asyncio-marker"
    summary = "add @pytest.mark.asyncio to async tests that lack it (strict mode)"
    # survey: fixtures whose params carry a runner's mark decide the runner of their tests;
    # a test module's own count only where it has async tests or sync-to-async may write
    # some (it needs run_until_complete or event_loop): _MODULE_WORDS
    triggers = Triggers(
        all=(b"async def",), produces=(b"mark.asyncio",), survey=(b"marks=",), survey_module_any=_MODULE_WORDS
    )
    strict_only = True

    examples = EXAMPLES

    @classmethod
    def survey(cls, source: str, facts: FileFacts) -> Any:
        if not facts.is_conftest and not any(word.decode() in source for word in _MODULE_WORDS):
            return None  # (its fixtures reach no async test: the module has none, nor gets one)
        return runner_mark_fixtures(source)

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        """Nothing to do outside test modules, under trio_mode, or where every async
        function named like a test (outside functions, in a class pytest collects by its
        name or that a class of the module may inherit from) carries an asyncio, anyio or
        trio mark, or is reached by one: the module's ``pytestmark``, or a class mark with
        no base class of the module and a readable ``pytestmark`` in each class from the
        marked one inwards."""
        project = facts.project
        if not facts.is_test_module or project.trio_mode:
            return True
        qualify = glance.qualify
        module_marks = ast_pytestmark_names(glance.tree.body, qualify)
        if module_marks is not None and ASYNCIO in module_marks:
            return True
        local_classes = {s.name for s in glance.tree.body if isinstance(s, ast.ClassDef)}
        # a class whose name pytest does not collect hides its methods, unless a class of
        # the module may inherit them (by any name a base is spelled with)
        inherited = {name for c in glance.classes for base in c.node.bases for name in _names_in(base)}
        for found in glance.functions:
            node = found.node
            if found.nested or not isinstance(node, ast.AsyncFunctionDef) or not project.is_test_function_name(node.name):
                continue
            if any(not project.is_test_class_name(c.name) and c.name not in inherited for c in found.classes):
                continue
            if ast_decorator_marks(node.decorator_list, qualify) & _RUNNER_MARKS:
                continue
            if module_marks is None or not _marked_from_class(found.classes, local_classes, qualify):
                return False
        return True

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._aliases: dict[str, frozenset[str] | None] = {}  # module-level NAME = <marks>
        self._classes: dict[str, cst.ClassDef] = {}  # module-level classes by name
        self._functions: dict[str, cst.FunctionDef] = {}  # module-level functions by name
        self._stack: list[_ClassState] = []
        self._spelling: tuple[str, bool] | None = None
        self._noted: set[cst.FunctionDef] = set()
        self._mark_fixtures: frozenset[str] = frozenset()  # fixtures whose params carry runner marks

    # -- module --------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        project = self.project
        if not self.facts.is_test_module or not project.strict or project.trio_mode:
            return False
        if dunder_test_false(node.body):
            return False
        self._mark_fixtures = frozenset(name for found in self.facts.surveyed(self.name) for name in found)
        if self.runs_other_framework():
            return False
        self._aliases = self._collect_aliases(node.body)
        self._functions = {s.name.value: s for s in node.body if isinstance(s, cst.FunctionDef)}
        marks = self._pytestmark_names(node.body)
        if marks is None:
            if self._module_has_candidates(node):
                binding = pytestmark_statements(node.body)
                self.note(
                    binding[0] if binding else node,
                    "the module's pytestmark cannot be read statically; if it does not hold "
                    "pytest.mark.asyncio, add @pytest.mark.asyncio to its async tests by hand",
                    kind="pytestmark-unreadable",
                )
            return False
        if marks & {ASYNCIO}:
            return False
        self._classes = {s.name.value: s for s in node.body if isinstance(s, cst.ClassDef)}
        return True

    def _module_has_candidates(self, node: cst.Module) -> bool:
        for stmt in node.body:
            if isinstance(stmt, cst.FunctionDef) and self._is_candidate(stmt):
                return True
            if isinstance(stmt, cst.ClassDef) and self._name_says_test_class(stmt):
                if self._has_candidates(stmt):
                    return True
        return False

    # -- classes -------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        parent = self._stack[-1] if self._stack else _ClassState(collected=True, marked=False)
        state = self._class_state(node, parent)
        self._stack.append(state)
        return state.collected and not state.marked

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self._stack.pop()
        return updated_node

    def _class_state(self, node: cst.ClassDef, parent: _ClassState) -> _ClassState:
        if not parent.collected or not self._name_says_test_class(node):
            return _ClassState(collected=False, marked=parent.marked)
        lineage, foreign = self._lineage(node)
        body_marks: set[str] = set()
        for cls in lineage:
            # the class and the local bases it inherits from: pytest's whole rule but the
            # name (checked above for the class; a base's name does not matter)
            if not collected_class(cls, self.project, self.imports, match_name=False):
                return _ClassState(collected=False, marked=parent.marked)
            names = self._decorator_mark_names(cls.decorators)
            class_marks = self._pytestmark_names(class_body(cls))
            if class_marks is None:
                if self._has_candidates(node):
                    self.note(
                        node,
                        f"the pytestmark of class {cls.name.value} cannot be read statically; if it "
                        "does not hold pytest.mark.asyncio, add @pytest.mark.asyncio to the async "
                        "tests of this class by hand",
                        kind="pytestmark-unreadable",
                    )
                return _ClassState(collected=True, marked=True)
            body_marks |= names | class_marks
        marked = parent.marked or ASYNCIO in body_marks
        if marked:
            return _ClassState(collected=True, marked=True)
        if foreign:
            if self._has_candidates(node) or any(self._has_candidates(c) for c in lineage[1:]):
                bases = ", ".join(foreign)
                self.note(
                    node,
                    f"class {node.name.value} derives from {bases}, defined in another module: if no "
                    "asyncio mark reaches it there and it is not a unittest TestCase, add "
                    "@pytest.mark.asyncio to its async tests by hand",
                    kind="foreign-base-class",
                )
            return _ClassState(collected=True, marked=True)  # leave it alone
        for base in lineage[1:]:
            if not self._name_says_test_class(base):
                for func in self._candidates(base):
                    if func in self._noted:
                        continue
                    self._noted.add(func)
                    self.note(
                        func,
                        f"{func.name.value} is inherited by test class {node.name.value} from "
                        f"{base.name.value}, which pytest does not collect itself; add "
                        "@pytest.mark.asyncio to it by hand if every subclass runs it with pytest-asyncio",
                        kind="inherited-from-uncollected-base",
                    )
        return _ClassState(collected=True, marked=False)

    def _lineage(self, node: cst.ClassDef) -> tuple[list[cst.ClassDef], list[str]]:
        return class_lineage(node, self._classes)

    def _name_says_test_class(self, cls: cst.ClassDef) -> bool:
        """Only the name (``python_classes``): what is in the class is read per lineage."""
        return collected_class(
            cls, self.project, match_name=True,
            exclude_unittest=False, exclude_init=False, exclude_new=False, exclude_dunder_test=False,
        )

    # -- functions -----------------------------------------------------------------------
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False  # no function definitions inside (pytestmark is read from the bodies)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # nested functions and classes are never tests

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        if self._stack:
            state = self._stack[-1]
            if not state.collected or state.marked:
                return updated_node
        if not self._is_candidate(original_node):
            return updated_node
        if self.index.yields(original_node.body):
            self.note(
                original_node,
                f"{original_node.name.value} is an async generator (it contains 'yield'): pytest cannot "
                "run it as a test; rewrite it as a coroutine without 'yield', then mark it with "
                "@pytest.mark.asyncio",
                kind="async-generator-test",
            )
            return updated_node
        spelled, needs_import = self._spelling or self.imports.reference("pytest.mark.asyncio")
        self._spelling = (spelled, False)
        if needs_import:
            self.add_needed_import("pytest")
        decorator = cst.Decorator(decorator=name_to_expr(spelled))
        self.count_edit()
        return updated_node.with_changes(decorators=[decorator, *updated_node.decorators])

    def _is_candidate(self, func: cst.FunctionDef) -> bool:
        """An async test function that no asyncio mark reaches by its own decorators."""
        if not collected_test_function(func, self.project, self.imports, asynchronous=True):
            return False
        if "anyio_backend" in requested_fixtures(func.params, keyword_only=False, defaults=True):
            return False
        if param_runner_fixture(func, self.imports, self._mark_fixtures) is not None:
            return False  # its asyncio/trio/anyio mark comes from that fixture's parameters
        if self._decorator_mark_names(func.decorators) & _RUNNER_MARKS:
            return False
        # another runner's test (tornado's gen_test, pytest-twisted), or one a decorator runs
        return not run_by_decorator(func.decorators, self.imports, self._functions)

    def _candidates(self, cls: cst.ClassDef) -> list[cst.FunctionDef]:
        return [s for s in class_body(cls) if isinstance(s, cst.FunctionDef) and self._is_candidate(s)]

    def _has_candidates(self, cls: cst.ClassDef) -> bool:
        return bool(self._candidates(cls))

    # -- marks ---------------------------------------------------------------------------
    def _collect_aliases(self, body: Sequence[cst.BaseStatement]) -> dict[str, frozenset[str] | None]:
        """``slow = pytest.mark.slow``-style module-level names bound to marks."""
        aliases: dict[str, frozenset[str] | None] = {}
        for name, value in alias_candidates(body):
            names = self._mark_names(value, aliases)
            if names:
                aliases[name] = names
        return aliases

    def _mark_names(
        self, expr: cst.BaseExpression, aliases: dict[str, frozenset[str] | None] | None = None
    ) -> frozenset[str] | None:
        """The mark names in a mark expression or a list/tuple of them; None when unknown."""
        aliases = self._aliases if aliases is None else aliases
        if isinstance(expr, (cst.List, cst.Tuple)):
            names: set[str] = set()
            for element in expr.elements:
                if not isinstance(element, cst.Element):
                    return None
                inner = self._mark_names(element.value, aliases)
                if inner is None:
                    return None
                names |= inner
            return frozenset(names)
        info = mark_info(expr, self.imports)
        if info is not None:
            return frozenset({info.name})
        if isinstance(expr, cst.Name) and expr.value in aliases:
            return aliases[expr.value]
        return None

    def _decorator_mark_names(self, decorators: Sequence[cst.Decorator]) -> set[str]:
        names: set[str] = set()
        for decorator in decorators:
            names |= self._mark_names(decorator.decorator) or frozenset()
        return names

    def _pytestmark_names(self, body: Sequence[cst.BaseStatement]) -> frozenset[str] | None:
        """The marks set by ``pytestmark`` in a body; None when one of them cannot be read."""
        names: set[str] = set()
        for assignment in pytestmark_assignments(body):
            if assignment.value is None:
                continue
            found = self._mark_names(assignment.value)
            if found is None:
                return None
            names |= found
        if pytestmark_unlisted(body):
            return None
        return frozenset(names)


#: The marks that give an async test its runner (asyncio-marker leaves a test with one alone).
_RUNNER_MARKS = frozenset({ASYNCIO, "anyio", "trio"}) | OTHER_TEST_MARKS


def _names_in(expr: ast.expr) -> set[str]:
    """Every name and attribute name in an expression."""
    return {n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(expr) if isinstance(n, (ast.Name, ast.Attribute))}


def _marked_from_class(
    classes: Sequence[ast.ClassDef], local_classes: set[str], qualify: Callable[[ast.AST], str | None]
) -> bool:
    """Whether an asyncio mark surely reaches the methods of the innermost of ``classes``
    from one of them, with nothing on the way that asyncio-marker would read otherwise."""
    for cls in reversed(classes):
        if any(ast_dotted_name(b) in local_classes for b in cls.bases):
            return False  # its lineage: the marks of another class of the module
        marks = ast_pytestmark_names(cls.body, qualify)
        if marks is None:
            return False
        if ASYNCIO in marks or ASYNCIO in ast_decorator_marks(cls.decorator_list, qualify):
            return True
    return False
