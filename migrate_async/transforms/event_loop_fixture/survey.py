"""event-loop-fixture's survey: which ``event_loop`` overrides a file holds and what to do
with each, read from the shared ``event_loop`` survey (``pytest_model.event_loop``)."""

from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ...imports.resolve import ImportMap, ast_dotted_name
from ...project import FileFacts, holds_every_test, project_root
from ...pytest_model.event_loop import (
    FIXTURE_NAME,
    LOOP_FACTORIES_HOOK_NAME,
    loop_library_modules,
    survey_event_loop,
)
from ...pytest_model.fixtures import (
    ast_fixture_decorator,
    ast_fixture_loop_scope,
    ast_fixture_name,
    ast_fixture_scope,
)
from ...pytest_model.frameworks import other_framework_uses_ast
from ...pytest_model.project_helpers import (
    Helper,
    called_names,
    display_in_project,
    follow,
    imported_definition,
    module_function,
    parsed_module,
)
from ...pytest_model.versions import LOOP_FACTORIES_HOOK, TEST_LOOP_SCOPE_OPTION
from .naming import bound_names, pick_name, setup_name_candidates, setup_statements
from .nested import NestedClass, nested_loop_classes, read_nested
from .policy import POLICY_FIXTURE, UVLOOP_FACTORIES, PolicyOverride, survey_policies

_ASYNCIO_CREATORS = frozenset(
    {
        "asyncio.new_event_loop",
        "asyncio.get_event_loop",
        "asyncio.SelectorEventLoop",
        "asyncio.DefaultEventLoopPolicy",
    }
)
_IGNORED_CALLS = frozenset({"asyncio.set_event_loop"})


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
    #: for setup to keep ("setup"), the names of its fixture, best first (see naming.py)
    setup_names: tuple[str, ...] = ()
    #: the calls (as this module spells them) of the project's helpers that make its loop
    #: (pytest_model/project_helpers.py): the rewrite reads them as it reads ``asyncio.new_event_loop()``
    loop_helpers: tuple[str, ...] = ()
    #: a loop class defined in its body that moves to module level (nested.py), and the
    #: fixture variable its methods read for the instance (rewritten to ``self``)
    moved_class: str | None = None
    moved_instance: str | None = None
    #: ``with loop.method(): yield loop`` moves to an autouse fixture on the running loop
    wraps: bool = False
    #: asyncio's own loop under a conftest above that gives another loop type: the override
    #: becomes a hook of its own giving asyncio's loop (set by resolve_chain)
    default_hook: bool = False
    #: asyncio's own loop in a test module under a conftest that gives another loop type
    #: (its factory): the tests now run on that one (a note says so; set by resolve_chain)
    under: str | None = None
    #: an override in a test module (or one of its classes) whose loop type goes to the
    #: covering conftest's loop-factories hook as a branch for its tests (target >= 1.4)
    branch: bool = False
    #: an override the test module imports from a helper module of the project
    #: (``from tests.helpers import event_loop``): where it is defined (``tests/helpers.py:12``),
    #: the import it came by (module, level), and its loop class as the covering conftest
    #: imports it (module, name) for the hook's branch
    imported_from: str | None = None
    imported_by: tuple[str, int] | None = None
    factory_import: tuple[str, str] | None = None

    @property
    def widens(self) -> bool:
        return self.action != "leave" and self.scope not in (None, "function")


@dataclass(frozen=True)
class FixtureAbove:
    """An async fixture of a conftest.py above a test module (the nearest definition of its
    name): under 0.21 it ran on the loop of the ``event_loop`` its requester got; under 1.x
    on the loop of its own ``loop_scope`` (None: the default's)."""

    name: str
    where: str  # ``tests/conftest.py:12``
    cache_scope: str | None  # None: not a literal
    loop_scope: str | None


@dataclass(frozen=True)
class Survey:
    path: str  # realpath
    is_conftest: bool
    is_root: bool
    overrides: tuple[Override, ...] = ()
    #: for a test module with an override it carries: the async fixtures of the conftest.py
    #: files above it, which its tests may request (their loop may now differ from theirs)
    fixtures_above: tuple[FixtureAbove, ...] = ()
    #: the names the file binds at its top level and in its top-level classes
    names: frozenset[str] = frozenset()
    #: its ``event_loop_policy`` overrides (policy.py)
    policies: tuple[PolicyOverride, ...] = ()


