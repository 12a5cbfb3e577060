"""The asynctest transform's rewrite: modules, classes, calls and ``assertAsyncRaises``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from ...cstkit.edits import remove_arg
from ...cstkit.names import dotted_name, find_kwarg, imported_modules
from ...cstkit.scope import Frame, ScopeHooks, ScopeStack
from ...cstkit.version_guards import blocks_below, import_fallbacks
from ...cstkit.walk import nodes_under
from ...imports.edits import names_bound_by
from ...imports.placement import keep_leading_lines_of_removed
from ..transform import MigrationContext, Transform
from ..triggers import Triggers
from .examples import EXAMPLES
from .loops_left import KIND as LOOP_LEFT
from .loops_left import loop_left, loops_left
from .names import (
    ASSERT_ASYNC,
    GLOBAL_SCOPE,
    HOOKS,
    LOOP_ATTRIBUTES,
    MOCK_CLASSES,
    MOCK_MODULES,
    PATCHERS,
    TESTCASE_FULL,
    UNITTEST_ASYNC_SINCE,
    UNITTEST_MODULES,
    WHY,
    async_methods,
    chain_nodes,
    name_taken,
    self_attribute,
)
from .spelling import NameRewrites


@dataclass
class _FrameData:
    """What the transform keeps on a scope frame of a class or a function."""

    asynctest: bool = False  # class: converted from asynctest.TestCase; function: a method of one
    async_methods: frozenset[str] = frozenset()  # class: its async methods


class Asynctest(NameRewrites, ScopeHooks, Transform):
    name = "asynctest"
    summary = "asynctest → unittest.mock (CoroutineMock → AsyncMock) and unittest.IsolatedAsyncioTestCase"
    default = True
    triggers = Triggers(
        # (a module asynctest no longer names is read for what its migration left, loops_left.py:
        # one with async code, as a converted test case has, so that the gate stays as it is)
        any=((b"asynctest",), (b"IsolatedAsyncioTestCase", b"self.loop", b"async")),
        produces=(b"IsolatedAsyncioTestCase", b"AsyncMock", b"get_running_loop"),
    )

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._mock_module: str | None = None  # existing spelling of the unittest.mock module
        self._mock_fallback = "mock"  # what attribute uses get when there is none
        self._asynctest_classes: dict[str, frozenset[str]] = {}  # class → its async methods
        # a generator expression belongs to the frame it is written in
        self.scope: ScopeStack[_FrameData] = ScopeStack(generator_frames=False)
        self._not_refs: set[cst.CSTNode] = set()  # Name nodes that are not references
        self._heads: set[cst.CSTNode] = set()  # nodes that are the value of an Attribute
        self._allowed_bases: set[cst.CSTNode] = set()
        self._blocked: set[cst.CSTNode] = set()  # asynctest references left on purpose (noted)
        self._silent: set[cst.CSTNode] = set()  # references that disappear with their call
        self._drop_scope: set[cst.Call] = set()
        self._assign_targets: set[cst.CSTNode] = set()
        self._assert_statements: dict[cst.SimpleStatementLine, cst.Call] = {}
        self._kept: set[str] = set()  # local names of asynctest imports still referenced
        self._coroutine_mock_seen = False
        self._module_body: Sequence[cst.BaseStatement] = ()
        self._module_coroutines: frozenset[str] = frozenset()
        self._old_python: set[cst.BaseSuite] = set()  # blocks that run only where unittest lacks asyncio
        self._active = False  # whether the module is rewritten (leave_Module runs either way)
        self._fallback_names: frozenset[str] = frozenset()  # the names the old-Python blocks import

    # -- module --------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        imports = self.imports
        bound = {local for local, full in imports.names.items() if full == "asynctest" or full.startswith("asynctest.")}
        star = any(m == "asynctest" or m.startswith("asynctest.") for m in imports.star_modules)
        if not bound and not star:
            for read, where in loops_left(node.body, imports.qualify):
                self.note(read, loop_left(where), kind=LOOP_LEFT, left=True)
            return False
        self._old_python = {
            block for block, version in blocks_below(node.body, imports.qualify) if version <= UNITTEST_ASYNC_SINCE
        }
        self._old_python.update(import_fallbacks(node.body, UNITTEST_MODULES))  # except ImportError: asynctest
        outside = self._asynctest_names_outside(node) if self._old_python else frozenset({"*"} if star else ())
        if "*" in outside:
            self.note(node, f"'from asynctest import *' cannot be followed; import the names you use ({WHY})",
                      kind="star-import")
            return False
        if self._old_python and not outside:
            return False  # asynctest only where Python has no unittest equivalent: a fallback
        # a name those blocks import (and no asynctest import outside them) stands for what
        # the Python running picks: left as it is
        self._fallback_names = _names_imported_in(self._old_python) - outside
        self._active = True
        self._coroutine_mock_seen = "CoroutineMock" in self.source
        self._mock_module = self._existing_mock_module(node)
        if self._mock_module is None and name_taken(self.source, "mock", imports, "unittest.mock"):
            self._mock_fallback = "unittest.mock"
        self._asynctest_classes = self._find_asynctest_classes(node.body)
        self._module_body = node.body
        self._module_coroutines = frozenset(
            s.name.value for s in node.body if isinstance(s, cst.FunctionDef) and s.asynchronous
        )
        return True

    def _asynctest_names_outside(self, node: cst.Module) -> frozenset[str]:
        """The local names that imports of asynctest bind outside the old-Python blocks."""
        inside = {id(n) for block in self._old_python for n in nodes_under(block)}
        found: set[str] = set()
        for imported in nodes_under(node):
            if id(imported) in inside:
                continue
            if not isinstance(imported, (cst.Import, cst.ImportFrom)):
                continue
            if any(m == "asynctest" or m.startswith("asynctest.") for m in imported_modules(imported)):
                found |= names_bound_by(imported) or {"*"}
        return frozenset(found)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> bool:
        return node not in self._old_python

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> bool:
        return node not in self._old_python  # (if sys.version_info < (3, 8): from asynctest import ...)

    def _existing_mock_module(self, node: cst.Module) -> str | None:
        locals_ = self.imports.local_names_for("unittest.mock")
        if locals_:
            return "mock" if "mock" in locals_ else locals_[0]
        for stmt in node.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Import):
                        for alias in small.names:
                            if alias.asname is None and dotted_name(alias.name) == "unittest.mock":
                                return "unittest.mock"
        return None

    def _find_asynctest_classes(self, body: Sequence[cst.BaseStatement]) -> dict[str, frozenset[str]]:
        found: dict[str, frozenset[str]] = {}
        for stmt in body:
            if not isinstance(stmt, cst.ClassDef):
                continue
            for base in stmt.bases:
                if base.keyword is not None:
                    continue
                full = self.imports.qualify(base.value)
                name = dotted_name(base.value)
                if full in TESTCASE_FULL or (isinstance(base.value, cst.Name) and name in found):
                    async_names = async_methods(stmt)
                    if name in found:
                        async_names |= found[name]
                    found[stmt.name.value] = async_names
                    break
        return found

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self._active:
            return updated_node
        removable_modules: list[tuple[str, str | None]] = []
        for stmt in original_node.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        full = dotted_name(alias.name) or ""
                        if full != "asynctest" and not full.startswith("asynctest."):
                            continue
                        asname = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else None
                        if (asname or full.split(".")[0]) not in self._kept:
                            removable_modules.append((full, asname))
        for full, asname in removable_modules:
            self.remove_unused_import(full, asname=asname)
        # From-imports are edited here: the new ``from unittest.mock import patch`` binds the
        # same local name, so RemoveImportsVisitor would see the old one as still used.
        pruned = updated_node.visit(_PruneFromImports(self._kept, self._old_python))
        assert isinstance(pruned, cst.Module)
        if pruned is not updated_node and pruned.code != updated_node.code:
            updated_node = keep_leading_lines_of_removed(updated_node, pruned)
        return updated_node

    # -- references that are not names to rewrite ---------------------------------------
    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self._not_refs.add(node.attr)
        self._heads.add(node.value)
        return True

    def visit_Arg(self, node: cst.Arg) -> bool:
        if node.keyword is not None:
            self._not_refs.add(node.keyword)
        return True

    def visit_Param(self, node: cst.Param) -> bool:
        self._not_refs.add(node.name)
        return True

    def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
        self._assign_targets.add(node.target)
        return True

    # -- scopes --------------------------------------------------------------------------
    def _method_frame(self) -> tuple[Frame[_FrameData] | None, bool]:
        """(the asynctest-class method we are in, whether we are directly in its body)."""
        found = self.scope.current_method()
        if found is None:
            return None, False
        cls, method = found
        if cls.data is None or not cls.data.asynctest:
            return None, False
        return method, self.scope.in_body_of(method)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._not_refs.add(node.name)
        top_level = not self.scope.nested()
        converted = top_level and node.name.value in self._asynctest_classes
        self.scope.enter(node, _FrameData(converted, self._asynctest_classes.get(node.name.value, frozenset())))
        for base in node.bases:
            if base.keyword is None and self.imports.qualify(base.value) in TESTCASE_FULL:
                self._allowed_bases.add(base.value)
        if converted:
            self._note_loop_attributes(node)
        elif self._foreign_bases(node) and isinstance(node.body, cst.IndentedBlock):
            for stmt in node.body.body:
                if isinstance(stmt, cst.FunctionDef) and stmt.asynchronous is not None and stmt.name.value in HOOKS:
                    self.note(
                        stmt,
                        f"async def {stmt.name.value} in class {node.name.value}, whose base is not an "
                        "asynctest.TestCase of this module: if that base was an asynctest.TestCase, "
                        f"rename it to {HOOKS[stmt.name.value]} (IsolatedAsyncioTestCase never awaits "
                        f"{stmt.name.value})",
                        kind="hook-name-of-foreign-base",
                    )
        return True

    def _foreign_bases(self, node: cst.ClassDef) -> bool:
        """Whether a base class is defined elsewhere and not by asynctest (it may be a
        TestCase subclass that another file migrates)."""
        local = {s.name.value for s in self._module_body if isinstance(s, cst.ClassDef)}
        foreign = False
        for base in node.bases:
            if base.keyword is not None:
                continue
            full = self.imports.qualify(base.value)
            if full is not None and (full == "asynctest" or full.startswith("asynctest.")):
                return False
            name = dotted_name(base.value)
            if name is not None and name not in local and name != "object":
                foreign = True
        return foreign

    def _note_loop_attributes(self, node: cst.ClassDef) -> None:
        if not isinstance(node.body, cst.IndentedBlock):
            return
        for stmt in node.body.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if not isinstance(small, cst.Assign):
                    continue
                for target in small.targets:
                    if isinstance(target.target, cst.Name) and target.target.value in LOOP_ATTRIBUTES:
                        attr = target.target.value
                        self.note(
                            stmt,
                            f"{attr} is an asynctest.TestCase setting that IsolatedAsyncioTestCase "
                            "ignores (every test gets a fresh loop, asyncio.get_event_loop() is not "
                            f"forbidden): check that the tests do not rely on it, then delete {attr}",
                            kind="loop-setting-ignored",
                        )

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self.scope.leave(original_node)
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._not_refs.add(node.name)
        parent = self.scope.innermost
        method = parent is not None and parent.is_class and parent.data is not None and parent.data.asynctest
        self.scope.enter(node, _FrameData(method))
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        frame = self.scope.leave(original_node)
        assert frame is not None and frame.data is not None
        if frame.data.asynctest and frame.is_coroutine and frame.name in HOOKS:
            self.count_edit()
            return updated_node.with_changes(name=cst.Name(HOOKS[frame.name]))
        return updated_node

    # -- calls ---------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> bool:
        full = self.imports.qualify(node.func)
        if full in PATCHERS:
            scope = find_kwarg(node.args, "scope")
            if scope is not None:
                if self.imports.qualify(scope.value) in GLOBAL_SCOPE:
                    self._drop_scope.add(node)
                    self._silent.update(chain_nodes(scope.value))
                else:
                    self._block(node.func, scope.value)
                    self.note(
                        node,
                        "asynctest.patch(scope=...) other than GLOBAL has no unittest.mock equivalent "
                        "(the standard patch stays active across awaits, like GLOBAL): rewrite the "
                        f"patching by hand ({WHY})",
                        kind="patch-scope",
                    )
        elif full is not None and full.rsplit(".", 1)[0] in MOCK_MODULES and full.rsplit(".", 1)[-1] in MOCK_CLASSES:
            if find_kwarg(node.args, "is_coroutine") is not None:
                self._block(node.func)
                self.note(
                    node,
                    "asynctest mocks' is_coroutine= has no unittest.mock equivalent: use "
                    f"unittest.mock.AsyncMock for a mock coroutine function ({WHY})",
                    kind="mock-is-coroutine",
                )
        return True

    def _block(self, *exprs: cst.BaseExpression) -> None:
        for expr in exprs:
            self._blocked.update(chain_nodes(expr))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node in self._drop_scope:
            self.count_edit()
            scope = find_kwarg(updated_node.args, "scope")
            return remove_arg(updated_node, list(updated_node.args).index(scope)) if scope is not None else updated_node
        method, direct = self._method_frame()
        if method is None:
            return updated_node
        func = original_node.func
        if self_attribute(func, "addCleanup") and original_node.args:
            return self._cleanup(original_node, updated_node)
        name = self_attribute(func)
        if name in ASSERT_ASYNC and self._assert_statements.get(self._current_statement) is not original_node:
            replacement, count = ASSERT_ASYNC[name]
            self.note(
                original_node,
                f"IsolatedAsyncioTestCase has no {name}: write 'with self.{replacement}(...): "
                "await <awaitable>' by hand",
                kind="async-assert-missing",
            )
            return updated_node
        if (
            direct
            and method.is_coroutine
            and method.name in HOOKS
            and isinstance(func, cst.Attribute)
            and func.attr.value == method.name
            and isinstance(func.value, cst.Call)
            and dotted_name(func.value.func) == "super"
        ):
            assert isinstance(updated_node.func, cst.Attribute)
            self.count_edit()
            return updated_node.with_changes(
                func=updated_node.func.with_changes(attr=cst.Name(HOOKS[method.name]))
            )
        return updated_node

    def _cleanup(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        cls = self.scope.enclosing_class()
        assert cls is not None and cls.data is not None
        target = original_node.args[0].value
        attr = self_attribute(target)
        if (attr is not None and attr in cls.data.async_methods) or (
            isinstance(target, cst.Name) and target.value in self._module_coroutines
        ):
            assert isinstance(updated_node.func, cst.Attribute)
            self.count_edit()
            return updated_node.with_changes(func=updated_node.func.with_changes(attr=cst.Name("addAsyncCleanup")))
        # Anything else stays as it is: IsolatedAsyncioTestCase.addCleanup awaits a
        # coroutine function too (addAsyncCleanup only calls addCleanup); the rename above
        # just says so where the target is known to be one.
        return updated_node

    # -- assertAsyncRaises ---------------------------------------------------------------
    _current_statement: cst.SimpleStatementLine | None = None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        self._current_statement = node
        method, direct = self._method_frame()
        if method is None or not direct or not method.is_coroutine or len(node.body) != 1:
            return True
        small = node.body[0]
        if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Await)):
            return True
        call = small.value.expression
        if not isinstance(call, cst.Call):
            return True
        name = self_attribute(call.func)
        if name not in ASSERT_ASYNC:
            return True
        count = ASSERT_ASYNC[name][1]
        if len(call.args) == count and all(a.keyword is None and not a.star for a in call.args):
            self._assert_statements[node] = call
        return True

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement:
        self._current_statement = None
        call = self._assert_statements.get(original_node)
        if call is None:
            return updated_node
        small = updated_node.body[0]
        assert isinstance(small, cst.Expr) and isinstance(small.value, cst.Await)
        new_call = small.value.expression
        assert isinstance(new_call, cst.Call) and isinstance(new_call.func, cst.Attribute)
        name = self_attribute(call.func)
        assert name is not None
        args = list(new_call.args)
        awaitable = args.pop().value
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=cst.SimpleWhitespace(""))
        manager = new_call.with_changes(
            func=new_call.func.with_changes(attr=cst.Name(ASSERT_ASYNC[name][0])), args=args
        )
        body = cst.IndentedBlock(
            body=[cst.SimpleStatementLine(
                body=[cst.Expr(cst.Await(expression=awaitable))],
                trailing_whitespace=updated_node.trailing_whitespace,
            )]
        )
        self.count_edit()
        return cst.With(items=[cst.WithItem(item=manager)], body=body, leading_lines=updated_node.leading_lines)


def _names_imported_in(blocks: set[cst.BaseSuite]) -> frozenset[str]:
    """The local names the imports in ``blocks`` bind."""
    found: set[str] = set()
    for block in blocks:
        for node in nodes_under(block):
            if isinstance(node, (cst.Import, cst.ImportFrom)):
                found |= names_bound_by(node)
    return frozenset(found)


class _PruneFromImports(cst.CSTTransformer):
    """Drops the names of ``from asynctest[.mock] import ...`` whose uses were all rewritten."""

    def __init__(self, kept: set[str], left: set[cst.BaseSuite]) -> None:
        super().__init__()
        self._kept = kept
        self._left = left  # blocks left as they are

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> bool:
        return node not in self._left

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> bool:
        return node not in self._left

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        module = dotted_name(updated_node.module) if updated_node.module else None
        if updated_node.relative or module is None or not (module == "asynctest" or module.startswith("asynctest.")):
            return updated_node
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        keep = []
        for alias in updated_node.names:
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else dotted_name(alias.name)
            if local in self._kept:
                keep.append(alias)
        if len(keep) == len(updated_node.names):
            return updated_node
        if not keep:
            return cst.RemoveFromParent()
        last = updated_node.names[-1]
        keep[-1] = keep[-1].with_changes(comma=last.comma if updated_node.lpar else cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(names=keep)
