"""event-loop-fixture's per-file state: the surveys of this file and of the conftest.py
files above it, the overrides they found, and the loop scope each module and class pushes
down on its tests and fixtures (LoopContext)."""

from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace

import libcst as cst

from ...cstkit.names import code_of
from ...imports.edits import keep_import
from ...imports.resolve import ImportMap
from ...pytest_model.collection import (
    classes_hold_sync_tests,
    collected_test_function,
    collected_tests_here,
    may_hold_async_tests,
)
from ...pytest_model.event_loop import FIXTURE_NAME
from ...pytest_model.fixtures import requested_fixtures
from ...pytest_model.marks import marks_in_value, pytestmark_assignments
from ..transform import MigrationContext, Transform
from .body import loop_classes
from .chain import resolve_chain, setup_fixture_names
from .policy import PolicyOverride
from .scoping import is_bare_asyncio
from .survey import LoopOverrideSurvey, Override

#: why a test module keeps an import nothing in it reads (the conftest's hook reads it as
#: ``item.module.X``, hooks.read_through_module): its noqa comment, short, so the import
#: line stays within a line length of 79
READ_BY_HOOK = "conftest.py's loop factory hook reads it"


@dataclass
class LoopContext:
    """The loop scope pushed down on one module or class."""

    scope: str  # the loop scope S
    marks: bool  # bare marks below get loop_scope=S (module/class override)
    fixtures: bool  # async fixtures get loop_scope=S