def _loop_type(survey: Survey) -> str | None:
    """The loop type a conftest.py gives the tests below it through a module-level
    ``event_loop`` override or an ``event_loop_policy`` override: ``"asyncio"`` for
    asyncio's own loop, another name (``uvloop.new_event_loop``, ``"custom"``) for any other
    (an override left unread counts as another), None when it has neither. A hook of its
    own (``pytest_asyncio_loop_factories``) decides whatever its overrides say."""
    if LOOP_FACTORIES_HOOK_NAME in survey.names:
        return LOOP_FACTORIES_HOOK_NAME
    override = next((o for o in survey.overrides if o.class_name is None), None)
    if override is not None and override.kind != "asyncio":
        return override.factory or override.kind
    policy = next(iter(survey.policies), None)
    if policy is not None and policy.kind != "default":
        return policy.factory or policy.kind
    return "asyncio" if override is not None or policy is not None else None


def resolve_chain(chain: Sequence[Survey], target: tuple[int, ...]) -> list[Survey]:
    """``chain`` (the conftest.py files above a file, outermost first, then the file) with
    what each conftest's override means given the ones above it. A conftest whose override
    gave its subtree asyncio's own loop (``asyncio.new_event_loop()``,
    ``asyncio.DefaultEventLoopPolicy()``) under a conftest that gives another loop type
    (uvloop, a loop class) opted its tests out of that type: removed alone, its tests would
    run on the loop of the hook above. pytest-asyncio calls ``pytest_asyncio_loop_factories``
    first in the conftest nearest to the test (``firstresult``: its answer wins), so for
    targets >= 1.4 the override becomes a hook of its own giving asyncio's loop
    (``default_hook``); below 1.4 it is left, with the reason. The same override in a test
    module is carried (its loop scope), with a note (``under``): a hook lives only in a
    conftest.py, and it serves every module of its folder."""
    resolved = []
    above: str | None = None
    for survey in chain:
        if survey.is_conftest:
            if above not in (None, "asyncio") and LOOP_FACTORIES_HOOK_NAME not in survey.names:
                survey = _keeps_asyncio_loop(survey, above, target)
            above = _loop_type(survey) or above
        elif above not in (None, "asyncio"):
            survey = replace(survey, overrides=tuple(
                replace(o, under=above) if o.kind == "asyncio" and o.action != "leave" else o for o in survey.overrides
            ))
        resolved.append(survey)
    return resolved


def _keeps_asyncio_loop(survey: Survey, above: str, target: tuple[int, ...]) -> Survey:
    overrides = []
    for o in survey.overrides:
        if o.class_name is None and o.kind == "asyncio" and o.action != "leave":
            if target >= LOOP_FACTORIES_HOOK:
                o = replace(o, default_hook=True)
            else:
                o = replace(o, action="leave", reason=(
                    f"it gave the tests below this folder asyncio's own loop, under a conftest above whose "
                    f"loop type ({above}) would reach them without it; below pytest-asyncio 1.4 keep that with "
                    "an event_loop_policy fixture here returning asyncio.DefaultEventLoopPolicy() (from 1.4, a "
                    "pytest_asyncio_loop_factories hook here returning {\"asyncio\": asyncio.new_event_loop})"
                ))
        overrides.append(o)
    # an event_loop override of the same conftest made the tests' loop (0.23 took it over the
    # policy): its hook, or its own asyncio hook, answers; a second hook would be one too many
    decided = any(o.class_name is None and o.action != "leave" for o in overrides)
    policies = tuple(
        replace(p, default_hook=True) if p.kind == "default" and p.action == "carry" and not decided else p
        for p in survey.policies
    )
    return replace(survey, overrides=tuple(overrides), policies=policies)


def setup_fixture_names(chain: Sequence[Survey]) -> dict[str | None, str]:
    """The names of the setup fixtures of the last file of ``chain`` (the conftest.py files
    above it, then it), by class (None: module level). Each override, outermost file first
    and in source order, gets its first name not taken by a name of its file or of a file
    above, nor by a setup fixture named before it, which it would shadow."""
    taken: set[str] = set()
    names: dict[str | None, str] = {}
    for survey in chain:
        taken |= survey.names
        names = {}
        for override in survey.overrides:
            if override.setup_names and override.action != "leave":
                names[override.class_name] = name = pick_name(override.setup_names, taken)
                taken.add(name)
    return names


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
    #: ``with loop.method(...): yield loop``: per-test wrapping on the loop (see wraps_yield)
    wraps: bool = False


#: Libraries whose zero-argument calls make asyncio-compatible loops (prefixes of full names).
_LOOP_LIBRARIES = tuple(f"{module}." for module in loop_library_modules(custom_loop=True))
#: Classes a module-level loop class derives from (directly or through another one).
_LOOP_BASES = frozenset(
    {
        "asyncio.AbstractEventLoop", "asyncio.BaseEventLoop", "asyncio.SelectorEventLoop",
        "asyncio.ProactorEventLoop", "asyncio.base_events.BaseEventLoop",
        "asyncio.selector_events.BaseSelectorEventLoop", "asyncio.unix_events.SelectorEventLoop",
        "asyncio.events.AbstractEventLoop", "uvloop.Loop",
    }
)


