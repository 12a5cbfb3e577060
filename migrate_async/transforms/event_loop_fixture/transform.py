"""event-loop-fixture's rewrite (LibCST). Each ``event_loop`` override the survey carries
goes; its loop scope moves to asyncio marks and ``loop_scope=`` (marks.py) or to the
config's default loop scopes, its loop type to a loop-factories hook (hooks.py), its setup
to an autouse fixture (setup_fixtures.py). One it leaves gets a note with the reason."""

from __future__ import annotations

from typing import Any, TypeVar

import libcst as cst

from ...cstkit.edits import opening_lines, remove_element
from ...cstkit.names import code_of, string_value
from ...imports.edits import drop_imported_name
from ...present import Present
from ...project import FileFacts, ProjectFacts
from ...pytest_model.event_loop import (
    FIXTURE_NAME,
    LOOP_FACTORIES_HOOK_NAME,
    POLICY_FIXTURE,
)
from ...pytest_model.fixtures import FixtureInfo, fixture_decorator, requested_fixtures
from ...pytest_model.marks import is_pytestmark
from ...pytest_model.versions import LOOP_FACTORIES_HOOK, LOOP_SCOPE_KWARG
from ..triggers import Triggers
from .chain import root_loop_scopes
from .examples import EXAMPLES
from .hooks import LoopFactoryHooks, read_through_module
from .idle import below_override, idle_test_module
from .importers import settle_imports
from .judge import kept_import_note, sync_user_left
from .marks import LoopScopeMarks
from .nested import kept_beside, moved_class
from .setup_fixtures import SetupFixtures
from .state import LoopContext
from .survey import survey_source

#: The statements that may set a module's ``__all__``.
_Export = TypeVar("_Export", cst.Assign, cst.AnnAssign, cst.AugAssign)

