"""event-loop-fixture: remove ``event_loop`` fixture overrides and carry their meaning over.

What:
    Finds every user-defined ``event_loop`` fixture (``pytest.fixture`` or
    ``pytest_asyncio.fixture``, generator or return form, any ``scope``) in a survey pass:
    in the root conftest.py (the one next to the pytest configuration), a nested conftest.py,
    a test module or a test class. It removes the override and moves what it meant to the
    pytest-asyncio 1.x forms:

    - its scope S becomes a loop scope. Root conftest: ``asyncio_default_test_loop_scope = S``
      and ``asyncio_default_fixture_loop_scope = S`` in the pytest configuration (target
      ≥ 0.26; for 0.24–0.25 the fixture option plus a ``pytest_collection_modifyitems`` hook
      that marks the tests). Nested conftest: that hook, limited to the conftest's folder, and
      ``loop_scope=S`` on the async fixtures of that subtree (when a loop-factories hook is
      involved, ``pytestmark`` in each module of the subtree instead: pytest-asyncio 1.5
      settles a test's loop before the collection hook could mark it). Test module:
      ``pytestmark = pytest.mark.asyncio(loop_scope=S)`` (merged into an existing
      ``pytestmark``). Test class: ``@pytest.mark.asyncio(loop_scope=S)`` on the class. Bare
      ``@pytest.mark.asyncio`` marks under a module or class mark get the same ``loop_scope``
      (the closest mark wins), and async fixtures get ``loop_scope=S`` (plain
      ``@pytest.fixture`` coroutines become ``@pytest_asyncio.fixture``, the only decorator
      that takes ``loop_scope``). A module or class that also holds sync tests gets the
      loop scope on each async test's mark instead of a module/class mark.
    - its loop type: ``uvloop.new_event_loop()``, ``uvloop.EventLoopPolicy`` or a custom loop
      class becomes a ``pytest_asyncio_loop_factories`` hook in the same conftest (target
      ≥ 1.4; an ``event_loop_policy`` fixture for uvloop on older targets).
      ``loop.set_debug(True)`` in the root conftest becomes ``asyncio_debug = true`` (≥ 1.2).
    - setup and teardown that do not touch the loop (environment, mock servers, temp data)
      stay, as an autouse fixture ``event_loop_setup`` of the same scope.

Why:
    pytest-asyncio 1.0 removed the ``event_loop`` fixture. A user-defined override is now
    an ordinary fixture that nothing requests: no warning, the loop it built is never used,
    and async tests and fixtures run in pytest-asyncio's own function-scoped loops. Suites
    that shared a session loop fail with "attached to a different loop" or, worse, pass
    while testing something else (a uvloop suite silently runs on the default loop).

Safety:
    Only fixtures named ``event_loop`` (or registered with ``name="event_loop"``) declared
    with ``pytest.fixture``/``pytest_asyncio.fixture`` at module or class level are touched;
    variables, parameters, helpers and nested functions of that name are not. A test module
    with no coroutine and no asyncio mark keeps its ``event_loop`` fixture (sync tests use it
    as a plain fixture), and so do anyio/trio modules. Left in place and reported: a scope
    that is not a literal, an override whose body does more with the loop (exception
    handler, ``run_until_complete``, attributes), a custom loop type in a test module or
    class (the factory hook must live in a conftest.py), a conftest that already defines the
    hook this would add. An override that sync code of the same file requests is kept (sync
    code may still use it) and reported. ``event_loop`` *parameters* are left to
    ``event-loop-argument`` and ``sync-to-async``; sync ones below a removed override are
    reported.
"""

from __future__ import annotations

import ast
import os
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import libcst as cst

from ..cstkit.edits import append_kwarg, is_docstring, make_kwarg
from ..cstkit.names import code_of, head_name, literal_repr, string_value
from ..imports.resolve import ImportMap
from ..project import SCOPES, FileFacts, project_root, scope_rank
from ..pytest_model.fixtures import FixtureInfo, fixture_decorator, with_loop_scope
from ..pytest_model.frameworks import (
    other_framework_uses_ast,
    uses_other_async_framework,
)
from ..pytest_model.marks import mark_info, marks_in_value, pytestmark_assignments
from .event_loop_fixture_examples import EXAMPLES
from .transform import MigrationContext, Transform

FIXTURE_NAME = "event_loop"
SETUP_NAME = "event_loop_setup"
_ASYNCIO_CREATORS = frozenset(
    {
        "asyncio.new_event_loop",
        "asyncio.get_event_loop",
        "asyncio.SelectorEventLoop",
        "asyncio.DefaultEventLoopPolicy",
    }
)
_UVLOOP_CREATORS = frozenset({"uvloop.new_event_loop", "uvloop.Loop"})
_IGNORED_CALLS = frozenset({"asyncio.set_event_loop"})