def loop_classes(classes: Sequence[ast.ClassDef], imports: ImportMap) -> set[str]:
    """Module-level classes that are asyncio event loops: a ``MainLoop`` of a GUI toolkit
    is not one, and an ``event_loop`` fixture returning it is not pytest-asyncio's."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name in found:
                continue
            for base in cls.bases:
                full = imports.qualify_ast(base, well_known=False)
                dotted = ast_dotted_name(base)
                if (full in _LOOP_BASES) or (full or "").startswith(_LOOP_LIBRARIES) or dotted in found:
                    found.add(cls.name)
                    changed = True
                    break
    return found


class BodyReader:
    """Sorts the statements of an override into 'makes/closes the loop' and 'anything else'."""

    def __init__(
        self, imports: ImportMap, local_classes: set[str], helpers: Sequence[str] = (), moved: Sequence[str] = ()
    ) -> None:
        self.imports = imports
        #: a loop class defined in the override counts as the module's (it moves there)
        self.moved = frozenset(moved)
        self.local_classes = local_classes | self.moved
        #: calls of the project's own loop-making helpers (see pytest_model/project_helpers.py)
        self.helpers = frozenset(helpers)
        self.facts = _BodyFacts()

    def _full(self, expr: ast.AST) -> str | None:
        """What ``expr`` names through the module's own imports (no well-known fallback)."""
        return self.imports.qualify_ast(expr, well_known=False)

    def creator(self, expr: ast.AST) -> tuple[str, str | None] | None:
        """(kind, factory) when ``expr`` makes a new loop."""
        if not isinstance(expr, ast.Call):
            return None
        full = self._full(expr.func)
        if full in _ASYNCIO_CREATORS:
            # SelectorEventLoop(selector) is not the loop pytest-asyncio makes
            return ("asyncio", None) if not (expr.args or expr.keywords) else None
        if full in UVLOOP_FACTORIES:
            return "uvloop", "uvloop.new_event_loop"
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr == "new_event_loop":
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id in self.facts.policy_names:
                return "asyncio", None
            if isinstance(owner, ast.Call):
                owner_full = self._full(owner.func)
                if owner_full == "asyncio.get_event_loop_policy":
                    return "asyncio", None
                if owner_full == "uvloop.EventLoopPolicy":
                    return "uvloop", "uvloop.new_event_loop"
        if not expr.args and not expr.keywords:
            dotted = ast_dotted_name(func)
            if dotted is not None and dotted in self.helpers:
                return "asyncio", None
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
        if isinstance(stmt, ast.ClassDef) and stmt.name in self.moved:
            return True
        if isinstance(stmt, ast.With) and self.wraps_yield(stmt):
            f.wraps = True
            return True
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            found = self.creator(stmt.value)
            if found is not None:
                self._set_kind(*found)
                f.loop_names.add(stmt.targets[0].id)
                f.created = True
                return True
            if isinstance(stmt.value, ast.Call) and self._full(stmt.value.func) == "asyncio.get_event_loop_policy":
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
            full = self._full(value.func)
            if full in _IGNORED_CALLS:
                return True
            if full == "asyncio.set_event_loop_policy":
                arg = value.args[0] if value.args else None
                if isinstance(arg, ast.Call) and self._full(arg.func) == "uvloop.EventLoopPolicy":
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

    def wraps_yield(self, stmt: ast.With) -> bool:
        """``with loop.method(<literals>): yield loop``: a context manager of the loop around
        each test, which moves to an autouse fixture on the running loop."""
        if len(stmt.items) != 1 or len(stmt.body) != 1 or not is_bare_yield(stmt.body[0]):
            return False
        value = stmt.body[0].value.value  # type: ignore[attr-defined]
        if not (isinstance(value, ast.Name) and value.id in self.facts.loop_names):
            return False
        item = stmt.items[0]
        call = item.context_expr
        return (
            item.optional_vars is None
            and isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id in self.facts.loop_names
            and all(isinstance(a, ast.Constant) for a in [*call.args, *(k.value for k in call.keywords)])
        )

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


def _defines(tree: ast.Module, name: str) -> bool:
    return module_function(tree, name) is not None


def _uses_pytest_asyncio(source: str) -> bool:
    return "async def" in source or "mark.asyncio" in source or "pytest_asyncio" in source


