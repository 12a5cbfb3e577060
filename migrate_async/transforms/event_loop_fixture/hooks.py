"""event-loop-fixture's conftest hooks and requests: an override's loop type becomes a
``pytest_asyncio_loop_factories`` hook (pytest-asyncio calls the hook of the conftest.py
nearest to the test first) or a branch of the covering conftest's hook for a test module's
tests; a root conftest's loop scope becomes the config's default loop scopes, a nested one's
a ``pytest_collection_modifyitems`` hook that marks the tests below its folder; debug mode
becomes ``asyncio_debug``. An ``event_loop_policy`` override becomes the hook too."""

from __future__ import annotations

import libcst as cst

from ...pytest_model.conftest_code import (
    LoopFactoryBranch,
    collection_hook,
    factory_hook,
    loop_key,
)
from ...pytest_model.event_loop import (
    FIXTURE_NAME,
    LOOP_FACTORIES_HOOK_NAME,
    POLICY_FIXTURE,
)
from ...pytest_model.fixtures import FixtureInfo
from ...pytest_model.versions import DEBUG_OPTION, TEST_LOOP_SCOPE_OPTION
from .body import LoopKind
from .policy import PolicyOverride
from .state import LoopOverrideState
from .survey import Override


class LoopFactoryHooks(LoopOverrideState):
    """The hooks, hook branches and config options an override's loop type, scope and
    debug mode become."""

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
                        kind="collection-hook-for-loop-scope",
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
            kind="debug-not-carried",
        )

    def _request_branch(self, override: Override) -> None:
        """The loop type of an override in a test module (or class) goes to the
        ``pytest_asyncio_loop_factories`` hook of the conftest.py that covers the module, as
        a branch for its tests only (pytest_model/conftest_code.py writes it): a hook lives only in
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
        kind: LoopKind = "asyncio" if policy.kind == "default" else policy.kind
        branch = _loop_branch(kind, policy.factory, None, POLICY_FIXTURE)
        self.request_conftest(
            LOOP_FACTORIES_HOOK_NAME,
            "",
            reason=f"the event_loop_policy fixture of this module gave its tests {branch.key} loops",
            branch=branch,
        )

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
                kind="policy-override-left",
                left=True,
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


def read_through_module(override: Override) -> frozenset[str]:
    """The name of the test module that the conftest's hook branch for ``override`` reads
    as ``item.module.X...`` (its loop factory's head: ``async_solipsism`` of
    ``async_solipsism.EventLoop``): the module must keep binding it, though nothing in it
    reads it once the override is gone (a moved class is defined there; uvloop's, asyncio's
    and a helper module's class are imported by the hook itself)."""
    if override.kind in ("uvloop", "asyncio") or override.moved_class is not None or override.factory is None:
        return frozenset()
    if override.kind == "custom" and override.factory_import is not None:
        return frozenset()
    return frozenset({override.factory.split(".")[0]})


def _loop_branch(kind: LoopKind, factory: str | None, class_name: str | None, fixture: str = FIXTURE_NAME) -> LoopFactoryBranch:
    """The hook branch for a test module's (or class's) loop type: uvloop's and asyncio's
    factories in full, with their import; a loop class of the module as ``item.module.X``
    (a conftest.py cannot import a test module)."""
    if kind in ("uvloop", "asyncio"):
        return LoopFactoryBranch(kind, f"{kind}.new_event_loop", ((kind, None),), class_name, fixture)
    assert factory is not None
    return LoopFactoryBranch(loop_key(factory), f"item.module.{factory}", (), class_name, fixture)