# ---------------------------------------------------------------------------------------
# survey (ast)


@dataclass(frozen=True)
class Override:
    """One ``event_loop`` fixture override, as the survey found it."""

    line: int
    class_name: str | None  # None: module level
    scope: str | None  # None: not a literal
    kind: str  # "asyncio", "uvloop", "custom"
    factory: str | None  # dotted expression of a zero-argument loop factory
    debug: bool
    extra: str  # "none", "setup" (does not touch the loop), "loop" (does)
    action: str  # "carry", "keep" (sync users in the file), "leave"
    reason: str = ""
    sync_users: tuple[str, ...] = ()

    @property
    def widens(self) -> bool:
        return self.action != "leave" and self.scope not in (None, "function")


@dataclass(frozen=True)
class Survey:
    path: str  # realpath
    is_conftest: bool
    is_root: bool
    overrides: tuple[Override, ...] = ()


def _ast_imports(tree: ast.Module) -> dict[str, str]:
    names: dict[str, str] = {}

    def walk(body: Sequence[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.asname:
                        names[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        names[top] = top
            elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
                for alias in stmt.names:
                    if alias.name != "*":
                        names[alias.asname or alias.name] = f"{stmt.module}.{alias.name}"
            elif isinstance(stmt, ast.If):
                walk(stmt.body)
                walk(stmt.orelse)
            elif isinstance(stmt, ast.Try):
                walk(stmt.body)
                for handler in stmt.handlers:
                    walk(handler.body)
                walk(stmt.orelse)

    walk(tree.body)
    return names


def _ast_dotted(expr: ast.AST) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        head = _ast_dotted(expr.value)
        return f"{head}.{expr.attr}" if head else None
    return None


def _ast_qualify(expr: ast.AST, imports: dict[str, str]) -> str | None:
    dotted = _ast_dotted(expr)
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    full = imports.get(head)
    if full is None:
        return None
    return f"{full}.{rest}" if rest else full


def _ast_fixture(func: ast.FunctionDef | ast.AsyncFunctionDef, imports: dict[str, str]) -> ast.expr | None:
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if _ast_qualify(target, imports) in ("pytest.fixture", "pytest_asyncio.fixture"):
            return decorator
    return None


def _fixture_name(func: ast.FunctionDef | ast.AsyncFunctionDef, decorator: ast.expr) -> str:
    if isinstance(decorator, ast.Call):
        for keyword in decorator.keywords:
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
    return func.name


def _ast_scope(decorator: ast.expr) -> str | None:
    if not isinstance(decorator, ast.Call):
        return "function"
    for keyword in decorator.keywords:
        if keyword.arg == "scope":
            value = keyword.value
            if isinstance(value, ast.Constant) and value.value in SCOPES:
                return value.value
            return None
    return "function"


@dataclass
class _BodyFacts:
    kind: str = "asyncio"
    factory: str | None = None
    debug: bool = False
    loop_names: set[str] = field(default_factory=set)
    policy_names: set[str] = field(default_factory=set)
    created: bool = False
    extra: str = "none"
    nested_extra: bool = False  # extra statements inside try/with blocks


#: Libraries whose zero-argument calls make asyncio-compatible loops.
_LOOP_LIBRARIES = ("async_solipsism.", "qasync.", "winloop.", "rloop.", "tokio.")
#: Classes a module-level loop class derives from (directly or through another one).
_LOOP_BASES = frozenset(
    {
        "asyncio.AbstractEventLoop", "asyncio.BaseEventLoop", "asyncio.SelectorEventLoop",
        "asyncio.ProactorEventLoop", "asyncio.base_events.BaseEventLoop",
        "asyncio.selector_events.BaseSelectorEventLoop", "asyncio.unix_events.SelectorEventLoop",
        "asyncio.events.AbstractEventLoop", "uvloop.Loop",
    }
)


def _loop_classes(tree: ast.Module, imports: dict[str, str]) -> set[str]:
    """Module-level classes that are asyncio event loops: a ``MainLoop`` of a GUI toolkit
    is not one, and an ``event_loop`` fixture returning it is not pytest-asyncio's."""
    found: set[str] = set()
    changed = True
    classes = [s for s in tree.body if isinstance(s, ast.ClassDef)]
    while changed:
        changed = False
        for cls in classes:
            if cls.name in found:
                continue
            for base in cls.bases:
                full = _ast_qualify(base, imports)
                dotted = _ast_dotted(base)
                if (full in _LOOP_BASES) or (full or "").startswith(_LOOP_LIBRARIES) or dotted in found:
                    found.add(cls.name)
                    changed = True
                    break
    return found


class _BodyReader:
    """Sorts the statements of an override into 'makes/closes the loop' and 'anything else'."""

    def __init__(self, imports: dict[str, str], local_classes: set[str]) -> None:
        self.imports = imports
        self.local_classes = local_classes
        self.facts = _BodyFacts()

    def creator(self, expr: ast.AST) -> tuple[str, str | None] | None:
        """(kind, factory) when ``expr`` makes a new loop."""
        if not isinstance(expr, ast.Call):
            return None
        full = _ast_qualify(expr.func, self.imports)
        if full in _ASYNCIO_CREATORS:
            return "asyncio", None
        if full in _UVLOOP_CREATORS:
            return "uvloop", "uvloop.new_event_loop"
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr == "new_event_loop":
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id in self.facts.policy_names:
                return "asyncio", None
            if isinstance(owner, ast.Call):
                owner_full = _ast_qualify(owner.func, self.imports)
                if owner_full == "asyncio.get_event_loop_policy":
                    return "asyncio", None
                if owner_full == "uvloop.EventLoopPolicy":
                    return "uvloop", "uvloop.new_event_loop"
        if not expr.args and not expr.keywords:
            dotted = _ast_dotted(func)
            if dotted is not None:
                head = dotted.split(".")[0]
                if head in self.local_classes or (full or "").startswith(_LOOP_LIBRARIES):
                    return "custom", dotted
        return None

    def uses_loop(self, node: ast.AST) -> bool:
        return any(isinstance(n, ast.Name) and n.id in self.facts.loop_names for n in ast.walk(node))

    def is_loop_only(self, stmt: ast.stmt) -> bool:
        """Whether the statement only makes, configures (debug, policy) or closes the loop."""
        f = self.facts
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            return True  # docstring
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            found = self.creator(stmt.value)
            if found is not None:
                self._set_kind(*found)
                f.loop_names.add(stmt.targets[0].id)
                f.created = True
                return True
            if isinstance(stmt.value, ast.Call) and _ast_qualify(stmt.value.func, self.imports) == "asyncio.get_event_loop_policy":
                f.policy_names.add(stmt.targets[0].id)
                return True
            return False
        if isinstance(stmt, (ast.Return, ast.Expr)):
            value = stmt.value
            if isinstance(value, ast.Yield):
                value = value.value
            if value is None:
                return False
            if isinstance(value, ast.Name) and value.id in f.loop_names:
                return True
            found = self.creator(value)
            if found is not None:
                self._set_kind(*found)
                f.created = True
                return True
            if not isinstance(value, ast.Call):
                return False
            full = _ast_qualify(value.func, self.imports)
            if full in _IGNORED_CALLS:
                return True
            if full == "asyncio.set_event_loop_policy":
                arg = value.args[0] if value.args else None
                if isinstance(arg, ast.Call) and _ast_qualify(arg.func, self.imports) == "uvloop.EventLoopPolicy":
                    self._set_kind("uvloop", "uvloop.new_event_loop")
                    return True
                return isinstance(arg, ast.Constant) and arg.value is None
            func = value.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in f.loop_names:
                if func.attr == "close" and not value.args:
                    return True
                if func.attr == "set_debug" and len(value.args) == 1 and isinstance(value.args[0], ast.Constant):
                    f.debug = bool(value.args[0].value)
                    return True
                if func.attr == "run_until_complete" and len(value.args) == 1:
                    inner = value.args[0]
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Attribute)
                        and inner.func.attr in ("shutdown_asyncgens", "shutdown_default_executor")
                    ):
                        return True
        return False

    def _set_kind(self, kind: str, factory: str | None) -> None:
        if kind != "asyncio" or self.facts.kind == "asyncio":
            self.facts.kind, self.facts.factory = kind, factory

    def read(self, body: Sequence[ast.stmt], nested: bool = False) -> None:
        for stmt in body:
            if self.is_loop_only(stmt):
                continue
            if isinstance(stmt, ast.Try) and not stmt.handlers and not stmt.orelse:
                self.read(stmt.body, True)
                self.read(stmt.finalbody, True)
                continue
            self._extra(stmt, nested)

    def _extra(self, stmt: ast.stmt, nested: bool) -> None:
        f = self.facts
        if self.uses_loop(stmt):
            f.extra = "loop"
        elif f.extra == "none":
            f.extra = "setup"
        if nested:
            f.nested_extra = True


def _sync_users(tree: ast.Module) -> tuple[str, ...]:
    """Sync functions of the module (tests, fixtures, helpers) with an ``event_loop`` parameter."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name != FIXTURE_NAME:
            if any(a.arg == FIXTURE_NAME for a in node.args.args + node.args.kwonlyargs):
                found.append(node.name)
    return tuple(found)


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


def _defines(tree: ast.Module, name: str) -> bool:
    return any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name for s in tree.body)


def _uses_pytest_asyncio(source: str) -> bool:
    return "async def" in source or "mark.asyncio" in source or "pytest_asyncio" in source


def survey_source(source: str, facts: FileFacts) -> Survey | None:
    tree = ast.parse(source)
    imports = _ast_imports(tree)
    if not any(v.split(".")[0] in ("pytest", "pytest_asyncio") for v in imports.values()):
        return None
    is_conftest = os.path.basename(facts.path) == "conftest.py"
    if not is_conftest:
        # A module with no coroutine and no asyncio mark: its event_loop is a plain fixture
        # that sync tests use; the same for anyio/trio modules.
        if not _uses_pytest_asyncio(source):
            return None
        if other_framework_uses_ast(tree) and "mark.asyncio" not in source and "pytest_asyncio" not in source:
            return None
    local_classes = _loop_classes(tree, imports)
    target = facts.project.target
    sync_users = _sync_users(tree)
    candidates: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str | None]] = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            candidates.append((stmt, None))
        elif isinstance(stmt, ast.ClassDef) and not is_conftest:
            for inner in stmt.body:
                if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    candidates.append((inner, stmt.name))
    overrides = []
    for func, class_name in candidates:
        decorator = _ast_fixture(func, imports)
        if decorator is None or _fixture_name(func, decorator) != FIXTURE_NAME:
            continue
        reader = _BodyReader(imports, local_classes)
        reader.read(func.body)
        body = reader.facts
        scope = _ast_scope(decorator)
        where_conftest = is_conftest
        action, reason = "carry", ""
        if isinstance(func, ast.AsyncFunctionDef):
            action, reason = "leave", "an async event_loop fixture is not a loop override pytest-asyncio ever used"
        elif scope is None:
            action, reason = "leave", "its scope is not a string literal, so the loop scope to carry over is unknown"
        elif func.name != FIXTURE_NAME:
            action, reason = "leave", "it is registered under another function name (name=\"event_loop\")"
        elif not body.created and body.kind == "asyncio":
            action, reason = "leave", "it does not create the loop in a way this tool recognises"
        elif body.extra == "loop":
            action, reason = "leave", (
                "its body does more with the loop than create and close it (exception handler, "
                "run_until_complete, attributes); move that into an async autouse fixture that uses "
                "asyncio.get_running_loop(), with a matching loop_scope"
            )
        elif body.extra == "setup" and body.nested_extra:
            action, reason = "leave", (
                "its setup/teardown is interleaved with the loop's in try/finally; keep the setup as an "
                "autouse fixture of the same scope"
            )
        elif body.kind != "asyncio" and not where_conftest:
            action, reason = "leave", (
                f"it makes a {body.kind} loop ({body.factory}); a loop type can only be chosen by a "
                "pytest_asyncio_loop_factories hook in a conftest.py (inspect item.path there to limit it "
                "to this module) or pytest.mark.asyncio(loop_factories=[...])"
            )
        elif body.kind == "custom" and target < (1, 4):
            action, reason = "leave", (
                f"it makes a custom loop ({body.factory}); below pytest-asyncio 1.4 that needs an "
                "event_loop_policy fixture whose policy returns that loop"
            )
        elif body.kind != "asyncio" and _defines(tree, "pytest_asyncio_loop_factories" if target >= (1, 4) else "event_loop_policy"):
            action, reason = "leave", "the conftest already defines the loop-factories hook (or event_loop_policy); add this loop type to it"
        elif (
            where_conftest
            and scope != "function"
            and _defines(tree, "pytest_collection_modifyitems")
            and not (_is_root(facts) and target >= (0, 26))
        ):
            action, reason = "leave", (
                "the conftest already has a pytest_collection_modifyitems hook; add "
                f"pytest.mark.asyncio(loop_scope=\"{scope}\") to the async tests below this folder there"
            )
        elif sync_users:
            action = "keep"
        overrides.append(
            Override(
                line=func.lineno,
                class_name=class_name,
                scope=scope,
                kind=body.kind,
                factory=body.factory,
                debug=body.debug,
                extra=body.extra,
                action=action,
                reason=reason,
                sync_users=sync_users,
            )
        )
    if not overrides:
        return None
    return Survey(
        path=os.path.realpath(facts.path),
        is_conftest=is_conftest,
        is_root=is_conftest and _is_root(facts),
        overrides=tuple(overrides),
    )


def _is_root(facts: FileFacts) -> bool:
    root = project_root(facts.project)
    if root is None:
        return True
    return os.path.realpath(os.path.dirname(os.path.abspath(facts.path))) == os.path.realpath(root)


# ---------------------------------------------------------------------------------------
# the rewrite (LibCST)


def _is_bare_asyncio(info) -> bool:
    return info.name == "asyncio" and info.kwarg("loop_scope") is None and info.kwarg("scope") is None and not any(
        a.keyword is None for a in info.args
    )


@dataclass
class _Context:
    """The loop scope pushed down on one module or class."""

    scope: str  # the loop scope S
    marks: bool  # bare marks below get loop_scope=S (module/class override)
    fixtures: bool  # async fixtures get loop_scope=S


class EventLoopFixture(Transform):
    name = "event-loop-fixture"
    summary = "remove event_loop fixture overrides and carry their meaning over to loop scopes, loop factories and config"
    default = True
    # Every file this edits spells pytest (a fixture decorator or an asyncio mark); files
    # with no override above them or in them are ruled out by applies_to (survey).
    triggers = (b"pytest",)
    survey_triggers = (b"event_loop",)
    produces = (b"pytest_asyncio", b"mark.asyncio")
    revisit_after = ("sync-to-async",)
    min_target = (0, 24)
    DESCRIPTION = summary

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._imports = ImportMap()
        self._own: Survey | None = None
        self._conftest: tuple[Survey, Override] | None = None
        self._module_ctx: _Context | None = None
        self._class_stack: list[_Context | None] = []
        self._function_depth = 0
        self._sync_module = False
        self._needs_pytestmark: str | None = None
        self._removed_modules: set[str] = set()
        self._class_names: list[str] = []
        self._local_classes: set[str] = set()

    # -- survey --------------------------------------------------------------------------
    @classmethod
    def survey(cls, source: str, facts: FileFacts) -> Any:
        return survey_source(source, facts)

    @classmethod
    def applies_to(cls, facts: FileFacts) -> bool:
        return super().applies_to(facts) and bool(facts.surveyed(cls.name))

    # -- module --------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        chain = self.facts.surveyed(self.name)
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
        self._imports = ImportMap.collect(node, self.index)
        if uses_other_async_framework(node, self._imports, self.index):
            return False
        # the conftest override nearest to this file (a conftest's own counts for itself)
        conftests = [s for s in chain if s.is_conftest]
        if conftests:
            nearest = conftests[-1]
            override = next((o for o in nearest.overrides if o.class_name is None), None)
            if override is not None and override.action != "leave":
                self._conftest = (nearest, override)
        try:
            self._local_classes = _loop_classes(ast.parse(self.source), dict(self._imports.names))
        except (SyntaxError, ValueError):
            self._local_classes = set()
        module_override = self._module_override()
        if module_override is not None:
            if module_override.widens:
                self._module_ctx = _Context(module_override.scope, True, True)
        elif self._conftest is not None:
            survey, override = self._conftest
            # the root's loop scope reaches fixtures through asyncio_default_fixture_loop_scope
            if override.widens and not survey.is_root:
                # with a loop-factories hook, pytest-asyncio 1.5 settles a test's loop before
                # pytest_collection_modifyitems runs, so the subtree's modules carry the mark
                self._module_ctx = _Context(override.scope, self._factories_in_chain(), True)
        if self._module_ctx is not None and self._module_ctx.marks:
            self._sync_module = bool(self._sync_tests(node.body))
            if not self._sync_module and not pytestmark_assignments(node.body) and not self.facts.is_conftest:
                self._needs_pytestmark = self._module_ctx.scope
        return True

    def _factories_in_chain(self) -> bool:
        """Whether an override above (or in) this file becomes a loop-factories hook."""
        return any(
            o.kind != "asyncio" and o.factory is not None and o.action != "leave"
            for survey in self.facts.surveyed(self.name)
            for o in survey.overrides
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
        elif override is not None and override.widens:
            ctx = _Context(override.scope, True, True)
        else:
            ctx = self._current()
        self._class_stack.append(ctx)
        self._class_names.append(node.name.value)
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        ctx = self._class_stack.pop()
        self._class_names.pop()
        if self._class_stack:
            return updated_node
        updated_node = _no_blank_line_after_header(original_node, updated_node)
        override = self._class_override(original_node.name.value)
        own_class = override is not None and override.widens and ctx is not None
        if own_class:
            body = original_node.body.body if isinstance(original_node.body, cst.IndentedBlock) else ()
            if self._sync_tests(body):
                return self._mark_tests_one_by_one(updated_node, ctx.scope)
            return self._class_mark(original_node, updated_node, ctx.scope)
        outer = self._module_ctx
        if outer is not None and outer.marks and self.project.is_test_class_name(original_node.name.value):
            if self._sync_module:
                return self._mark_tests_one_by_one(updated_node, outer.scope)
            return self._scope_bare_class_marks(original_node, updated_node, outer.scope)
        return updated_node

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
        info = fixture_decorator(original_node, self._imports)
        class_name = None
        if self._class_stack:
            if len(self._class_stack) > 1:
                return updated_node
            class_name = self._enclosing_class
        if info is not None and self._is_override(original_node, info):
            return self._replace_override(original_node, updated_node, class_name)
        ctx = self._current()
        if info is not None:
            if ctx is not None and ctx.fixtures:
                return self._fixture_loop_scope(original_node, updated_node, info, ctx.scope)
            return updated_node
        self._note_sync_user(original_node)
        if ctx is None or not ctx.marks:
            return updated_node
        if original_node.asynchronous is None or not self.project.is_test_function_name(original_node.name.value):
            return updated_node
        mixed = self._sync_module if not self._class_stack else False
        return self._scope_test_marks(original_node, updated_node, ctx.scope, add_missing=mixed)

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
            self.note(
                original_node,
                "this event_loop fixture override is ignored by pytest-asyncio 1.x (async tests and fixtures "
                f"run in pytest-asyncio's own loops) but was left in place: {override.reason}; then delete it",
            )
            return updated_node
        assert self._own is not None
        replacement: list[cst.BaseStatement] = []
        if override.extra == "setup":
            replacement.append(self._setup_fixture(original_node, updated_node))
        if self._own.is_conftest:
            replacement.extend(self._conftest_hooks(original_node, override))
        if override.debug:
            self._carry_debug(original_node, override)
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
            replacement[0] = first.with_changes(leading_lines=blank)
            return cst.FlattenSentinel(replacement)
        return cst.RemovalSentinel.REMOVE

    def _schedule_import_removals(self, node: cst.FunctionDef) -> None:
        for local, full in self._imports.names.items():
            if full in ("asyncio", "uvloop", "pytest", "pytest_asyncio") and local not in self._removed_modules:
                self._removed_modules.add(local)
                self.remove_unused_import(full, asname=None if local == full else local)

    def _setup_fixture(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        """The override minus the loop: an autouse fixture of the same scope."""
        reader = _BodyReader(dict(self._imports.names), self._local_classes)
        kept: list[cst.BaseStatement] = []
        body = updated_node.body
        assert isinstance(body, cst.IndentedBlock)
        for stmt in body.body:
            parsed = ast.parse(textwrap.dedent(code_of(stmt))).body
            if len(parsed) == 1 and reader.is_loop_only(parsed[0]):
                if _yields(parsed[0]):
                    kept.append(stmt.with_changes(body=[cst.Expr(cst.Yield())]))
                continue
            kept.append(stmt)
        if kept and isinstance(kept[0], cst.SimpleStatementLine) and is_docstring(kept[0]):
            kept = kept[1:]
        info = fixture_decorator(original_node, self._imports)
        assert info is not None
        decorators = list(updated_node.decorators)
        index = list(original_node.decorators).index(info.decorator)
        call = info.call if info.call is not None else cst.Call(func=info.decorator.decorator)
        call = append_kwarg(call, make_kwarg("autouse", cst.Name("True")))
        decorators[index] = decorators[index].with_changes(decorator=call)
        self.note(
            original_node,
            f"the setup/teardown of this event_loop override now runs in the autouse fixture {SETUP_NAME} "
            "(the loop itself comes from pytest-asyncio); it also runs for sync tests now: check that it may, "
            "and give it a better name",
        )
        return updated_node.with_changes(
            name=cst.Name(SETUP_NAME),
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
                if target >= (0, 26):
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
        # a second pass over a module this already rewrote (revisit_after) adds no hook twice
        existing = {
            stmt.name.value for stmt in (self.module.body if self.context.wrapper is not None else ())
            if isinstance(stmt, cst.FunctionDef)
        }
        return [s for s in statements if not (isinstance(s, cst.FunctionDef) and s.name.value in existing)]

    def _carry_debug(self, original_node: cst.FunctionDef, override: Override) -> None:
        assert self._own is not None
        if self._own.is_root and self.project.target >= (1, 2):
            self.request_config("asyncio_debug", True, "the root conftest's event_loop fixture turned on asyncio debug mode")
            return
        why = "asyncio_debug needs pytest-asyncio 1.2" if self.project.target < (1, 2) else (
            "asyncio_debug = true applies to the whole run, not only to the tests this override served"
        )
        self.note(
            original_node,
            f"this event_loop override turned on asyncio debug mode, which is not carried over ({why}); set "
            "asyncio_debug = true (or run with --asyncio-debug) if the tests rely on it",
        )

    def _spell(self, full: str) -> str:
        return code_of(self.spell(full, self._imports))

    def _collection_hook(self, scope: str, limited: bool) -> cst.BaseStatement:
        pytest_name = self._spell("pytest.mark.asyncio")
        is_async = self._spell("pytest_asyncio.is_async_test")
        lines = [
            "def pytest_collection_modifyitems(items):",
            f'    # The async tests {"below this folder" if limited else "of the project"} share one {scope} '
            "loop, as with the event_loop",
            "    # fixture this hook replaces (pytest-asyncio 1.x); an explicit loop_scope wins.",
        ]
        if limited:
            path = self._spell("pathlib.Path")
            lines.append(f"    here = {path}(__file__).parent")
        lines += [
            "    for item in items:",
            '        mark = item.get_closest_marker("asyncio")',
            "        if (",
            f"            {is_async}(item)",
        ]
        if limited:
            lines.append("            and item.path.is_relative_to(here)")
        lines += [
            '            and (mark is None or "loop_scope" not in mark.kwargs)',
            "        ):",
            f"            item.add_marker({pytest_name}(loop_scope={literal_repr(scope)}), append=False)",
        ]
        statement = cst.parse_statement("\n".join(lines) + "\n")
        self.count_edit()
        return statement.with_changes(leading_lines=(cst.EmptyLine(), cst.EmptyLine()))

    def _factory_hook(self, override: Override) -> cst.BaseStatement:
        assert override.factory is not None
        target = self.project.target
        if override.kind == "uvloop":
            factory = self._spell("uvloop.new_event_loop")
            key = "uvloop"
        else:
            factory = override.factory
            key = override.factory.split(".")[-1]
        if target >= (1, 4):
            code = (
                "def pytest_asyncio_loop_factories(config, item):\n"
                f"    return {{{literal_repr(key)}: {factory}}}\n"
            )
        else:
            fixture = self._spell("pytest.fixture")
            policy = self._spell("uvloop.EventLoopPolicy")
            code = (
                f'@{fixture}(scope="session")\n'
                "def event_loop_policy():\n"
                f"    return {policy}()\n"
            )
        self.count_edit()
        return cst.parse_statement(code).with_changes(leading_lines=(cst.EmptyLine(), cst.EmptyLine()))

    # -- marks -----------------------------------------------------------------------------
    def _new_mark(self, scope: str) -> cst.Call:
        return with_loop_scope(self.spell("pytest.mark.asyncio", self._imports), scope)

    def _scope_test_marks(self, original_node, updated_node, scope: str, add_missing: bool):
        decorators = list(updated_node.decorators)
        found = False
        changed = False
        for i, decorator in enumerate(original_node.decorators):
            info = mark_info(decorator.decorator, self._imports)
            if info is None or info.name != "asyncio":
                continue
            found = True
            if _is_bare_asyncio(info):
                decorators[i] = decorators[i].with_changes(
                    decorator=with_loop_scope(decorators[i].decorator, scope)
                )
                changed = True
        if not found and add_missing:
            decorators.insert(0, cst.Decorator(decorator=self._new_mark(scope)))
            changed = True
        if not changed:
            return updated_node
        self.count_edit()
        return updated_node.with_changes(decorators=decorators)

    def _mark_tests_one_by_one(self, updated_node: cst.ClassDef, scope: str) -> cst.ClassDef:
        """A class (or a module's class) that also holds sync tests: mark its async tests."""
        assert isinstance(updated_node.body, cst.IndentedBlock)
        body = []
        for stmt in updated_node.body.body:
            if (
                isinstance(stmt, cst.FunctionDef)
                and stmt.asynchronous is not None
                and self.project.is_test_function_name(stmt.name.value)
                and fixture_decorator(stmt, self._imports) is None
            ):
                stmt = self._scope_test_marks(stmt, stmt, scope, add_missing=True)
            body.append(stmt)
        return updated_node.with_changes(body=updated_node.body.with_changes(body=body))

    def _class_mark(self, original_node: cst.ClassDef, updated_node: cst.ClassDef, scope: str) -> cst.ClassDef:
        decorators = list(updated_node.decorators)
        for i, decorator in enumerate(original_node.decorators):
            info = mark_info(decorator.decorator, self._imports)
            if info is not None and info.name == "asyncio":
                if _is_bare_asyncio(info):
                    decorators[i] = decorators[i].with_changes(
                        decorator=with_loop_scope(decorators[i].decorator, scope)
                    )
                    self.count_edit()
                    return self._scope_bare_method_marks(updated_node.with_changes(decorators=decorators), scope)
                self.note(decorator, f"this class's event_loop override was {scope}-scoped; check that this "
                          f"asyncio mark asks for loop_scope=\"{scope}\"")
                return updated_node
        decorators.append(cst.Decorator(decorator=self._new_mark(scope)))
        self.count_edit()
        return self._scope_bare_method_marks(updated_node.with_changes(decorators=decorators), scope)

    def _scope_bare_method_marks(self, updated_node: cst.ClassDef, scope: str) -> cst.ClassDef:
        assert isinstance(updated_node.body, cst.IndentedBlock)
        body = []
        for stmt in updated_node.body.body:
            if isinstance(stmt, cst.FunctionDef) and stmt.asynchronous is not None:
                stmt = self._scope_test_marks(stmt, stmt, scope, add_missing=False)
            body.append(stmt)
        return updated_node.with_changes(body=updated_node.body.with_changes(body=body))

    def _scope_bare_class_marks(self, original_node: cst.ClassDef, updated_node: cst.ClassDef, scope: str) -> cst.ClassDef:
        """A class under a module loop scope: its own bare asyncio mark would win; scope it."""
        decorators = list(updated_node.decorators)
        changed = False
        for i, decorator in enumerate(original_node.decorators):
            info = mark_info(decorator.decorator, self._imports)
            if info is not None and _is_bare_asyncio(info):
                decorators[i] = decorators[i].with_changes(
                    decorator=with_loop_scope(decorators[i].decorator, scope)
                )
                changed = True
        if not changed:
            return updated_node
        self.count_edit()
        return updated_node.with_changes(decorators=decorators)

    # -- pytestmark ------------------------------------------------------------------------
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
        marks = marks_in_value(value, self._imports)
        asyncio_marks = [m for m in marks if m.name == "asyncio"]
        if asyncio_marks:
            mark = asyncio_marks[0]
            if not _is_bare_asyncio(mark):
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
            call = call.with_changes(func=self.spell("pytest_asyncio.fixture", self._imports))
            head = head_name(info.call or info.decorator.decorator)
            if head is not None and head not in self._removed_modules:
                self._removed_modules.add(head)
                full = self._imports.names.get(head)
                if full == "pytest":
                    self.remove_unused_import("pytest", asname=None if head == "pytest" else head)
                elif full == "pytest.fixture":
                    self.remove_unused_import("pytest", "fixture", asname=None if head == "fixture" else head)
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

    def _sync_tests(self, body: Sequence[cst.BaseStatement]) -> list[str]:
        found = []
        for stmt in body:
            if (
                isinstance(stmt, cst.FunctionDef)
                and stmt.asynchronous is None
                and self.project.is_test_function_name(stmt.name.value)
                and fixture_decorator(stmt, self._imports) is None
            ):
                found.append(stmt.name.value)
        return found


# ---------------------------------------------------------------------------------------
# helpers (candidates for base.py)


def append_element(container: cst.List | cst.Tuple, element: cst.Element) -> cst.List | cst.Tuple:
    """Add an element at the end of a list/tuple display, keeping a trailing comma's layout."""
    elements = list(container.elements)
    if not elements:
        return container.with_changes(elements=[element])
    last = elements[-1]
    if isinstance(last.comma, cst.Comma):
        elements.append(element.with_changes(comma=last.comma))
        elements[-1 - 1] = last.with_changes(comma=cst.Comma(whitespace_after=last.comma.whitespace_after))
    else:
        elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        elements.append(element)
    return container.with_changes(elements=elements)


def _no_blank_line_after_header(original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
    """A removed first method leaves the next one's blank lines right under ``class X:``."""
    old, new = original_node.body, updated_node.body
    if not isinstance(old, cst.IndentedBlock) or not isinstance(new, cst.IndentedBlock) or not new.body:
        return updated_node
    first = old.body[0]
    if not isinstance(first, cst.FunctionDef) or first.name.value != FIXTURE_NAME or new.body[0].deep_equals(first):
        return updated_node
    head = new.body[0]
    if isinstance(head, cst.FunctionDef) and head.name.value == SETUP_NAME:
        return updated_node
    lines = list(head.leading_lines)
    while lines and lines[0].comment is None:
        lines.pop(0)
    body = [head.with_changes(leading_lines=lines), *new.body[1:]]
    return updated_node.with_changes(body=new.with_changes(body=body))


def _yields(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield)