def survey_source(source: str, facts: FileFacts) -> Survey | None:
    read = survey_event_loop(source)
    tree, imports = read.tree, read.imports
    # a plugin module (pytest_plugins, -p) is loaded as a conftest.py is, for the whole run
    plugin = facts.is_conftest and os.path.basename(facts.path) != "conftest.py"
    is_conftest = plugin or os.path.basename(facts.path) == "conftest.py"
    # a conftest.py's own hook gives the tests below it their loop type (resolve_chain)
    hooked = is_conftest and module_function(tree, LOOP_FACTORIES_HOOK_NAME) is not None
    if not hooked and not any(v.split(".")[0] in ("pytest", "pytest_asyncio") for v in imports.names.values()):
        return None
    if not is_conftest:
        # A module with no coroutine and no asyncio mark: its event_loop is a plain fixture
        # that sync tests use; the same for anyio/trio modules.
        if not _uses_pytest_asyncio(source):
            return None
        if other_framework_uses_ast(tree) and "mark.asyncio" not in source and "pytest_asyncio" not in source:
            return None
    local_classes = loop_classes(read.top_level_classes(), imports)
    module_names = bound_names(tree.body, imports)
    names = module_names.union(*(bound_names(c.body, imports) for c in read.top_level_classes()))
    target = facts.project.target
    sync_users = tuple(site.node.name for site in read.requests(sync_only=True))
    # module-level fixtures, and in a test module those of its classes, in source order
    levels = ("module",) if is_conftest else ("module", "class")
    definitions = sorted(
        (d for d in read.definitions(by_imports=True) if d.site.level in levels), key=lambda d: d.func.lineno
    )
    overrides = []
    for definition in definitions:
        func, class_name, decorator = definition.func, definition.site.class_name, definition.decorator
        helpers = _helpers(func, tree, imports, local_classes, facts)
        loop_helpers = tuple(h.spelling for h in helpers if h.fits)
        nested = [read_nested(c, func) for c in nested_loop_classes(func, lambda b: _is_loop_base(b, imports, local_classes))]
        # a test module's own loop class moves to its module level, where the covering
        # conftest's hook reaches it through item.module (target >= 1.4)
        movable_here = is_conftest or (class_name is None and target >= LOOP_FACTORIES_HOOK)
        moving = nested[0] if len(nested) == 1 and nested[0].movable and movable_here else None
        move_problem = _move_problem(moving, func, tree, imports, target, is_conftest) if moving is not None else None
        if move_problem is not None:
            moving = None
        reader = BodyReader(imports, local_classes, loop_helpers, (moving.name,) if moving is not None else ())
        reader.read(func.body)
        body = reader.facts
        scope = ast_fixture_scope(decorator)
        where_conftest = is_conftest
        action, reason = "carry", ""
        branch = False
        if isinstance(func, ast.AsyncFunctionDef):
            action, reason = "leave", "an async event_loop fixture is not a loop override pytest-asyncio ever used"
        elif scope is None:
            action, reason = "leave", "its scope is not a string literal, so the loop scope to carry over is unknown"
        elif func.name != FIXTURE_NAME:
            action, reason = "leave", "it is registered under another function name (name=\"event_loop\")"
        elif move_problem is not None:
            action, reason = "leave", move_problem
        elif nested and moving is None:
            action, reason = "leave", _nested_reason(nested, is_conftest, target, func)
        elif not body.created and body.kind == "asyncio":
            unread = next((h for h in helpers if not h.fits), None)
            action, reason = "leave", (
                f"it gets its loop from {unread.spelling}() ({unread.where}), which does more than return the "
                "current or a new asyncio loop: move what else it does to the loop into an async autouse fixture "
                "that uses asyncio.get_running_loop(), with a matching loop_scope"
                if unread is not None
                else "it does not create the loop in a way this tool recognises"
            )
        elif body.extra == "loop":
            action, reason = "leave", (
                "its body does more with the loop than create and close it (exception handler, "
                "run_until_complete, attributes); move that into an async autouse fixture that uses "
                "asyncio.get_running_loop(), with a matching loop_scope"
            )
        elif body.wraps and (class_name is not None or scope != "function" or body.extra != "none"):
            action, reason = "leave", (
                "its with-block around the yield wraps each test in a context manager of the loop; move it to an "
                "async autouse fixture of matching scope that enters it on asyncio.get_running_loop()"
            )
        elif body.wraps and (facts.project.default_test_loop_scope or "function") != "function":
            action, reason = "leave", (
                "its with-block around the yield wraps each test in a context manager of the loop, and the configured "
                f"asyncio_default_test_loop_scope ({facts.project.default_test_loop_scope}) runs the tests in wider "
                "loops than this function-scoped override gave them; move it to an async autouse fixture of the "
                "tests' loop scope that enters it on asyncio.get_running_loop()"
            )
        elif body.extra == "setup" and body.nested_extra:
            action, reason = "leave", (
                "its setup/teardown is interleaved with the loop's in try/finally; keep the setup as an "
                "autouse fixture of the same scope"
            )
        elif body.kind != "asyncio" and not where_conftest:
            # its loop factory is a name of the module (a class of its own, moved or not, or
            # of an imported library): the covering conftest's hook reaches it as item.module.X
            if target >= LOOP_FACTORIES_HOOK:
                branch = True
            else:
                action, reason = "leave", (
                    f"it makes a {body.kind} loop ({body.factory}); a loop type can only be chosen by a "
                    "pytest_asyncio_loop_factories hook in a conftest.py (inspect item.path there to limit it "
                    "to this module; pytest-asyncio 1.4) or pytest.mark.asyncio(loop_factories=[...])"
                )
        elif body.kind == "custom" and target < LOOP_FACTORIES_HOOK:
            moved = (
                f" (first move {moving.name}, defined inside it, to module level"
                + (f", reading self for {moving.instance})" if moving.instance else ")")
                if moving is not None else ""
            )
            action, reason = "leave", (
                f"it makes a custom loop ({body.factory}); below pytest-asyncio 1.4 that needs an "
                f"event_loop_policy fixture whose policy returns that loop{moved}"
            )
        elif body.kind != "asyncio" and _defines(tree, LOOP_FACTORIES_HOOK_NAME if target >= LOOP_FACTORIES_HOOK else "event_loop_policy"):
            action, reason = "leave", "the conftest already defines the loop-factories hook (or event_loop_policy); add this loop type to it"
        elif (
            where_conftest
            and scope != "function"
            and _defines(tree, "pytest_collection_modifyitems")
            and not (_is_root(facts) and target >= TEST_LOOP_SCOPE_OPTION)
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
                kind="custom" if nested and moving is None else body.kind,
                factory=made_class(nested, func) if nested and moving is None else body.factory,
                debug=body.debug,
                extra=body.extra,
                action=action,
                reason=reason,
                sync_users=sync_users,
                setup_names=(
                    _setup_names(
                        func, class_name, scope, imports, local_classes, module_names, loop_helpers,
                        (moving.name,) if moving is not None else (),
                    )
                    if body.extra == "setup" and scope is not None
                    else ()
                ),
                loop_helpers=loop_helpers,
                moved_class=moving.name if moving is not None else None,
                moved_instance=moving.instance if moving is not None else None,
                wraps=body.wraps,
                branch=branch,
            )
        )
    if not is_conftest and not any(o.class_name is None for o in overrides):
        imported = _imported_override(tree, facts, sync_users)
        if imported is not None:
            overrides.append(imported)
    if any(o.class_name is None and o.branch and o.kind != "asyncio" for o in overrides):
        # the module's branch gives its classes its loop type: a class whose own override
        # gave asyncio's loop needs a branch of its own, ahead of the module's
        overrides = [
            replace(o, branch=True) if o.class_name is not None and o.kind == "asyncio" and o.action != "leave" else o
            for o in overrides
        ]
    policies = survey_policies(tree, imports, is_conftest, target)
    if any(o.kind != "asyncio" and o.factory is not None and o.action != "leave" for o in overrides):
        # the event_loop override's loop type becomes the hook already: one hook, one answer
        policies = tuple(
            replace(p, action="leave", reason=(
                "the tests ran on the loop of this conftest's event_loop override (pytest-asyncio 0.23 used the "
                "override, not this policy, to make their loop), which becomes the pytest_asyncio_loop_factories "
                "hook; this policy only chose what asyncio.new_event_loop() made elsewhere: delete it, or set that "
                "policy where code that makes its own loops needs it"
            ))
            if p.action == "carry" and p.kind != "default" else p
            for p in policies
        )
    if not overrides and not policies and not hooked and not _class_policies(tree, imports, target):
        return None
    carried = not is_conftest and any(o.action != "leave" and o.scope is not None for o in overrides)
    return Survey(
        path=os.path.realpath(facts.path),
        is_conftest=is_conftest,
        is_root=is_conftest and (plugin or _is_root(facts)),
        overrides=tuple(overrides),
        names=frozenset(names),
        policies=policies,
        fixtures_above=_fixtures_above(facts, names) if carried else (),
    )


