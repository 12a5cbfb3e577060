"""event-loop-fixture's survey: which ``event_loop`` overrides a file holds and what to do
with each, read from the shared ``event_loop`` survey (``pytest_model.event_loop``).

Each override is read (body.py: what its body does with its loop; nested.py: a loop class
defined inside it; the project's helpers it calls for its loop) and judged (judge.py); the
file's ``event_loop_policy`` overrides are read by policy.py. chain.py reads the surveys of
the conftest.py files above a file together.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ...imports.resolve import ImportMap
from ...project import FileFacts, holds_every_test, project_root
from ...pytest_model.collection import ast_collected_test_function
from ...pytest_model.event_loop import (
    FIXTURE_NAME,
    LOOP_FACTORIES_HOOK_NAME,
    POLICY_FIXTURE,
    EventLoopDefinition,
    EventLoopSurvey,
    LoopImport,
    exports_name,
    loop_imports,
    module_path,
    survey_event_loop,
)
from ...pytest_model.fixtures import (
    ast_fixture_decorator,
    ast_fixture_loop_scope,
    ast_fixture_name,
    ast_fixture_scope,
)
from ...pytest_model.frameworks import other_framework_signs
from ...pytest_model.project_helpers import (
    Helper,
    called_names,
    display_in_project,
    follow,
    imported_definition,
    module_function,
    parsed_module,
)
from ...pytest_model.versions import LOOP_FACTORIES_HOOK
from ..triggers import has_word
from .body import (
    BodyReader,
    ExtraWork,
    LoopKind,
    is_loop_base,
    loop_classes,
    makes_loop,
)
from .judge import (
    Action,
    FileEvidence,
    OverrideEvidence,
    Verdict,
    judge,
    judge_imported,
)
from .naming import bound_names, setup_name_candidates, setup_statements
from .nested import made_class, move_problem, nested_loop_classes, read_nested
from .policy import PolicyOverride, survey_policies


@dataclass(frozen=True)
class Override:
    """One ``event_loop`` fixture override, as the survey found it."""

    line: int
    class_name: str | None  # None: module level
    scope: str | None  # None: not a literal
    kind: LoopKind
    factory: str | None  # dotted expression of a zero-argument loop factory
    debug: bool
    extra: ExtraWork
    action: Action
    reason: str = ""  # why it is left (judge.py)
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
    #: its setup runs coroutines on the loop (``loop.run_until_complete(x)``): the setup
    #: fixture is async and awaits them (body.py: BodyReader.driven)
    drives: bool = False
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
    #: the resolved path of the helper module it is imported from (importers.py reads that
    #: module's own verdict there, when the run surveyed it)
    imported_path: str | None = None

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
class LoopOverrideSurvey:
    """What a file holds for event-loop-fixture: its ``event_loop`` and ``event_loop_policy``
    overrides, each with what to do with it, and what the rewrite needs to know around them."""

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
    #: the module-level bindings of ``event_loop`` it takes from pytest-asyncio or from a
    #: module of the project, each with that module's resolved path (None: pytest-asyncio's)
    loop_imports: tuple[tuple[LoopImport, str | None], ...] = ()
    #: the lines of those imports whose ``event_loop`` goes: pytest-asyncio 1.x no longer
    #: exports it, or the run removes it from the project module (settled by importers.py)
    dropped: frozenset[int] = frozenset()
    #: the lines of its bindings the rewrite cannot follow (``event_loop = m.event_loop``)
    #: that keep the override of the module they name in place (settled by importers.py)
    unfollowed: frozenset[int] = frozenset()
    #: its ``__all__`` lists ``event_loop`` (the name goes from there with the import)
    exports_loop: bool = False
    #: pytest collects a test of it (a helper module named ``test_*.py`` may have none: no
    #: hook branch for its own path then; its importers get theirs)
    has_tests: bool = True


def survey_source(source: str, facts: FileFacts) -> LoopOverrideSurvey | None:
    """What a file holds for event-loop-fixture, or None when it holds nothing."""
    if "pytest" not in source and not has_word(source.encode(), FIXTURE_NAME.encode()):
        return None  # (it could only import event_loop from a module of the project)
    read = survey_event_loop(source)
    tree, imports = read.tree, read.imports
    # a plugin module (pytest_plugins, -p) is loaded as a conftest.py is, for the whole run
    plugin = facts.is_conftest and os.path.basename(facts.path) != "conftest.py"
    is_conftest = plugin or os.path.basename(facts.path) == "conftest.py"
    # a conftest.py's own hook gives the tests below it their loop type (resolve_chain)
    hooked = is_conftest and module_function(tree, LOOP_FACTORIES_HOOK_NAME) is not None
    bindings = _loop_bindings(tree, facts)
    plugin_import = any(found is None for _, found in bindings)
    # a test module that takes event_loop from a module of the project need not import
    # pytest itself (auto mode): the helper's decorator says whether it is a fixture
    project_import = any(found is not None for _, found in bindings)
    if not plugin_import and not _may_override(source, read, is_conftest, hooked or project_import):
        return None
    local_classes = loop_classes(read.top_level_classes(), imports)
    module_names = bound_names(tree.body, imports)
    names = module_names.union(*(bound_names(c.body, imports) for c in read.top_level_classes()))
    target = facts.project.target
    # module-level fixtures, and in a test module those of its classes, in source order
    levels = ("module",) if is_conftest else ("module", "class")
    definitions = sorted(
        (d for d in read.definitions(by_imports=True) if d.site.level in levels), key=lambda d: d.func.lineno
    )
    file = FileEvidence(
        is_conftest=is_conftest,
        target=target,
        default_test_loop_scope=facts.project.default_test_loop_scope,
        functions=frozenset(s.name for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))),
        # (asked only where an override of a conftest.py is judged)
        serves_whole_run=is_conftest and bool(definitions) and _is_root(facts),
        sync_users=tuple(site.node.name for site in read.requests(sync_only=True)),
    )
    overrides = [_own_override(d, read, facts, file, local_classes, module_names) for d in definitions]
    if not is_conftest and not any(o.class_name is None for o in overrides):
        imported = _imported_override(tree, facts, file)
        if imported is not None:
            overrides.append(imported)
    overrides = _class_branches(overrides)
    policies = _beside_overrides(survey_policies(tree, imports, is_conftest, target), overrides)
    if not overrides and not policies and not hooked and not bindings and not _class_policies(tree, imports, target):
        return None
    carried = not is_conftest and any(o.action != "leave" and o.scope is not None for o in overrides)
    return LoopOverrideSurvey(
        path=os.path.realpath(facts.path),
        is_conftest=is_conftest,
        is_root=is_conftest and (plugin or _is_root(facts)),
        overrides=tuple(overrides),
        names=frozenset(names),
        policies=policies,
        fixtures_above=_fixtures_above(facts, names) if carried else (),
        loop_imports=bindings,
        # pytest-asyncio's own fixture goes from its import whatever else the run does
        dropped=frozenset(i.line for i, found in bindings if found is None and i.how == "import"),
        exports_loop=bool(bindings) and exports_name(tree, FIXTURE_NAME),
        has_tests=is_conftest or _has_tests(tree, facts),
    )


def _loop_bindings(tree: ast.Module, facts: FileFacts) -> tuple[tuple[LoopImport, str | None], ...]:
    """The module's bindings of ``event_loop`` from pytest-asyncio (path None) or from a
    module of the project (its resolved path); one from anywhere else is not this run's."""
    found: list[tuple[LoopImport, str | None]] = []
    root = project_root(facts.project)
    for binding in loop_imports(tree):
        if binding.from_plugin:
            found.append((binding, None))
            continue
        path = module_path(binding.module, binding.level, facts.path, root)
        if path is not None and path != os.path.realpath(facts.path):
            found.append((binding, path))
    return tuple(found)


