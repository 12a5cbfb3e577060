"""event-loop-fixture's rewrite (LibCST): the override goes, its meaning moves to loop
scopes, hooks, fixtures and config requests."""

from __future__ import annotations

import ast
import os
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import libcst as cst

from ...cstkit.edits import append_element, append_kwarg, is_docstring, make_kwarg
from ...cstkit.names import code_of, string_value
from ...imports.resolve import ImportMap
from ...project import FileFacts, ProjectFacts
from ...pytest_model.collection import collected_class, collected_test_function
from ...pytest_model.event_loop import FIXTURE_NAME, LOOP_FACTORIES_HOOK_NAME
from ...pytest_model.fixtures import FixtureInfo, fixture_decorator, with_loop_scope
from ...pytest_model.loop_scopes import scope_rank
from ...pytest_model.marks import mark_info, marks_in_value, pytestmark_assignments
from ...pytest_model.versions import (
    DEBUG_OPTION,
    LOOP_FACTORIES_HOOK,
    LOOP_SCOPE_KWARG,
    TEST_LOOP_SCOPE_OPTION,
)
from ..transform import LoopFactoryBranch, MigrationContext, Transform
from ..triggers import Triggers
from .body import BodyReader, is_bare_yield, loop_classes
from .chain import resolve_chain, setup_fixture_names
from .codegen import collection_hook, factory_hook
from .examples import EXAMPLES
from .naming import pick_name
from .nested import moved_class
from .policy import POLICY_FIXTURE, PolicyOverride
from .scoping import is_bare_asyncio, map_methods, scope_asyncio_marks
from .survey import LoopOverrideSurvey, Override, survey_source


@dataclass
class _Context:
    """The loop scope pushed down on one module or class."""

    scope: str  # the loop scope S
    marks: bool  # bare marks below get loop_scope=S (module/class override)
    fixtures: bool  # async fixtures get loop_scope=S


#: A class judged by its name alone (python_classes): the override's marks reach the
#: classes of a module the way this transform has always read them.
_NAME_ONLY = dict(exclude_unittest=False, exclude_init=False, exclude_new=False, exclude_dunder_test=False)