def _class_policies(tree: ast.Module, imports: ImportMap, target: tuple[int, ...]) -> bool:
    """Whether a class of the module overrides ``event_loop_policy`` (deprecated from 1.4;
    the rewrite notes it: a hook's branch for a class is written by hand)."""
    return target >= LOOP_FACTORIES_HOOK and any(
        isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (decorator := ast_fixture_decorator(stmt, imports)) is not None
        and ast_fixture_name(stmt, decorator) == POLICY_FIXTURE
        for cls in tree.body if isinstance(cls, ast.ClassDef)
        for stmt in cls.body
    )


def _fixtures_above(facts: FileFacts, shadowed: frozenset[str] | set[str]) -> tuple[FixtureAbove, ...]:
    """The async fixtures of the conftest.py files above a test module, up to its project's
    root, the nearest definition of each name (one the module binds itself shadows them)."""
    root = project_root(facts.project)
    top = os.path.realpath(root) if root is not None else None
    folder = os.path.dirname(os.path.realpath(facts.path))
    seen = set(shadowed)
    found: list[FixtureAbove] = []
    while True:
        path = os.path.join(folder, "conftest.py")
        tree = parsed_module(path) if os.path.isfile(path) else None
        if tree is not None:
            imports = ImportMap.from_ast(tree)
            for stmt in tree.body:
                if not isinstance(stmt, ast.AsyncFunctionDef):
                    continue
                decorator = ast_fixture_decorator(stmt, imports)
                if decorator is None:
                    continue
                name = ast_fixture_name(stmt, decorator)
                if name in seen:
                    continue
                seen.add(name)
                found.append(FixtureAbove(
                    name, f"{display_in_project(path, root)}:{stmt.lineno}", ast_fixture_scope(decorator),
                    ast_fixture_loop_scope(decorator),
                ))
        parent = os.path.dirname(folder)
        if folder == top or parent == folder:
            break
        folder = parent
    return tuple(found)