def _has_tests(tree: ast.Module, facts: FileFacts) -> bool:
    """Whether pytest collects a test function of the module (at its top level or in a
    top-level class; a class's name is not asked: when in doubt it has tests)."""
    functions = [s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    functions += [
        s for c in tree.body if isinstance(c, ast.ClassDef)
        for s in c.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    return any(ast_collected_test_function(f, facts.project) for f in functions)


def _may_override(source: str, read: EventLoopSurvey, is_conftest: bool, hooked: bool) -> bool:
    """Whether an ``event_loop`` of the file may be a pytest-asyncio loop override."""
    if not hooked and not any(v.split(".")[0] in ("pytest", "pytest_asyncio") for v in read.imports.names.values()):
        return False
    if is_conftest:
        return True
    # A module with no coroutine and no asyncio mark: its event_loop is a plain fixture
    # that sync tests use; the same for anyio/trio modules.
    if not ("async def" in source or "mark.asyncio" in source or "pytest_asyncio" in source):
        return False
    signs = other_framework_signs(source, read.tree)
    return not (signs and "mark.asyncio" not in source and "pytest_asyncio" not in source)


def _own_override(
    definition: EventLoopDefinition,
    read: EventLoopSurvey,
    facts: FileFacts,
    file: FileEvidence,
    local_classes: set[str],
    module_names: set[str],
) -> Override:
    """An override defined in the file, read, then judged."""
    evidence, loop_helpers = _read_override(definition, read, facts, file, local_classes)
    return _override(evidence, judge(evidence, file), file, read.imports, local_classes, module_names, loop_helpers)


def _read_override(
    definition: EventLoopDefinition, read: EventLoopSurvey, facts: FileFacts, file: FileEvidence, local_classes: set[str]
) -> tuple[OverrideEvidence, tuple[str, ...]]:
    """What an override does (and the calls of the project's helpers that make its loop)."""
    func, class_name, decorator = definition.func, definition.site.class_name, definition.decorator
    tree, imports, target = read.tree, read.imports, file.target
    helpers = _helpers(func, tree, imports, local_classes, facts)
    loop_helpers = tuple(h.spelling for h in helpers if h.fits)
    nested = [read_nested(c, func) for c in nested_loop_classes(func, lambda b: is_loop_base(b, imports, local_classes))]
    # a test module's own loop class moves to its module level, where the covering
    # conftest's hook reaches it through item.module (target >= 1.4)
    movable_here = file.is_conftest or (class_name is None and target >= LOOP_FACTORIES_HOOK)
    moving = nested[0] if len(nested) == 1 and nested[0].movable and movable_here else None
    problem = move_problem(moving, func, tree, imports, target, file.is_conftest) if moving is not None else None
    if problem is not None:
        moving = None
    reader = BodyReader(imports, local_classes, loop_helpers, (moving.name,) if moving is not None else ())
    reader.read(func.body)
    evidence = OverrideEvidence(
        func, class_name, ast_fixture_scope(decorator), reader.facts, helpers, nested, moving, problem
    )
    return evidence, loop_helpers


def _override(
    evidence: OverrideEvidence,
    verdict: Verdict,
    file: FileEvidence,
    imports: ImportMap,
    local_classes: set[str],
    module_names: set[str],
    loop_helpers: tuple[str, ...],
) -> Override:
    """The override as the rewrite reads it: what it does, the verdict, its setup fixture's names."""
    func, body, scope, moving = evidence.func, evidence.body, evidence.scope, evidence.moving
    moved = (moving.name,) if moving is not None else ()
    # a loop class it defines that cannot move is what it made its loop of
    unmoved = evidence.nested and moving is None
    return Override(
        line=func.lineno,
        class_name=evidence.class_name,
        scope=scope,
        kind="custom" if unmoved else body.kind,
        factory=made_class(evidence.nested, func) if unmoved else body.factory,
        debug=body.debug,
        extra=body.extra,
        action=verdict.action,
        reason=verdict.reason,
        sync_users=file.sync_users,
        setup_names=(
            _setup_names(func, evidence.class_name, scope, imports, local_classes, module_names, loop_helpers, moved)
            if body.extra == "setup" and scope is not None
            else ()
        ),
        loop_helpers=loop_helpers,
        moved_class=moving.name if moving is not None else None,
        moved_instance=moving.instance if moving is not None else None,
        wraps=body.wraps,
        drives=body.drives,
        branch=verdict.branch,
    )


def _class_branches(overrides: list[Override]) -> list[Override]:
    """The module's branch of the covering conftest's hook gives its classes its loop
    type: a class whose own override gave asyncio's loop needs a branch of its own, ahead
    of the module's."""
    if not any(o.class_name is None and o.branch and o.kind != "asyncio" for o in overrides):
        return overrides
    return [
        replace(o, branch=True) if o.class_name is not None and o.kind == "asyncio" and o.action != "leave" else o
        for o in overrides
    ]


def _beside_overrides(policies: tuple[PolicyOverride, ...], overrides: Sequence[Override]) -> tuple[PolicyOverride, ...]:
    """The file's ``event_loop_policy`` overrides, given its ``event_loop`` overrides: one
    whose loop type becomes the hook already answers for both (one hook, one answer)."""
    if not any(o.kind != "asyncio" and o.factory is not None and o.action != "leave" for o in overrides):
        return policies
    return tuple(
        replace(p, action="leave", reason=(
            "the tests ran on the loop of this conftest's event_loop override (pytest-asyncio 0.23 used the "
            "override, not this policy, to make their loop), which becomes the pytest_asyncio_loop_factories "
            "hook; this policy only chose what asyncio.new_event_loop() made elsewhere: delete it, or set that "
            "policy where code that makes its own loops needs it"
        ))
        if p.action == "carry" and p.kind != "default" else p
        for p in policies
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

def _imported_override(tree: ast.Module, facts: FileFacts, file: FileEvidence) -> Override | None:
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
    class_import = None
    if body.kind == "custom":
        class_import = _class_import(body.factory, helper_imports, local_classes, module, level)
    verdict = judge_imported(
        body, func, scope, where, bool(nested_loop_classes(func, lambda b: True)), class_import, file
    )
    return Override(
        line=line,
        class_name=None,
        scope=scope,
        kind=body.kind,
        factory=body.factory,
        debug=body.debug,
        extra=body.extra,
        action=verdict.action,
        reason=verdict.reason,
        sync_users=file.sync_users,
        branch=verdict.branch,
        imported_from=where,
        imported_by=(module, level),
        factory_import=class_import if verdict.action != "leave" else None,
        imported_path=path,
    )


def _class_import(
    factory: str | None, imports: ImportMap, local_classes: set[str], module: str, level: int
) -> tuple[str, str] | None:
    """(module, name) from which a conftest.py imports the loop class a helper module's
    override makes its loop of, or None when it cannot (a relative import)."""
    full = imports.qualify_dotted(factory, well_known=False) if factory else None
    if full is None and factory in local_classes:
        full = f"{module}.{factory}" if level == 0 else None
    if full is None or "." not in full or full.startswith("."):
        return None
    found = full.rsplit(".", 1)
    return found[0], found[1]


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
        helper = follow(spelling, tree, facts.path, project_root(facts.project), makes_loop)
        if helper is not None:
            found.append(helper)
    return found


def _is_root(facts: FileFacts) -> bool:
    """Whether a conftest.py serves the whole run: it sits in the project's root, or its
    folder holds every test module of the project (``tests/conftest.py`` beside a
    ``pyproject.toml`` whose tests are all in ``tests/``); then the config's default loop
    scopes say what its override meant, and no collection hook is needed."""
    if project_root(facts.project) is None:
        return True
    return holds_every_test(os.path.dirname(os.path.abspath(facts.path)), facts.project)