class EventLoopFixture(Transform):
    name = "event-loop-fixture"
    summary = "remove event_loop fixture overrides and carry their meaning over to loop scopes, loop factories and config"
    default = True
    legacy_event_loop = True
    # Every file this edits spells pytest (a fixture decorator or an asyncio mark); files
    # with no override above them or in them are ruled out by applies_to (survey).
    triggers = Triggers(
        all=(b"pytest",),
        produces=(b"pytest_asyncio", b"mark.asyncio"),
        survey=(b"event_loop",),
        survey_also=(LOOP_FACTORIES_HOOK_NAME.encode(),),  # a conftest.py's own hook (resolve_chain)
    )
    revisit_after = ("sync-to-async",)
    min_target = LOOP_SCOPE_KWARG

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._own: LoopOverrideSurvey | None = None
        self._conftest: tuple[LoopOverrideSurvey, Override] | None = None
        self._module_ctx: _Context | None = None
        self._class_stack: list[_Context | None] = []
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
        self._chain_cache: list[LoopOverrideSurvey] | None = None
        #: the conftest's event_loop_policy override that became the loop-factories hook
        self._policy_hook: tuple[LoopOverrideSurvey, PolicyOverride] | None = None
        #: a hook giving asyncio's own loop was written here (an override and a policy may both ask)
        self._asyncio_hook_written = False

    # -- survey --------------------------------------------------------------------------
    @classmethod
    def survey(cls, source: str, facts: FileFacts) -> Any:
        return survey_source(source, facts)

    @classmethod
    def applies_to(cls, facts: FileFacts) -> bool:
        return super().applies_to(facts) and bool(facts.surveyed(cls.name))

    @classmethod
    def planned_settings(cls, surveyed: tuple[Any, ...], project: ProjectFacts) -> dict[str, str]:
        """The default loop scopes a root conftest's widening override becomes (see
        _conftest_hooks): every file below it runs under them, so a fixture or test there
        that ran on that loop needs no ``loop_scope=`` of its own."""
        root = next((s for s in resolve_chain(surveyed, project.target) if s.is_conftest and s.is_root), None)
        override = next((o for o in root.overrides if o.class_name is None), None) if root is not None else None
        if override is None or not override.widens or override.scope is None:
            return {}
        # below 0.26 a collection hook gives the tests that loop scope instead of the option
        # (an explicit loop_scope= wins there, as over the option)
        return {"asyncio_default_fixture_loop_scope": override.scope, "asyncio_default_test_loop_scope": override.scope}

    # -- module --------------------------------------------------------------------------
    def _chain(self) -> list[LoopOverrideSurvey]:
        """The surveys of the conftest.py files above this file and of this file, each read
        with the ones above it (resolve_chain)."""
        if self._chain_cache is None:
            self._chain_cache = resolve_chain(self.facts.surveyed(self.name), self.project.target)
        return self._chain_cache

    def visit_Module(self, node: cst.Module) -> bool:
        chain = self._chain()
        if not chain:
            return False
        here = os.path.realpath(self.facts.path)
        own = chain[-1] if chain[-1].path == here else None
        if own is not None and any(o.action == "keep" for o in own.overrides) and not _sync_users_now(node):
            # the sync users the survey saw are gone (sync-to-async made them async in this
            # run; see revisit_after): nothing keeps the override any more
            own = replace(own, overrides=tuple(
                replace(o, action="carry", sync_users=()) if o.action == "keep" else o for o in own.overrides
            ))
        self._own = own
        if own is not None:
            self._setup_names = setup_fixture_names(chain)
        if self.runs_other_framework():
            return False
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
                self._module_ctx = _Context(override.scope, self._factories_in_chain(), True)
        if self._module_ctx is not None and self._module_ctx.marks:
            self._sync_module = bool(self._sync_tests(node.body))
            if not self._sync_module and not self.facts.is_conftest:
                existing = pytestmark_assignments(node.body)
                if not existing:
                    self._needs_pytestmark = self._module_ctx.scope
                self._module_mark_covers = not existing or any(
                    is_bare_asyncio(m) for a in existing if a.value is not None
                    for m in marks_in_value(a.value, self.imports) if m.name == "asyncio"
                )
        return True

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

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self._needs_pytestmark is not None:
            updated_node = self._insert_pytestmark(updated_node, self._needs_pytestmark)
        return updated_node

    # -- classes ---------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        if self._function_depth:
            return False
        override = self._class_override(node.name.value) if not self._class_stack else None
        ctx: _Context | None
        if override is not None and override.action == "leave":
            ctx = None
        elif override is not None and (own := self._scope_context(override)) is not None:
            ctx = own
        else:
            ctx = self._current()
        self._class_stack.append(ctx)
        self._class_names.append(node.name.value)
        self._plain_classes.append(self._marks_only_by_decorators(node))
        #: a class of its own override that gets the class mark (no sync tests beside)
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        self._class_mark_covers.append(self._own_class_marks(override) and not self._sync_tests(body))
        return True

    def _marks_only_by_decorators(self, node: cst.ClassDef) -> bool:
        """Whether a class takes asyncio marks from nowhere but its own decorators, none of
        which names a loop (no base classes, no ``pytestmark`` in its body): then its
        tests' bare marks can go under a module or class mark of the override's scope."""
        if any(not (isinstance(b.value, cst.Name) and b.value.value == "object") for b in node.bases):
            return False
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        if pytestmark_assignments(body):
            return False
        for decorator in node.decorators:
            info = mark_info(decorator.decorator, self.imports)
            if info is not None and info.name == "asyncio" and not is_bare_asyncio(info):
                return False
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef):
        self._class_stack.pop()
        self._class_names.pop()
        plain = self._plain_classes.pop()
        self._class_mark_covers.pop()
        if self._class_stack:
            return updated_node
        if self._own is not None and any(
            p.action == "carry" and p.policy_class == original_node.name.value for p in self._own.policies
        ):
            # the policy class only served the event_loop_policy override the hook replaces
            self.remove_imports_read_by(original_node, self.imports)
            self.count_edit()
            return cst.RemovalSentinel.REMOVE
        updated_node = _no_blank_line_after_header(
            original_node, updated_node, self._setup_names.get(original_node.name.value)
        )
        override = self._class_override(original_node.name.value)
        own = self._scope_context(override) if override is not None else None
        if own is not None:
            if not own.marks:
                return updated_node  # its fixtures were given the class's loop scope
            body = original_node.body.body if isinstance(original_node.body, cst.IndentedBlock) else ()
            if self._sync_tests(body):
                return self._scope_methods(updated_node, own.scope, tests_only=True)
            return self._class_mark(original_node, updated_node, own.scope, drop_bare=plain)
        outer = self._module_ctx
        if outer is not None and outer.marks and collected_class(original_node, self.project, **_NAME_ONLY):
            if self._sync_module:
                return self._scope_methods(updated_node, outer.scope, tests_only=True)
            return self._scope_marks(
                original_node, updated_node, outer.scope, add_missing=False, drop_bare=self._module_mark_covers and plain
            )
        return updated_node

    def _note_fixtures_above(self, node: cst.FunctionDef) -> None:
        """An async test of a module (or class) whose override is carried, requesting an
        async fixture of a conftest.py above: under 0.21 the fixture ran on this override's
        loop, resolved for the test; under 1.x a fixture has one loop scope of its own,
        which may be another. Said once per fixture and override: no edit can give a shared
        fixture the loops of two requesters."""
        if self._own is None or self._own.is_conftest or not self._own.fixtures_above or node.asynchronous is None:
            return
        class_name = self._enclosing_class if self._class_stack else None
        if len(self._class_stack) > 1:
            return
        override = self._class_override(class_name) if class_name is not None else None
        if override is None or override.action == "leave" or override.scope is None:
            override = self._module_override()
        if override is None or override.action == "leave" or override.scope is None:
            return
        params = {p.name.value for p in (*node.params.params, *node.params.kwonly_params)}
        for fixture in self._own.fixtures_above:
            if fixture.name not in params or fixture.cache_scope is None:
                continue
            loop = fixture.loop_scope or self.project.fixture_loop_scope_for(fixture.cache_scope)
            key = (override.line, fixture.name)
            if loop == override.scope or key in self._noted_above:
                continue
            self._noted_above.add(key)
            whose = f"class {override.class_name}'s" if override.class_name is not None else "this module's"
            self.note(
                node,
                f"under pytest-asyncio 0.21, {fixture.name} ({fixture.where}) ran here on {whose} "
                f"{override.scope}-scoped event_loop (a fixture got the loop of the test that requested it); under "
                f"1.x it runs on a {loop}-scoped loop of its own while these tests run on {override.scope}-scoped "
                f"ones: give it loop_scope=\"{override.scope}\" if every test that uses it runs on such a loop, or "
                "define a copy of it here",
            )

    def _scope_context(self, override: Override) -> _Context | None:
        """The loop scope an override of a test module (or class) pushes down on its tests
        and fixtures, where the default loop scopes, as this run leaves them, give another:
        its wider scope under the function defaults; function itself under wider defaults
        (a root conftest's session override became them), so that they keep a loop each;
        nothing where the defaults already say its scope (said once, in the config)."""
        if override.action == "leave" or override.scope is None:
            return None
        marks = (self.project.default_test_loop_scope or "function") != override.scope
        fixtures = (self.project.default_fixture_loop_scope or "function") != override.scope
        return _Context(override.scope, marks, fixtures) if marks or fixtures else None

    def _own_class_marks(self, override: Override | None) -> bool:
        """Whether a class's own override gives its tests a class mark of its scope."""
        if override is None:
            return False
        ctx = self._scope_context(override)
        return ctx is not None and ctx.marks

    def _current(self) -> _Context | None:
        return self._class_stack[-1] if self._class_stack else self._module_ctx

    # -- functions -------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._function_depth += 1
        return False

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef):
        self._function_depth -= 1
        if self._function_depth:
            return updated_node
        self._note_policy_user(original_node)
        info = fixture_decorator(original_node, self.imports)
        class_name = None
        if self._class_stack:
            if len(self._class_stack) > 1:
                return updated_node
            class_name = self._enclosing_class
        if info is not None and self._is_override(original_node, info):
            return self._replace_override(original_node, updated_node, class_name)
        if info is not None and self._class_stack and self.project.target >= LOOP_FACTORIES_HOOK and info.registered_name(
            original_node
        ) == POLICY_FIXTURE:
            self.note(
                original_node,
                "overriding the event_loop_policy fixture is deprecated from pytest-asyncio 1.4 (a "
                "PytestDeprecationWarning for every test) but this class's override was left in place: give the "
                "covering conftest's pytest_asyncio_loop_factories hook a branch for this class's tests "
                "(item.cls) returning its loop factory, then delete it",
            )
            return updated_node
        if info is not None and not self._class_stack and self._policy_override(original_node, info) is not None:
            return self._replace_policy(original_node, updated_node, info)
        ctx = self._current()
        if info is not None:
            if ctx is not None and ctx.fixtures:
                return self._fixture_loop_scope(original_node, updated_node, info, ctx.scope)
            return updated_node
        self._note_sync_user(original_node)
        self._note_fixtures_above(original_node)
        if ctx is None or not ctx.marks:
            return updated_node
        if not collected_test_function(original_node, self.project, asynchronous=True, exclude_fixtures=False):
            return updated_node
        mixed = self._sync_module if not self._class_stack else False
        if ctx is self._module_ctx and self._module_mark_covers and all(self._plain_classes):
            return self._scope_marks(original_node, updated_node, ctx.scope, add_missing=False, drop_bare=True)
        if self._class_stack and self._class_mark_covers[-1] and self._plain_classes[-1]:
            return self._scope_marks(original_node, updated_node, ctx.scope, add_missing=False, drop_bare=True)
        return self._scope_marks(original_node, updated_node, ctx.scope, add_missing=mixed)

    @property
    def _enclosing_class(self) -> str | None:
        return self._class_names[-1] if self._class_names else None

    def _is_override(self, node: cst.FunctionDef, info: FixtureInfo) -> bool:
        if node.name.value == FIXTURE_NAME:
            return True
        name = info.kwarg("name")
        return name is not None and string_value(name.value) == FIXTURE_NAME

    # -- the override itself -----------------------------------------------------------------
    def _override_at(self, class_name: str | None) -> Override | None:
        if self._own is None:
            return None
        return next((o for o in self._own.overrides if o.class_name == class_name), None)

    def _replace_override(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef, class_name: str | None):
        override = self._override_at(class_name)
        if override is None:
            return updated_node
        if override.action == "leave":
            # deleted before its loop type has a hook, the override's tests silently run on
            # pytest-asyncio's default loop (real time, no instrumentation)
            made_by = "that hook" if self.project.target >= LOOP_FACTORIES_HOOK else "that event_loop_policy fixture"
            then = (
                f"then delete it, not before: without {made_by} its tests run on a default asyncio loop, not on "
                f"{override.factory}()"
                if override.kind != "asyncio" and override.factory is not None
                else "then delete it"
            )
            self.note(
                original_node,
                "this event_loop fixture override is ignored by pytest-asyncio 1.x (async tests and fixtures "
                f"run in pytest-asyncio's own loops) but was left in place: {override.reason}; {then}",
            )
            return updated_node
        assert self._own is not None
        replacement: list[cst.BaseStatement] = []
        if override.moved_class is not None:
            body = updated_node.body.body if isinstance(updated_node.body, cst.IndentedBlock) else ()
            moved = moved_class(body, override.moved_class, override.moved_instance)
            if moved is not None:
                # its comments move with it; the override's blank lines go above it (below)
                replacement.append(moved.with_changes(leading_lines=[l for l in moved.leading_lines if l.comment]))
        if override.extra == "setup":
            replacement.append(self._setup_fixture(original_node, updated_node, override))
        if self._own.is_conftest:
            replacement.extend(self._conftest_hooks(original_node, override))
        if override.wraps:
            wrap = self._wrap_fixture(original_node, updated_node)
            if wrap is not None:
                replacement.append(wrap)
        if override.debug:
            self._carry_debug(original_node, override)
        if override.branch or (override.under is not None and self.project.target >= LOOP_FACTORIES_HOOK):
            self._request_branch(override)
        elif override.under is not None:
            what = "this class's" if class_name is not None else "this module's"
            how = (
                "through that conftest's pytest_asyncio_loop_factories hook (this tool writes it where it can); if "
                "they need asyncio's loop, make that hook return {\"asyncio\": asyncio.new_event_loop} for them "
                "(inspect item.path or item.cls there)"
                if self.project.target >= LOOP_FACTORIES_HOOK
                else "through that conftest's event_loop_policy fixture (this tool writes it where it can); if they "
                "need asyncio's loop, override event_loop_policy here returning asyncio.DefaultEventLoopPolicy()"
            )
            self.note(
                original_node,
                f"this event_loop override gave {what} tests asyncio's own loop, but a conftest.py above gives "
                f"{override.under}() loops, which reach them {how}",
            )
        self.count_edit()
        if override.action == "keep":
            users = ", ".join(override.sync_users)
            self.note(
                original_node,
                f"event_loop is kept because sync code here requests it ({users}); pytest-asyncio 1.x no longer "
                "runs async tests or fixtures in it, so objects made in it must not reach async code: make "
                "those users async (sync-to-async) and delete this fixture",
            )
            return cst.FlattenSentinel([updated_node, *replacement]) if replacement else updated_node
        self._schedule_import_removals(original_node)
        if replacement:
            first = replacement[0]
            blank = tuple(line for line in updated_node.leading_lines if line.comment is None)
            own = tuple(line for line in first.leading_lines if line.comment) if override.moved_class else ()
            replacement[0] = first.with_changes(leading_lines=blank + own)
            return cst.FlattenSentinel(replacement)
        return cst.RemovalSentinel.REMOVE

    def _request_branch(self, override: Override) -> None:
        """The loop type of an override in a test module (or class) goes to the
        ``pytest_asyncio_loop_factories`` hook of the conftest.py that covers the module, as
        a branch for its tests only (engine/hook_branches.py writes it): a hook lives only in
        a conftest.py or a plugin. The module's own loop class is reached through
        ``item.module`` (the conftest cannot import a test module); asyncio's own loop under
        a conftest above that gives another type keeps those tests on asyncio's."""
        if override.kind == "custom" and override.factory_import is not None:  # a helper module's class
            name = override.factory_import[1]
            branch = LoopFactoryBranch(name, name, (), None, lazy_import=override.factory_import)
        else:
            branch = _loop_branch(override.kind, override.moved_class or override.factory, override.class_name)
        whose = f"class {override.class_name}" if override.class_name is not None else "module"
        if override.imported_from is not None:
            whose += f" (imported from {override.imported_from})"
        self.request_conftest(
            LOOP_FACTORIES_HOOK_NAME,
            "",
            reason=f"the event_loop fixture of this {whose} gave its tests {branch.key} loops",
            branch=branch,
        )
        self.count_edit()

    def _request_policy_branch(self, policy: PolicyOverride) -> None:
        """A test module's ``event_loop_policy`` override: its loop type becomes a branch of
        the covering conftest's hook; asyncio's own policy needs one only under a conftest
        whose hook gives another loop type (else pytest-asyncio's loops are asyncio's)."""
        if policy.kind == "default" and not self._factories_in_chain():
            return
        kind = "asyncio" if policy.kind == "default" else policy.kind
        branch = _loop_branch(kind, policy.factory, None, POLICY_FIXTURE)
        self.request_conftest(
            LOOP_FACTORIES_HOOK_NAME,
            "",
            reason=f"the event_loop_policy fixture of this module gave its tests {branch.key} loops",
            branch=branch,
        )

    # -- event_loop_policy overrides (policy.py) ---------------------------------------------------
    def _policy_override(self, node: cst.FunctionDef, info: FixtureInfo) -> PolicyOverride | None:
        if info.registered_name(node) != POLICY_FIXTURE or self._own is None:
            return None
        return next(iter(self._own.policies), None)

    def _replace_policy(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef, info: FixtureInfo):
        policy = self._policy_override(original_node, info)
        assert policy is not None
        if policy.action == "leave":
            self.note(
                original_node,
                "overriding the event_loop_policy fixture is deprecated from pytest-asyncio 1.4 (a "
                "PytestDeprecationWarning for every test) but this override was left in place: "
                f"{policy.reason}",
            )
            return updated_node
        self._schedule_import_removals(original_node)
        self.count_edit()
        if policy.branch:
            self._request_policy_branch(policy)
            return cst.RemovalSentinel.REMOVE
        if policy.factory is None:
            # asyncio's default policy: pytest-asyncio's own loops, unless a conftest above gives
            # another loop type (then this folder's own hook keeps asyncio's)
            hooks = self._asyncio_loop_hook(POLICY_FIXTURE) if policy.default_hook else []
            if not hooks:
                return cst.RemovalSentinel.REMOVE
            hook = hooks[0]
        else:
            hook = factory_hook(policy.kind, policy.factory, self.project.target, self._spell)
        blank = tuple(line for line in updated_node.leading_lines if line.comment is None)
        return hook.with_changes(leading_lines=blank)

    def _wrap_fixture(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.BaseStatement | None:
        """``with loop.record(): yield loop`` in the override: an async autouse fixture that
        enters ``asyncio.get_running_loop().record()`` around each async test (the loop the
        hook made), named for the method (``_record``). Sync tests never ran in the override
        (nothing requested it for them) and do not get the hook's loop: they only yield. It
        runs on the function-scoped loop of the test, as the override did, also where the
        configured default fixture loop scope is wider."""
        body = updated_node.body.body if isinstance(updated_node.body, cst.IndentedBlock) else ()
        block = next((s for s in body if isinstance(s, cst.With)), None)
        if block is None or len(block.items) != 1:
            return None
        call = block.items[0].item
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            return None
        method = call.func.attr.value
        taken = set().union(*(survey.names for survey in self._chain()))
        name = pick_name((f"_{method}", f"_{method}_loop"), taken)
        fixture = self._spell("pytest_asyncio.fixture")
        is_async = self._spell("pytest_asyncio.is_async_test")
        running = self._spell("asyncio.get_running_loop")
        entered = call.with_changes(func=call.func.with_changes(value=cst.parse_expression(f"{running}()")))
        scope = ', loop_scope="function"' if (self.project.default_fixture_loop_scope or "function") != "function" else ""
        code = (
            f"@{fixture}(autouse=True{scope})\n"
            f"async def {name}(request):\n"
            f"    if {is_async}(request.node):\n"
            f"        with {code_of(entered)}:\n"
            "            yield\n"
            "    else:\n"
            "        yield  # sync tests never ran in the event_loop fixture\n"
        )
        self.count_edit()
        self.note(
            original_node,
            f"the with-block around this event_loop override's yield now runs in the autouse fixture {name}, on "
            "the running loop of each async test",
        )
        return cst.parse_statement(code).with_changes(leading_lines=(cst.EmptyLine(), cst.EmptyLine()))

    def _schedule_import_removals(self, node: cst.FunctionDef) -> None:
        for local, full in self.imports.names.items():
            if full in ("asyncio", "uvloop", "pytest", "pytest_asyncio") and local not in self._removed_modules:
                self._removed_modules.add(local)
                self.remove_unused_import(full, asname=None if local == full else local)
        self.remove_imports_read_by(node, self.imports)  # its annotations' and helpers' imports too

    def _setup_fixture(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef, override: Override
    ) -> cst.FunctionDef:
        """The override minus the loop: an autouse fixture of the same scope, named for what
        it sets up (naming.py)."""
        reader = BodyReader(
            ImportMap(dict(self.imports.names)), self._local_classes, override.loop_helpers, _moved(override)
        )
        kept: list[cst.BaseStatement] = []
        body = updated_node.body
        assert isinstance(body, cst.IndentedBlock)
        for stmt in body.body:
            parsed = ast.parse(textwrap.dedent(code_of(stmt))).body
            if len(parsed) == 1 and reader.is_loop_only(parsed[0]):
                if is_bare_yield(parsed[0]):
                    kept.append(stmt.with_changes(body=[cst.Expr(cst.Yield())]))
                continue
            kept.append(stmt)
        if kept and isinstance(kept[0], cst.SimpleStatementLine) and is_docstring(kept[0]):
            kept = kept[1:]
        if len(kept) > 1 and _is_bare_yield_line(kept[-1]):
            kept = kept[:-1]  # no teardown is left after it: a setup-only fixture needs no yield
        info = fixture_decorator(original_node, self.imports)
        assert info is not None
        decorators = list(updated_node.decorators)
        index = list(original_node.decorators).index(info.decorator)
        call = info.call if info.call is not None else cst.Call(func=info.decorator.decorator)
        call = append_kwarg(call, make_kwarg("autouse", cst.Name("True")))
        decorators[index] = decorators[index].with_changes(decorator=call)
        name = self._setup_names[override.class_name]
        preferred = override.setup_names[0]
        if name == preferred and len(override.setup_names) > 1:
            why = "named for what it sets up"
        elif len(override.setup_names) > 1:
            why = f"{preferred}, the name for what it sets up, is taken"
        else:
            why = "no one thing it sets up names it: rename it for what it does"
        self.note(
            original_node,
            f"the setup/teardown of this event_loop override now runs in the autouse fixture {name} ({why}; "
            "the loop itself comes from pytest-asyncio); it also runs for sync tests now: check that it may",
        )
        return updated_node.with_changes(
            name=cst.Name(name),
            decorators=decorators,
            body=body.with_changes(body=kept),
        )

    def _conftest_hooks(self, original_node: cst.FunctionDef, override: Override) -> list[cst.BaseStatement]:
        assert self._own is not None
        statements: list[cst.BaseStatement] = []
        scope = override.scope
        target = self.project.target
        if override.widens and scope is not None:
            if self._own.is_root:
                self.request_config(
                    "asyncio_default_fixture_loop_scope",
                    scope,
                    f"the root conftest's event_loop fixture ran every async fixture in one {scope} loop",
                )
                if target >= TEST_LOOP_SCOPE_OPTION:
                    self.request_config(
                        "asyncio_default_test_loop_scope",
                        scope,
                        f"the root conftest's event_loop fixture ran every async test in one {scope} loop",
                    )
                else:
                    statements.append(self._collection_hook(scope, limited=False))
                    self.note(
                        original_node,
                        "asyncio_default_test_loop_scope needs pytest-asyncio 0.26; a pytest_collection_modifyitems "
                        f"hook gives the async tests loop_scope=\"{scope}\" instead: replace it with that option "
                        "once you can require 0.26",
                    )
            elif not self._factories_in_chain():
                statements.append(self._collection_hook(scope, limited=True))
        if override.kind != "asyncio" and override.factory is not None:
            statements.append(self._factory_hook(override))
        elif override.default_hook:
            statements.extend(self._asyncio_loop_hook(FIXTURE_NAME))
        # a second pass over a module this already rewrote (revisit_after) adds no hook twice
        existing = {
            stmt.name.value for stmt in (self.module.body if self.context.wrapper is not None else ())
            if isinstance(stmt, cst.FunctionDef)
        }
        return [s for s in statements if not (isinstance(s, cst.FunctionDef) and s.name.value in existing)]

    def _carry_debug(self, original_node: cst.FunctionDef, override: Override) -> None:
        assert self._own is not None
        if self._own.is_root and self.project.target >= DEBUG_OPTION:
            self.request_config("asyncio_debug", True, "the root conftest's event_loop fixture turned on asyncio debug mode")
            return
        why = "asyncio_debug needs pytest-asyncio 1.2" if self.project.target < DEBUG_OPTION else (
            "asyncio_debug = true applies to the whole run, not only to the tests this override served"
        )
        self.note(
            original_node,
            f"this event_loop override turned on asyncio debug mode, which is not carried over ({why}); set "
            "asyncio_debug = true (or run with --asyncio-debug) if the tests rely on it",
        )

    def _spell(self, full: str) -> str:
        return code_of(self.spell(full, self.imports))

    def _collection_hook(self, scope: str, limited: bool) -> cst.BaseStatement:
        statement = collection_hook(scope, limited, self._spell, self.project.style.line_length)
        self.count_edit()
        return statement

    def _asyncio_loop_hook(self, fixture: str) -> list[cst.BaseStatement]:
        if self._asyncio_hook_written:
            return []
        self._asyncio_hook_written = True
        self.count_edit()
        return [factory_hook("asyncio", "", self.project.target, self._spell, replaces=fixture)]

    def _factory_hook(self, override: Override) -> cst.BaseStatement:
        assert override.factory is not None
        statement = factory_hook(override.kind, override.factory, self.project.target, self._spell)
        self.count_edit()
        return statement

    # -- marks -----------------------------------------------------------------------------
    def _new_mark(self, scope: str) -> cst.Call:
        return with_loop_scope(self.spell("pytest.mark.asyncio", self.imports), scope)

    def _scope_marks(self, original_node, updated_node, scope: str, add_missing: bool, drop_bare: bool = False):
        """A test's (or, with ``add_missing`` False, a class's) bare asyncio marks get
        ``loop_scope=<scope>``; with ``add_missing``, a test without one gets a new mark;
        with ``drop_bare``, a mark of no arguments goes (a class's or the module's mark
        carries the scope)."""
        scoped = scope_asyncio_marks(
            original_node.decorators, updated_node.decorators, self.imports, scope,
            lambda: self._new_mark(scope), add_missing="first" if add_missing else None, drop_bare=drop_bare,
        )
        if not scoped.changed:
            return updated_node
        self.count_edit()
        return updated_node.with_changes(decorators=scoped.decorators)

    def _scope_methods(self, updated_node: cst.ClassDef, scope: str, tests_only: bool, drop_bare: bool = False) -> cst.ClassDef:
        """The async methods of a class get their marks scoped; ``tests_only``: a class (or a
        module's class) that also holds sync tests, whose async tests each get the mark."""
        if tests_only:
            return map_methods(
                updated_node,
                lambda stmt: collected_test_function(stmt, self.project, self.imports, asynchronous=True),
                lambda stmt: self._scope_marks(stmt, stmt, scope, add_missing=True),
            )
        return map_methods(
            updated_node,
            lambda stmt: stmt.asynchronous is not None,
            lambda stmt: self._scope_marks(stmt, stmt, scope, add_missing=False, drop_bare=drop_bare),
        )

    def _class_mark(self, original_node: cst.ClassDef, updated_node: cst.ClassDef, scope: str, drop_bare: bool) -> cst.ClassDef:
        """A class's own override: its first asyncio mark, or a new one, gets the loop scope,
        then the bare marks of its async methods; a mark that names a loop is reported."""
        scoped = scope_asyncio_marks(
            original_node.decorators, updated_node.decorators, self.imports, scope,
            lambda: self._new_mark(scope), add_missing="last", first_only=True,
        )
        if scoped.explicit is not None:
            self.note(scoped.explicit, f"this class's event_loop override was {scope}-scoped; check that this "
                      f"asyncio mark asks for loop_scope=\"{scope}\"")
            return updated_node
        self.count_edit()
        return self._scope_methods(updated_node.with_changes(decorators=scoped.decorators), scope, tests_only=False, drop_bare=drop_bare)

    # -- pytestmark ------------------------------------------------------------------------
    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom):
        """``from tests.helpers import event_loop``: the imported override goes from the
        import (its loop type to the covering conftest's hook); the rest of the import stays."""
        override = self._module_override()
        if override is None or override.imported_by is None or self._function_depth or self._class_stack:
            return updated_node
        if isinstance(updated_node.names, cst.ImportStar) or (
            (code_of(original_node.module) if original_node.module else "", len(original_node.relative))
            != override.imported_by
        ):
            return updated_node
        aliases = [a for a in updated_node.names if code_of(a.name) == FIXTURE_NAME and a.evaluated_alias in (None, FIXTURE_NAME)]
        if not aliases:
            return updated_node
        if override.action == "leave":
            self.note(
                original_node,
                f"the event_loop fixture imported here ({override.imported_from}) is ignored by pytest-asyncio 1.x "
                f"(async tests and fixtures run in its own loops) but was left: {override.reason}",
            )
            return updated_node
        if override.branch:
            self._request_branch(override)
        self.count_edit()
        module, level = override.imported_by
        self.remove_unused_import("." * level + module, FIXTURE_NAME)  # the shared import edits
        return updated_node

    def leave_AnnAssign(self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign) -> cst.AnnAssign:
        # ``pytestmark: list = [...]`` is a pytestmark too
        if original_node.value is None or not (
            isinstance(original_node.target, cst.Name) and original_node.target.value == "pytestmark"
        ):
            return updated_node
        return self._scope_pytestmark(original_node, updated_node)  # type: ignore[return-value]

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if not any(isinstance(t.target, cst.Name) and t.target.value == "pytestmark" for t in original_node.targets):
            return updated_node
        return self._scope_pytestmark(original_node, updated_node)  # type: ignore[return-value]

    def _scope_pytestmark(self, original_node, updated_node):
        ctx = self._module_ctx
        if ctx is None or not ctx.marks or self._sync_module or self._class_stack or self._function_depth:
            return updated_node
        value = original_node.value
        marks = marks_in_value(value, self.imports)
        asyncio_marks = [m for m in marks if m.name == "asyncio"]
        if asyncio_marks:
            mark = asyncio_marks[0]
            if not is_bare_asyncio(mark):
                self.note(original_node, f"this module's event_loop override was {ctx.scope}-scoped; check that "
                          f"its asyncio mark asks for loop_scope=\"{ctx.scope}\"")
                return updated_node
            if isinstance(value, (cst.List, cst.Tuple)):
                elements = list(updated_node.value.elements)  # type: ignore[union-attr]
                for i, element in enumerate(value.elements):
                    if element.value is mark.expr:
                        elements[i] = elements[i].with_changes(value=with_loop_scope(elements[i].value, ctx.scope))
                self.count_edit()
                return updated_node.with_changes(value=updated_node.value.with_changes(elements=elements))  # type: ignore[union-attr]
            self.count_edit()
            return updated_node.with_changes(value=with_loop_scope(updated_node.value, ctx.scope))
        new = cst.Element(self._new_mark(ctx.scope))
        self.count_edit()
        if isinstance(value, (cst.List, cst.Tuple)):
            return updated_node.with_changes(value=append_element(updated_node.value, new))  # type: ignore[arg-type]
        return updated_node.with_changes(
            value=cst.List([cst.Element(updated_node.value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), new])
        )

    def _insert_pytestmark(self, module: cst.Module, scope: str) -> cst.Module:
        body = list(module.body)
        if pytestmark_assignments(body):
            return module
        mark = self._new_mark(scope)
        statement = cst.SimpleStatementLine(
            body=[cst.Assign(targets=[cst.AssignTarget(cst.Name("pytestmark"))], value=mark)],
            leading_lines=(cst.EmptyLine(),),
        )
        last_import = max(
            (i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine)
             and all(isinstance(x, (cst.Import, cst.ImportFrom)) for x in s.body)),
            default=-1,
        )
        at = last_import + 1
        if at == 0:
            statement = statement.with_changes(leading_lines=())
        body.insert(at, statement)
        if at + 1 < len(body) and not body[at + 1].leading_lines:
            body[at + 1] = body[at + 1].with_changes(leading_lines=(cst.EmptyLine(),))
        self.count_edit()
        return module.with_changes(body=body)

    # -- fixtures ----------------------------------------------------------------------------
    def _fixture_loop_scope(self, original_node, updated_node, info: FixtureInfo, scope: str):
        plain = info.library == "pytest"
        if plain and original_node.asynchronous is None:
            return updated_node
        if info.kwarg("loop_scope") is not None:
            return updated_node
        cache = info.scope()
        if cache is None or scope_rank(cache) > scope_rank(scope):
            return updated_node
        call = with_loop_scope(info.call or info.decorator.decorator, scope)
        if plain:
            call = call.with_changes(func=self.spell("pytest_asyncio.fixture", self.imports))
            self.remove_import_of(info.call or info.decorator.decorator, self.imports)
        index = list(original_node.decorators).index(info.decorator)
        decorators = list(updated_node.decorators)
        decorators[index] = decorators[index].with_changes(decorator=call)
        self.count_edit()
        return updated_node.with_changes(decorators=decorators)

    # -- sync users below a removed override ----------------------------------------------------
    def _note_sync_user(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is not None or self._conftest is None:
            return
        survey, override = self._conftest
        if survey is self._own or override.action != "carry":
            return
        if any(isinstance(p.name, cst.Name) and p.name.value == FIXTURE_NAME for p in (*node.params.params, *node.params.kwonly_params)):
            self.note(
                node,
                f"'{node.name.value}' is sync and requests event_loop, whose override in conftest.py was removed "
                "(pytest-asyncio 1.x has no such fixture): make it async (sync-to-async) or give it a loop of its own",
            )

    def _note_policy_user(self, node: cst.FunctionDef) -> None:
        """A test or fixture that requests ``event_loop_policy`` whose override became the hook:
        the fixture it gets now is pytest-asyncio's, asyncio's default policy."""
        if self._policy_hook is None or node.name.value == POLICY_FIXTURE:
            return
        params = (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)
        if not any(p.name.value == POLICY_FIXTURE for p in params):
            return
        survey, policy = self._policy_hook
        where = "this conftest.py" if survey is self._own else "the conftest.py above"
        self.note(
            node,
            f"'{node.name.value}' requests event_loop_policy, whose override in {where} became the "
            f"pytest_asyncio_loop_factories hook (overriding the fixture is deprecated from pytest-asyncio 1.4): it "
            f"now gets asyncio's default policy, not the one that made {policy.factory}() loops; read the loop "
            "type from asyncio.get_running_loop() in an async test, or call the factory directly",
        )

    def _sync_tests(self, body: Sequence[cst.BaseStatement]) -> list[str]:
        found = []
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef) and collected_test_function(
                stmt, self.project, self.imports, asynchronous=False
            ):
                found.append(stmt.name.value)
        return found