def _imported_override(tree: ast.Module, facts: FileFacts, sync_users: tuple[str, ...]) -> Override | None:
    """The ``event_loop`` override a test module imports from a module of the project
    (``from tests.helpers import event_loop``; pytest finds fixtures by the module's names),
    read as if it were the module's own. It is carried when all it does is make its loop:
    its scope goes to the module's mark, its loop type (target >= 1.4) to a branch of the
    covering conftest's hook, which imports the loop class from where the helper module
    has it; the import of ``event_loop`` goes. Anything more is left, with the reason."""
    found = imported_definition(tree, FIXTURE_NAME, facts.path, project_root(facts.project))
    if found is None:
        return None
    func, helper_tree, where, (module, level), line, path = found
    if path in facts.plugins:
        # a plugin module: its override serves every test (it becomes a hook of its own
        # there), so the import only goes
        return Override(line=line, class_name=None, scope=None, kind="asyncio", factory=None, debug=False,
                        extra="none", action="carry", imported_from=where, imported_by=(module, level))
    helper_imports = ImportMap.from_ast(helper_tree)
    decorator = ast_fixture_decorator(func, helper_imports)
    if decorator is None or ast_fixture_name(func, decorator) != FIXTURE_NAME:
        return None
    local_classes = loop_classes([c for c in helper_tree.body if isinstance(c, ast.ClassDef)], helper_imports)
    reader = BodyReader(helper_imports, local_classes)
    reader.read(func.body)
    body = reader.facts
    scope = ast_fixture_scope(decorator)
    target = facts.project.target
    factory_import = None
    reason = ""
    if isinstance(func, ast.AsyncFunctionDef) or not body.created or scope is None:
        reason = f"it does not create its loop in a way this tool recognises ({where})"
    elif body.extra != "none" or body.wraps or body.debug or nested_loop_classes(func, lambda b: True):
        reason = (
            f"it does more than make its loop ({where}): move what else it does into an autouse fixture of this "
            "module, then delete the import"
        )
    elif sync_users:
        reason = f"sync code here requests it ({', '.join(sync_users)}); make it async first"
    elif body.kind != "asyncio" and target < LOOP_FACTORIES_HOOK:
        reason = (
            f"it makes a {body.kind} loop ({body.factory}, {where}); a loop type can only be chosen by a "
            "pytest_asyncio_loop_factories hook in a conftest.py (pytest-asyncio 1.4)"
        )
    elif body.kind == "custom":
        full = helper_imports.qualify_dotted(body.factory, well_known=False) if body.factory else None
        if full is None and body.factory in local_classes:
            full = f"{module}.{body.factory}" if level == 0 else None
        if full is None or "." not in full or full.startswith("."):
            reason = (
                f"its loop class {body.factory} ({where}) cannot be imported by a conftest.py from here (a relative "
                "import): give the covering conftest's pytest_asyncio_loop_factories hook a branch for this module"
            )
        else:
            factory_import = tuple(full.rsplit(".", 1))
    return Override(
        line=line,
        class_name=None,
        scope=scope,
        kind=body.kind,
        factory=body.factory,
        debug=body.debug,
        extra=body.extra,
        action="leave" if reason else "carry",
        reason=reason,
        branch=not reason and body.kind != "asyncio",
        imported_from=where,
        imported_by=(module, level),
        factory_import=factory_import,  # type: ignore[arg-type]
    )