class LoopOverrideState(Transform):
    """What the rewrite of one file knows: the surveys (read once, at the module), the
    override of the module, of each class and of the conftest.py above, and the loop scope
    of the module and of each class on the stack. The phases of the rewrite (marks.py,
    hooks.py, setup.py) read it; transform.py's walk keeps it."""

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._own: LoopOverrideSurvey | None = None
        self._conftest: tuple[LoopOverrideSurvey, Override] | None = None
        self._module_ctx: LoopContext | None = None
        self._class_stack: list[LoopContext | None] = []
        self._function_depth = 0
        self._sync_module = False
        self._needs_pytestmark: str | None = None
        #: the module's pytestmark carries the override's loop scope: a test's own bare asyncio
        #: mark would only override it (the closest mark wins), so it goes
        self._module_mark_covers = False
        self._removed_modules: set[str] = set()
        #: (override line, fixture) pairs noted by _note_fixtures_above
        self._noted_above: set[tuple[int, str]] = set()
        self._class_names: list[str] = []
        self._plain_classes: list[bool] = []  # per class on the stack: see _marks_only_by_decorators
        self._class_mark_covers: list[bool] = []
        self._local_classes: set[str] = set()
        #: the name of each override's setup fixture, by class (None: module level)
        self._setup_names: dict[str | None, str] = {}
        self._defined_here: frozenset[str] = frozenset()  # (set by visit_Module)
        self._chain_cache: list[LoopOverrideSurvey] | None = None
        #: the conftest's event_loop_policy override that became the loop-factories hook
        self._policy_hook: tuple[LoopOverrideSurvey, PolicyOverride] | None = None
        #: a hook giving asyncio's own loop was written here (an override and a policy may both ask)
        self._asyncio_hook_written = False

    def _chain(self) -> list[LoopOverrideSurvey]:
        """The surveys of the conftest.py files above this file and of this file, each read
        with the ones above it (resolve_chain)."""
        if self._chain_cache is None:
            self._chain_cache = resolve_chain(self.facts.surveyed(self.name), self.project.target)
        return self._chain_cache

    def _read_own(self, node: cst.Module, chain: list[LoopOverrideSurvey]) -> None:
        """This file's own survey (the last of the chain, if it is this file's) and the names
        of its setup fixtures."""
        here = os.path.realpath(self.facts.path)
        own = chain[-1] if chain[-1].path == here else None
        if own is not None and any(o.action == "keep" for o in own.overrides):
            # the sync users the survey saw may be gone (sync-to-async made them async in
            # this run; see revisit_after): with none left, nothing keeps the override any more
            users = _sync_users_now(node)
            own = replace(own, overrides=tuple(
                (replace(o, sync_users=users) if users else replace(o, action="carry", sync_users=()))
                if o.action == "keep" else o
                for o in own.overrides
            ))
        self._own = own
        if own is not None:
            self._setup_names = setup_fixture_names(chain)

    def _read_above(self, chain: list[LoopOverrideSurvey]) -> None:
        """The conftest.py override nearest to this file and the ``event_loop_policy``
        override that serves it, when that became the hook."""
        # the conftest override nearest to this file (a conftest's own counts for itself)
        conftests = [s for s in chain if s.is_conftest]
        if conftests:
            nearest = conftests[-1]
            override = next((o for o in nearest.overrides if o.class_name is None), None)
            if override is not None and override.action != "leave":
                self._conftest = (nearest, override)
        # the event_loop_policy override that serves this file, when it became the hook
        policy_files = [s for s in chain if s.policies]
        if policy_files and policy_files[-1].is_conftest:
            policy = policy_files[-1].policies[0]
            if policy.action == "carry" and policy.factory is not None:
                self._policy_hook = (policy_files[-1], policy)

    def _read_module(self, node: cst.Module) -> None:
        """The module's own loop classes, and the loop scope pushed down on it (by its own
        override, or by a nested conftest.py's that widens)."""
        try:
            tree = ast.parse(self.source)
            self._local_classes = loop_classes(
                [s for s in tree.body if isinstance(s, ast.ClassDef)], ImportMap(dict(self.imports.names))
            )
        except (SyntaxError, ValueError):
            self._local_classes = set()
        module_override = self._module_override()
        if module_override is not None:
            self._module_ctx = self._scope_context(module_override)
        elif self._conftest is not None:
            survey, override = self._conftest
            # the root's loop scope reaches fixtures through asyncio_default_fixture_loop_scope
            if override.widens and not survey.is_root:
                # with a loop-factories hook, pytest-asyncio 1.5 settles a test's loop before
                # pytest_collection_modifyitems runs, so the subtree's modules carry the mark
                self._module_ctx = LoopContext(override.scope, self._factories_in_chain(), True)
        if self._module_ctx is not None and self._module_ctx.marks:
            # (a module mark would reach the sync tests of its classes too)
            self._sync_module = bool(self._sync_tests(node.body)) or classes_hold_sync_tests(node.body, self.project, self.imports)
            if not self._sync_module and not self.facts.is_conftest:
                existing = pytestmark_assignments(node.body)
                if not existing and may_hold_async_tests(node.body, self.project, self.imports):
                    self._needs_pytestmark = self._module_ctx.scope
                self._module_mark_covers = not existing or any(
                    is_bare_asyncio(m) for a in existing if a.value is not None
                    for m in marks_in_value(a.value, self.imports) if m.name == "asyncio"
                )

    def _factories_in_chain(self) -> bool:
        """Whether an override above (or in) this file becomes a loop-factories hook."""
        return any(
            (o.kind != "asyncio" and o.factory is not None or o.default_hook) and o.action != "leave"
            for survey in self._chain()
            for o in survey.overrides
        ) or any(
            p.action == "carry" and (p.factory is not None or p.default_hook)
            for survey in self._chain()
            for p in survey.policies
        )

    def _module_override(self) -> Override | None:
        if self._own is None or self._own.is_conftest:
            return None
        return next((o for o in self._own.overrides if o.class_name is None), None)

    def _class_override(self, name: str) -> Override | None:
        if self._own is None or self._own.is_conftest:
            return None
        return next((o for o in self._own.overrides if o.class_name == name), None)

    def _override_at(self, class_name: str | None) -> Override | None:
        if self._own is None:
            return None
        return next((o for o in self._own.overrides if o.class_name == class_name), None)

    def _scope_context(self, override: Override) -> LoopContext | None:
        """The loop scope an override of a test module (or class) pushes down on its tests
        and fixtures, where the default loop scopes, as this run leaves them, give another:
        its wider scope under the function defaults; function itself under wider defaults
        (a root conftest's session override became them), so that they keep a loop each;
        nothing where the defaults already say its scope (said once, in the config)."""
        if override.action == "leave" or override.scope is None:
            return None
        marks = self.project.test_loop_scope != override.scope
        fixtures = self.project.fixture_default_loop_scope != override.scope
        return LoopContext(override.scope, marks, fixtures) if marks or fixtures else None

    def _own_class_marks(self, override: Override | None) -> bool:
        """Whether a class's own override gives its tests a class mark of its scope."""
        if override is None:
            return False
        ctx = self._scope_context(override)
        return ctx is not None and ctx.marks

    def _current(self) -> LoopContext | None:
        """The loop scope pushed down where the walk is: the innermost class's, else the module's."""
        return self._class_stack[-1] if self._class_stack else self._module_ctx

    @property
    def _enclosing_class(self) -> str | None:
        """The name of the innermost class the walk is in."""
        return self._class_names[-1] if self._class_names else None

    def _collected_sync_test(self, node: cst.FunctionDef) -> bool:
        """Whether pytest collects ``node``, a sync function where the walk is, as a test: not
        a helper function, nor one of a module that is no test module or of a class pytest
        does not collect."""
        in_tests = self.facts.is_test_module and all(self.project.is_test_class_name(c) for c in self._class_names)
        return collected_test_function(node, self.project, self.imports, asynchronous=False, scope_collected=in_tests)

    def _sync_tests(self, body: Sequence[cst.BaseStatement]) -> list[str]:
        """The sync tests pytest collects among these statements."""
        return collected_tests_here(body, self.project, self.imports, asynchronous=False)

    def _spell(self, full: str) -> str:
        """How this module spells ``full`` (``import`` scheduled when nothing binds it)."""
        return code_of(self.spell(full, self.imports))

    def _schedule_import_removals(self, node: cst.FunctionDef, keep: frozenset[str] = frozenset()) -> None:
        """The imports a removed override may have been the last to read go, when unused;
        not those binding ``keep`` (the conftest's hook reaches them as ``item.module.X``)."""
        for local, full in self.imports.names.items():
            if full in ("asyncio", "uvloop", "pytest", "pytest_asyncio") and local not in self._removed_modules and local not in keep:
                self._removed_modules.add(local)
                self.remove_unused_import(full, asname=None if local == full else local)
        self.remove_imports_read_by(node, self.imports, keep)  # its annotations' and helpers' imports too
        for local in sorted(keep):
            keep_import(self.context, local, READ_BY_HOOK)  # (said only where nothing here reads it now)


def _sync_users_now(module: cst.Module) -> tuple[str, ...]:
    """The sync functions of the (possibly already rewritten) module that take ``event_loop``."""

    class Finder(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[str] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            if node.asynchronous is None and node.name.value != FIXTURE_NAME:
                if FIXTURE_NAME in requested_fixtures(node.params, positional_only=True, defaults=True):
                    self.found.append(node.name.value)
            return True

    finder = Finder()
    module.visit(finder)
    return tuple(finder.found)