def _loop_branch(kind: str, factory: str | None, class_name: str | None, fixture: str = FIXTURE_NAME) -> LoopFactoryBranch:
    """The hook branch for a test module's (or class's) loop type: uvloop's and asyncio's
    factories in full, with their import; a loop class of the module as ``item.module.X``
    (a conftest.py cannot import a test module)."""
    if kind in ("uvloop", "asyncio"):
        return LoopFactoryBranch(kind, f"{kind}.new_event_loop", ((kind, None),), class_name, fixture)
    assert factory is not None
    return LoopFactoryBranch(factory.split(".")[-1], f"item.module.{factory}", (), class_name, fixture)


def _moved(override: Override) -> tuple[str, ...]:
    return (override.moved_class,) if override.moved_class is not None else ()


def _sync_users_now(module: cst.Module) -> bool:
    """Whether a sync function of the (possibly already rewritten) module takes ``event_loop``."""

    class Finder(cst.CSTVisitor):
        found = False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            if node.asynchronous is None and node.name.value != FIXTURE_NAME:
                params = [*node.params.params, *node.params.kwonly_params, *node.params.posonly_params]
                if any(p.name.value == FIXTURE_NAME for p in params):
                    self.found = True
            return not self.found

    finder = Finder()
    module.visit(finder)
    return finder.found


# ---------------------------------------------------------------------------------------
# helpers


def _no_blank_line_after_header(
    original_node: cst.ClassDef, updated_node: cst.ClassDef, setup_name: str | None
) -> cst.ClassDef:
    """A removed first method leaves the next one's blank lines right under ``class X:``
    (``setup_name``: the setup fixture that took its place, if any)."""
    old, new = original_node.body, updated_node.body
    if not isinstance(old, cst.IndentedBlock) or not isinstance(new, cst.IndentedBlock) or not new.body:
        return updated_node
    first = old.body[0]
    if not isinstance(first, cst.FunctionDef) or first.name.value != FIXTURE_NAME or new.body[0].deep_equals(first):
        return updated_node
    head = new.body[0]
    if isinstance(head, cst.FunctionDef) and head.name.value == setup_name:
        return updated_node
    lines = list(head.leading_lines)
    while lines and lines[0].comment is None:
        lines.pop(0)
    body = [head.with_changes(leading_lines=lines), *new.body[1:]]
    return updated_node.with_changes(body=new.with_changes(body=body))


def _is_bare_yield_line(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.Yield)
        and stmt.body[0].value.value is None
    )