def _setup_names(
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    class_name: str | None,
    scope: str,
    imports: ImportMap,
    local_classes: set[str],
    module_names: set[str],
    loop_helpers: Sequence[str] = (),
    moved: Sequence[str] = (),
) -> tuple[str, ...]:
    """The names for the fixture that keeps the setup of ``func``, best first."""
    reader = BodyReader(imports, local_classes, loop_helpers, moved)
    kept = [not reader.is_loop_only(stmt) for stmt in func.body]
    self_name = func.args.args[0].arg if class_name is not None and func.args.args else None
    return setup_name_candidates(setup_statements(func.body, kept), scope, module_names, imports, self_name)


def _is_loop_base(base: ast.expr, imports: ImportMap, local_classes: set[str]) -> bool:
    full = imports.qualify_ast(base, well_known=False)
    return full in _LOOP_BASES or (full or "").startswith(_LOOP_LIBRARIES) or ast_dotted_name(base) in local_classes


def _move_problem(
    cls: NestedClass, func: ast.FunctionDef | ast.AsyncFunctionDef, tree: ast.Module, imports: ImportMap,
    target: tuple[int, ...], is_conftest: bool,
) -> str | None:
    """Why the override's own loop class cannot take the fixture's place at module level,
    or None: the module binds its name already (the move would shadow that, or be shadowed),
    or it needs, when it is made (bases, decorators, class-level statements, defaults), a
    module-level name bound only below the fixture (NameError at import)."""
    node = next(s for s in func.body if isinstance(s, ast.ClassDef) and s.name == cls.name)
    index = tree.body.index(func)
    before = bound_names(tree.body[:index], imports)
    after = bound_names(tree.body[index + 1:], imports)
    here = "this conftest.py" if is_conftest else "this module"
    advice = _loop_type_advice(cls.name, target, "there" if is_conftest else "in the conftest.py that covers this module")
    if cls.name in before | after:
        return (
            f"its loop class {cls.name}, defined inside it, has the name of something {here} binds at module "
            "level, "
            f"which the move would rebind: move it to module level under a name of its own, and {advice} (with that "
            "name)"
        )
    late = sorted((_creation_reads(node) & after) - before)
    if late:
        last = max(
            (s for s in tree.body[index + 1:] if bound_names([s], imports) & set(late)), key=lambda s: s.lineno
        )
        return (
            f"its loop class {cls.name}, defined inside it, needs {', '.join(late)} when it is made, which {here} "
            "defines below the fixture"
            f" (line {last.lineno}): move {cls.name} to module level below "
            f"that{', reading self for ' + cls.instance if cls.instance else ''}, and {advice}"
        )
    return None