class EventLoopFixture(LoopScopeMarks, LoopFactoryHooks, SetupFixtures):
    name = "event-loop-fixture"
    summary = "remove event_loop fixture overrides and carry their meaning over to loop scopes, loop factories and config"
    default = True
    legacy_event_loop = True
    # Every file this edits spells pytest (a fixture decorator or an asyncio mark), or
    # event_loop below an override the survey found (matches: idle.py). Files with no
    # override above them or in them are ruled out by applies_to (survey).
    triggers = Triggers(
        all=(b"pytest",),
        produces=(b"pytest_asyncio", b"mark.asyncio"),
        survey=(b"event_loop",),
        survey_also=(LOOP_FACTORIES_HOOK_NAME.encode(),),  # a conftest.py's own hook (resolve_chain)
        # what its survey finds spells pytest (an import, the hook) or imports event_loop (not
        # get_event_loop in library code: survey_source rules that out unparsed)
        survey_any=(b"pytest", b"import"),
    )
    revisit_after = ("sync-to-async",)
    min_target = LOOP_SCOPE_KWARG

    examples = EXAMPLES

    @classmethod
    def survey(cls, source: str, facts: FileFacts) -> Any:
        return survey_source(source, facts)

    certainly_idle = classmethod(idle_test_module)

    @classmethod
    def matches(cls, data: bytes | Present, produced: Any = frozenset(), facts: FileFacts | None = None) -> bool:
        return super().matches(data, produced, facts) or below_override(cls.name, data, facts)

    @classmethod
    def settle(cls, found: dict[str, Any]) -> dict[str, Any]:
        return settle_imports(found)

    @classmethod
    def applies_to(cls, facts: FileFacts) -> bool:
        surveyed = facts.surveyed(cls.name)
        if not surveyed:
            return False
        if super().applies_to(facts):
            return True
        # a 1.x project's own event_loop keeps it out, but not from a policy override there
        policies = any(getattr(s, "policies", ()) for s in surveyed)
        return facts.own_event_loop and facts.project.target >= LOOP_FACTORIES_HOOK and policies

    @classmethod
    def planned_settings(cls, surveyed: tuple[Any, ...], project: ProjectFacts) -> dict[str, str]:
        return root_loop_scopes(surveyed, project.target)

    # -- module --------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        chain = self._chain()
        if not chain:
            return False
        self._read_own(node, chain)
        #: the functions the module (as this pass reads it) defines at its top level
        self._defined_here = frozenset(stmt.name.value for stmt in node.body if isinstance(stmt, cst.FunctionDef))
        if self.facts.own_event_loop:  # (applies_to: a policy override of a 1.x project)
            for stmt in _policy_overrides(node, self.imports):
                self.note(stmt, _POLICY_ON_1X, kind="policy-override-left", left=True)
            return False
        if self.runs_other_framework():
            return False
        self._read_above(chain)
        self._read_module(node)
        return True

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self._needs_pytestmark is not None:
            updated_node = self._insert_pytestmark(updated_node, self._needs_pytestmark)
        return updated_node

    # -- classes ---------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        if self._function_depth:
            return False
        override = self._class_override(node.name.value) if not self._class_stack else None
        ctx: LoopContext | None
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
        return self._scope_class(original_node, updated_node, plain)

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
        if info is not None and _is_override(original_node, info):
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
                kind="class-policy-override-left",
                left=True,
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
        return self._scope_test(original_node, updated_node, ctx)

    # -- the override itself -----------------------------------------------------------------
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
                kind="override-left",
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
        again = override.class_name is None and self._setup_names.get(None) in self._defined_here
        if override.extra == "setup" and not again:
            # (defined already: an earlier pass kept the override for its sync users and
            # added the setup fixture beside it)
            replacement.append(self._setup_fixture(original_node, updated_node, override))
        if self._own.is_conftest:
            replacement.extend(self._conftest_hooks(original_node, override))
        if override.wraps:
            wrap = self._wrap_fixture(original_node, updated_node)
            if wrap is not None:
                replacement.append(wrap)
        if override.debug:
            self._carry_debug(original_node, override)
        reached: frozenset[str] = frozenset()
        if override.branch or (override.under is not None and self.project.target >= LOOP_FACTORIES_HOOK):
            self._request_branch(override)
            reached = read_through_module(override)
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
                kind="conftest-loop-type-reaches",
            )
        self.count_edit()
        if override.action == "keep":
            users = ", ".join(override.sync_users)
            self.note(
                original_node,
                f"event_loop is kept because sync code here requests it ({users}); pytest-asyncio 1.x no longer "
                "runs async tests or fixtures in it, so objects made in it must not reach async code: make "
                "those users async (sync-to-async) and delete this fixture",
                kind="override-kept-for-sync-users",
            )
            return kept_beside(updated_node, replacement, override.moved_class)
        self._schedule_import_removals(original_node, reached)
        if replacement:
            first = replacement[0]
            blank = tuple(line for line in updated_node.leading_lines if line.comment is None)
            own = tuple(line for line in first.leading_lines if line.comment) if override.moved_class else ()
            replacement[0] = first.with_changes(leading_lines=blank + own)
            return cst.FlattenSentinel(replacement)
        return cst.RemovalSentinel.REMOVE

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom):
        """``from tests.helpers import event_loop``: the name goes from the import when the
        module it comes from loses it in this run, or is pytest-asyncio (1.x has no such
        fixture); an imported override's loop type goes to the covering conftest's hook.
        The rest of the import stays."""
        if self._own is None or self._function_depth or self._class_stack or isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        key = (code_of(original_node.module) if original_node.module else "", len(original_node.relative))
        aliases = [a for a in updated_node.names if code_of(a.name) == FIXTURE_NAME and a.evaluated_alias in (None, FIXTURE_NAME)]
        if not aliases:
            return updated_node
        override = self._module_override()
        imported = override if override is not None and override.imported_by == key else None
        if imported is not None and imported.action == "leave":
            self.note(
                original_node,
                f"the event_loop fixture imported here ({imported.imported_from}) is ignored by pytest-asyncio 1.x "
                f"(async tests and fixtures run in its own loops) but was left: {imported.reason}",
                kind="imported-loop-left", left=True,
            )
            return updated_node
        if not (key in self._dropped_imports() or imported is not None):
            return updated_node
        if imported is not None and imported.branch:
            self._request_branch(imported)
        if imported is not None and imported.action == "keep":
            self.count_edit()
            self.note(original_node, kept_import_note(imported), kind="override-kept-for-sync-users")
            return updated_node
        self.count_edit()
        drop_imported_name(self.context, "." * key[1] + key[0], FIXTURE_NAME)  # whatever still reads the name
        return updated_node

    def _without_export(self, node: _Export) -> _Export:
        """``__all__ = [..., "event_loop", ...]`` (or ``__all__: list = ...``, ``__all__ +=
        ...``) without the name, when its import goes."""
        value = node.value
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        if not (
            len(targets) == 1 and isinstance(targets[0], cst.Name) and targets[0].value == "__all__"
            and isinstance(value, (cst.List, cst.Tuple))
        ):
            return node
        override = self._module_override()
        if not self._own.dropped and not (override is not None and override.imported_by and override.action == "carry"):
            return node
        index = next(
            (i for i, e in enumerate(value.elements) if isinstance(e.value, cst.SimpleString) and string_value(e.value) == FIXTURE_NAME),
            None,
        )
        if index is None:
            return node
        self.count_edit()
        return node.with_changes(value=remove_element(value, index))

    def _dropped_imports(self) -> set[tuple[str, int]]:
        """(module, level) of the imports whose ``event_loop`` goes (the survey's lines)."""
        assert self._own is not None
        return {(b.module, b.level) for b, _path in self._own.loop_imports if b.line in self._own.dropped}

    # -- pytestmark ------------------------------------------------------------------------
    def leave_AugAssign(
        self, original_node: cst.AugAssign, updated_node: cst.AugAssign
    ) -> cst.AugAssign | cst.RemovalSentinel:
        if self._exports_at_module_level():
            updated_node = self._without_export(updated_node)
            if isinstance(updated_node.value, (cst.List, cst.Tuple)) and not updated_node.value.elements:
                return cst.RemovalSentinel.REMOVE  # ``__all__ += []`` adds nothing
        return updated_node

    def _exports_at_module_level(self) -> bool:
        return self._own is not None and self._own.exports_loop and not self._function_depth and not self._class_stack

    def leave_AnnAssign(self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign) -> cst.AnnAssign:
        if self._exports_at_module_level():
            updated_node = self._without_export(updated_node)
        # ``pytestmark: list = [...]`` is a pytestmark too
        if original_node.value is None or not is_pytestmark(original_node):
            return updated_node
        return self._scope_pytestmark(original_node, updated_node)  # type: ignore[return-value]

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if self._own is not None and not self._function_depth and not self._class_stack:
            if self._exports_at_module_level():
                updated_node = self._without_export(updated_node)
            if self._own.unfollowed and any(
                isinstance(t.target, cst.Name) and t.target.value == FIXTURE_NAME for t in original_node.targets
            ):
                self.note(
                    original_node,
                    "this module takes its event_loop fixture from another module by assignment, which this tool does "
                    "not follow, so that fixture was left where it is (pytest-asyncio 1.x ignores it: these tests run "
                    "on its own loops): import it by name (from ... import event_loop) and run migrate-async again",
                    kind="imported-loop-left", left=True,
                )
        if not is_pytestmark(original_node):
            return updated_node
        return self._scope_pytestmark(original_node, updated_node)  # type: ignore[return-value]

    # -- notes on code beside a carried override -----------------------------------------------
    def _note_sync_user(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is not None or self._conftest is None or not self._collected_sync_test(node):
            return  # (only a test pytest collects requests a fixture: not a helper function)
        survey, override = self._conftest
        reason = sync_user_left(node.name.value, override) if survey is not self._own else None
        if reason is not None and FIXTURE_NAME in requested_fixtures(node.params, defaults=True):
            self.note(node, reason, kind="sync-user-of-removed-override", left=True)

    def _note_policy_user(self, node: cst.FunctionDef) -> None:
        """A test or fixture that requests ``event_loop_policy`` whose override became the hook:
        the fixture it gets now is pytest-asyncio's, asyncio's default policy."""
        if self._policy_hook is None or node.name.value == POLICY_FIXTURE:
            return
        if POLICY_FIXTURE not in requested_fixtures(node.params, positional_only=True, defaults=True):
            return
        survey, policy = self._policy_hook
        where = "this conftest.py" if survey is self._own else "the conftest.py above"
        self.note(
            node,
            f"'{node.name.value}' requests event_loop_policy, whose override in {where} became the "
            f"pytest_asyncio_loop_factories hook (overriding the fixture is deprecated from pytest-asyncio 1.4): it "
            f"now gets asyncio's default policy, not the one that made {policy.factory}() loops; read the loop "
            "type from asyncio.get_running_loop() in an async test, or call the factory directly",
            kind="policy-fixture-user",
        )

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
        params = set(requested_fixtures(node.params, defaults=True))
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
                kind="conftest-fixture-loop-changes",
            )


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
    body = [head.with_changes(leading_lines=opening_lines(head.leading_lines)), *new.body[1:]]
    return updated_node.with_changes(body=new.with_changes(body=body))


#: A project on 1.x whose own event_loop serves the file: its event_loop_policy overrides
#: are all this transform still has to say.
_POLICY_ON_1X = (
    "overriding the event_loop_policy fixture is deprecated from pytest-asyncio 1.4 (a "
    "PytestDeprecationWarning for every test): give the loop type it chooses from a "
    "pytest_asyncio_loop_factories(config, item) hook in conftest.py, then delete it"
)


def _policy_overrides(node: cst.Module, imports) -> list[cst.FunctionDef]:
    """The module-level ``event_loop_policy`` fixture definitions of a module."""
    found = []
    for stmt in node.body:
        info = fixture_decorator(stmt, imports) if isinstance(stmt, cst.FunctionDef) else None
        if info is not None and info.registered_name(stmt) == POLICY_FIXTURE:
            found.append(stmt)
    return found


def _is_override(node: cst.FunctionDef, info: FixtureInfo) -> bool:
    """The function is an ``event_loop`` fixture: by its name, or registered as one (``name=``)."""
    if node.name.value == FIXTURE_NAME:
        return True
    name = info.kwarg("name")
    return name is not None and string_value(name.value) == FIXTURE_NAME