def _creation_reads(cls: ast.ClassDef) -> set[str]:
    """The names a class statement reads when it runs: its bases, keywords and decorators,
    its class-level statements, and its methods' decorators, defaults and annotations (their
    bodies run later)."""
    exprs: list[ast.AST] = [*cls.bases, *cls.keywords, *cls.decorator_list]
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = stmt.args
            exprs += [*stmt.decorator_list, *args.defaults, *(d for d in args.kw_defaults if d is not None)]
            exprs += [a.annotation for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
                      if a is not None and a.annotation is not None]
            if stmt.returns is not None:
                exprs.append(stmt.returns)
        elif isinstance(stmt, ast.ClassDef):
            exprs += [ast.Name(id=n, ctx=ast.Load()) for n in _creation_reads(stmt)]
        else:
            exprs.append(stmt)
    return {n.id for e in exprs for n in ast.walk(e) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def made_class(nested: Sequence[NestedClass], func: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The one of an override's own loop classes it makes its loop of (``loop = StepLoop()``):
    the last one called in its body, else the last one defined."""
    names = {c.name for c in nested}
    called = [
        n.func.id for s in func.body if not isinstance(s, ast.ClassDef)
        for n in ast.walk(s) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names
    ]
    return called[-1] if called else nested[-1].name


def _nested_reason(
    nested: Sequence[NestedClass], is_conftest: bool, target: tuple[int, ...], func: ast.FunctionDef | ast.AsyncFunctionDef
) -> str:
    """Why an override's own loop class cannot move, and what to write instead: the class at
    module level, and the hook (target >= 1.4) or the policy fixture (below) that makes it."""
    where = "this conftest.py" if is_conftest else "the conftest.py that covers this module (a hook lives nowhere else)"
    if len(nested) > 1:
        names = ", ".join(c.name for c in nested)
        return (
            f"it defines {len(nested)} loop classes ({names}) inside it, and this tool moves one at most; move "
            f"them to module level in {where} and {_loop_type_advice(made_class(nested, func), target)}"
        )
    cls = nested[0]
    if cls.shadowed:
        both = " and ".join(cls.shadowed)
        what = (
            f"its loop class {cls.name} is defined inside it and reads the fixture's {both}, which it also binds "
            f"itself (a parameter, a local), so this tool cannot tell the fixture's {both} from its own"
        )
    elif cls.fixture_names:
        what = f"its loop class {cls.name} is defined inside it and reads the fixture's {', '.join(cls.fixture_names)}"
    else:
        what = f"its loop class {cls.name} is defined inside it"
    self_note = f", reading self for {cls.instance}" if cls.instance else ""
    others = [n for n in cls.fixture_names if n not in cls.shadowed]
    made = f", with {' and '.join(others)} made in its __init__" if others else ""
    if cls.shadowed:
        made += f", reading self where it meant the fixture's {both}"
    return f"{what}; move {cls.name} to module level{self_note} in {where}{made}, and {_loop_type_advice(cls.name, target)}"


def _loop_type_advice(name: str, target: tuple[int, ...], where: str = "there") -> str:
    """What makes the tests' loops an instance of ``name``, for the target."""
    if target >= LOOP_FACTORIES_HOOK:
        return f"write {where} def pytest_asyncio_loop_factories(config, item): return {{\"{name}\": {name}}}"
    return (
        f"write {where} an event_loop_policy fixture whose policy's new_event_loop returns "
        f"{name}() (below pytest-asyncio 1.4; from 1.4, a pytest_asyncio_loop_factories hook)"
    )


def _helpers(
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    tree: ast.Module,
    imports: ImportMap,
    local_classes: set[str],
    facts: FileFacts,
) -> list[Helper]:
    """The project's functions the override calls for a value it binds or gives (its loop,
    perhaps), followed to their definitions; calls this reader knows already (asyncio's,
    uvloop's, a loop class's) are not followed."""
    known = BodyReader(imports, local_classes)
    found = []
    for spelling in called_names(func.body):
        head = spelling.split(".")[0]
        if head in local_classes or known.creator(ast.parse(f"{spelling}()", mode="eval").body) is not None:
            continue
        helper = follow(spelling, tree, facts.path, project_root(facts.project), _makes_loop)
        if helper is not None:
            found.append(helper)
    return found


def _makes_loop(func: ast.FunctionDef, module: ast.Module) -> bool:
    """Whether a helper does nothing but return the current or a new asyncio loop (setting
    it as current on the way, with a ``try``/``except`` fallback): then calling it is making
    the loop, and nothing else of the override's setup hides in it."""
    args = func.args
    if args.posonlyargs or any(d is None for d in args.kw_defaults) or args.vararg or args.kwarg:
        return False
    if len(args.defaults) != len(args.args):
        return False  # a required parameter: the override's call passes none
    if any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await, ast.Global, ast.Nonlocal)) for n in ast.walk(func)):
        return False
    reader = BodyReader(ImportMap.from_ast(module), set())
    returns = 0

    def plain(body: Sequence[ast.stmt]) -> bool:
        nonlocal returns
        for stmt in body:
            if isinstance(stmt, ast.Try):
                if not (plain(stmt.body) and all(plain(h.body) for h in stmt.handlers)
                        and plain(stmt.orelse) and plain(stmt.finalbody)):
                    return False
                continue
            if isinstance(stmt, ast.Return) and stmt.value is None:
                return False
            if not reader.is_loop_only(stmt):
                return False
            call = stmt.value if isinstance(stmt, ast.Expr) else None
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "close":
                return False  # it closes the loop it would hand out
            returns += isinstance(stmt, ast.Return)
        return True

    return plain(func.body) and returns > 0 and reader.facts.kind == "asyncio" and not reader.facts.debug


def _is_root(facts: FileFacts) -> bool:
    """Whether a conftest.py serves the whole run: it sits in the project's root, or its
    folder holds every test module of the project (``tests/conftest.py`` beside a
    ``pyproject.toml`` whose tests are all in ``tests/``); then the config's default loop
    scopes say what its override meant, and no collection hook is needed."""
    if project_root(facts.project) is None:
        return True
    return holds_every_test(os.path.dirname(os.path.abspath(facts.path)), facts.project)


def is_bare_yield(stmt: ast.stmt) -> bool:
    """A ``yield`` (of anything) standing as a statement."""
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield)

