"""The ``event_loop`` fixture as a survey pass reads it: its definitions, its requests, and
the libraries whose loops count as asyncio loops.

pytest-asyncio 1.0 removed the fixture; two transforms need to know where a project still
defines or requests it: event-loop-fixture (to carry an override's meaning over) and
event-loop-argument (to leave every use alone when the project's own ``event_loop`` is not
an asyncio loop). Both survey passes read one :class:`EventLoopSurvey` of a file, parsed
once with ``ast``, and keep their own projection of it.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import libcst as cst

from ..cstkit.names import code_of, dotted_name
from ..imports.resolve import ImportMap
from ..paths import inside
from ..readings import keep_for_glance, take_tree
from .fixtures import ast_fixture_decorator, ast_fixture_name, ast_requested_fixtures
from .versions import NO_EVENT_LOOP_FIXTURE

if TYPE_CHECKING:
    from .versions import Version

FIXTURE_NAME = "event_loop"
#: The fixture pytest-asyncio 0.23-1.x takes the loop type from (overriding it is deprecated in 1.4).
POLICY_FIXTURE = "event_loop_policy"
#: The fixtures of pytest-asyncio before 1.x that give the loop or its type.
LOOP_FIXTURES = frozenset({FIXTURE_NAME, POLICY_FIXTURE})
#: the hook that chooses the loop type of the tests below a conftest.py (pytest-asyncio >= 1.4)
LOOP_FACTORIES_HOOK_NAME = "pytest_asyncio_loop_factories"
#: Words of the docstring of the ``event_loop`` fixture sync-to-async adds to a conftest.py
#: for sync code that needs a loop object: a fixture carrying them is the project's own
#: (an ordinary fixture on 1.x), not a 0.21 override to carry over, whatever the pins say.
OWN_LOOP_MARK = "for sync code that needs a loop object"

AstFunction = ast.FunctionDef | ast.AsyncFunctionDef


# -- the loop-library table ----------------------------------------------------------------


@dataclass(frozen=True)
class LoopLibrary:
    """A library that builds asyncio-compatible event loops (not asyncio itself)."""

    module: str
    #: event-loop-fixture: a zero-argument call of one of its names, or a module-level
    #: class derived from one, is a custom loop it carries over to a loop-factories hook
    #: (uvloop is not: it has a kind of its own there, with its own creators)
    custom_loop: bool
    #: event-loop-argument: the module's name, or a name imported from it, in an
    #: ``event_loop`` fixture says the fixture builds an asyncio loop
    asyncio_word: bool


#: The one table. Where the two transforms' old tables disagreed the flags keep their
#: answers: tokio was only event-loop-fixture's, quamash and asyncqt only
#: event-loop-argument's.
LOOP_LIBRARIES: tuple[LoopLibrary, ...] = (
    LoopLibrary("uvloop", custom_loop=False, asyncio_word=True),
    LoopLibrary("winloop", custom_loop=True, asyncio_word=True),
    LoopLibrary("rloop", custom_loop=True, asyncio_word=True),
    LoopLibrary("async_solipsism", custom_loop=True, asyncio_word=True),
    LoopLibrary("qasync", custom_loop=True, asyncio_word=True),
    LoopLibrary("quamash", custom_loop=False, asyncio_word=True),
    LoopLibrary("asyncqt", custom_loop=False, asyncio_word=True),
    LoopLibrary("tokio", custom_loop=True, asyncio_word=False),
)


def loop_library_modules(*, custom_loop: bool | None = None, asyncio_word: bool | None = None) -> tuple[str, ...]:
    """The modules of :data:`LOOP_LIBRARIES` with the given flags (None: either)."""
    return tuple(
        lib.module
        for lib in LOOP_LIBRARIES
        if (custom_loop is None or lib.custom_loop == custom_loop)
        and (asyncio_word is None or lib.asyncio_word == asyncio_word)
    )


# -- the survey ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FunctionSite:
    """A function of the module and where it is defined."""

    node: AstFunction
    #: "module" (module level), "class" (directly in a module-level class) or "nested"
    level: str
    class_name: str | None = None  # for "class"


@dataclass(frozen=True)
class EventLoopDefinition:
    """A fixture registered as ``event_loop`` (by its function name or ``name=``)."""

    site: FunctionSite
    decorator: ast.expr

    @property
    def func(self) -> AstFunction:
        return self.site.node


@dataclass
class EventLoopSurvey:
    """One file read with ``ast``: what the ``event_loop`` survey passes ask of it.

    Functions, classes and imports are listed in ``ast.walk`` order (breadth first).
    """

    source: str
    tree: ast.Module
    #: the module-level imports (ImportMap's rules)
    imports: ImportMap
    functions: tuple[FunctionSite, ...]
    #: every class, at any depth
    classes: tuple[ast.ClassDef, ...]
    #: every import statement, at any depth (functions included)
    import_statements: tuple[ast.Import | ast.ImportFrom, ...]
    _definitions: dict[bool, tuple[EventLoopDefinition, ...]] = field(default_factory=dict, repr=False)

    def definitions(self, by_imports: bool) -> tuple[EventLoopDefinition, ...]:
        """The ``event_loop`` fixtures defined anywhere in the file.

        ``by_imports`` chooses how a fixture decorator is recognised (see
        ``fixtures.ast_fixture_decorator``): True, it must resolve through the module's
        imports to ``pytest.fixture``/``pytest_asyncio.fixture`` (event-loop-fixture, which
        rewrites the override); False, any decorator whose last name is ``fixture``
        (event-loop-argument, which only needs to know the project defines one).
        """
        found = self._definitions.get(by_imports)
        if found is None:
            imports = self.imports if by_imports else None
            definitions = []
            for site in self.functions:
                decorator = ast_fixture_decorator(site.node, imports)
                if decorator is not None and ast_fixture_name(site.node, decorator) == FIXTURE_NAME:
                    definitions.append(EventLoopDefinition(site, decorator))
            found = self._definitions[by_imports] = tuple(definitions)
        return found

    def requests(self, *, sync_only: bool = True) -> tuple[FunctionSite, ...]:
        """Functions (tests, fixtures, helpers; any depth) other than ``event_loop`` itself
        that take an ``event_loop`` parameter (positional-or-keyword or keyword-only);
        with ``sync_only``, the ``def`` ones."""
        return tuple(
            site
            for site in self.functions
            if (not sync_only or isinstance(site.node, ast.FunctionDef))
            and site.node.name != FIXTURE_NAME
            and FIXTURE_NAME in ast_requested_fixtures(site.node.args, defaults=True)
        )

    def top_level_classes(self) -> list[ast.ClassDef]:
        return [stmt for stmt in self.tree.body if isinstance(stmt, ast.ClassDef)]


def _read(source: str) -> EventLoopSurvey:
    tree = take_tree(source)  # (the project model's reading, when it read this module)
    if tree is None:
        tree = ast.parse(source)
    keep_for_glance(source, tree)  # (the engine reads the module again before rewriting it)
    functions: list[FunctionSite] = []
    classes: list[ast.ClassDef] = []
    imports: list[ast.Import | ast.ImportFrom] = []
    levels = _levels(tree)
    statements = _walk(tree, _BLOCKS)
    for node in statements:
        kind = type(node)
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            functions.append(FunctionSite(node, *levels.get(id(node), _NESTED)))  # type: ignore[arg-type]
        elif kind is ast.ClassDef:
            classes.append(node)  # type: ignore[arg-type]
        elif kind is ast.Import or kind is ast.ImportFrom:
            imports.append(node)  # type: ignore[arg-type]
    _WALKS[id(tree)] = [tree, statements, None]
    return EventLoopSurvey(
        source=source,
        tree=tree,
        imports=ImportMap.from_ast(tree),
        functions=tuple(functions),
        classes=tuple(classes),
        import_statements=tuple(imports),
    )


#: the level of a function that is neither a module's own statement nor one of a
#: module-level class body (FunctionSite.level), and its class name
_NESTED: tuple[str, str | None] = ("nested", None)


def _levels(tree: ast.Module) -> dict[int, tuple[str, str | None]]:
    """id → (level, class name) of the module's own functions ("module") and those of its
    module-level classes' bodies ("class"): a function anywhere else is "nested"."""
    levels: dict[int, tuple[str, str | None]] = {}
    for statement in tree.body:
        kind = type(statement)
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            levels[id(statement)] = ("module", None)
        elif kind is ast.ClassDef:
            for inner in statement.body:  # type: ignore[attr-defined]
                if type(inner) is ast.FunctionDef or type(inner) is ast.AsyncFunctionDef:
                    levels[id(inner)] = ("class", statement.name)  # type: ignore[attr-defined]
    return levels


#: what holds statements: a statement (a block's), an ``except`` clause, a ``case``;
#: statements sit only in lists of these (``body``, ``orelse``, ``handlers``...), and no
#: expression holds one
_BLOCKS = (ast.stmt, ast.excepthandler, ast.match_case)


def _walk(tree: ast.AST, kinds: type[ast.AST] | tuple[type[ast.AST], ...] = ast.AST) -> list[ast.AST]:
    """``list(ast.walk(tree))``: breadth first, the same order (``ast.iter_child_nodes``
    spelled out over one growing list: this walk is a good part of what the survey of a
    big tree costs). With ``kinds`` (_BLOCKS), only the nodes of those kinds under blocks
    of them: the module, its statements at any depth and what holds them, still in that
    order (a walk that leaves out a subtree keeps the order of the rest)."""
    nodes: list[ast.AST] = [tree]
    append, base = nodes.append, ast.AST
    whole = kinds is base
    for node in nodes:  # (the list grows as it is read: a queue that keeps what it gave)
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for child in value:
                    if isinstance(child, kinds):
                        append(child)
            elif whole and isinstance(value, base):
                append(value)
    return nodes


#: the tree of the last file read (by id, with the tree kept alive) → [that tree, its
#: statements (walk_statements), all its nodes once asked for (walk_nodes)]
_WALKS: dict[int, list] = {}


def walk_nodes(tree: ast.AST) -> list[ast.AST]:
    """``list(ast.walk(tree))`` (of any node), without the generator: for the tree of the
    file the survey read last, listed once (every survey of one file walks the same tree)."""
    known = _WALKS.get(id(tree))
    if known is None or known[0] is not tree:
        return _walk(tree)
    if known[2] is None:
        known[2] = _walk(tree)
    return known[2]


def own_nodes(body: Sequence[ast.stmt]) -> Iterator[ast.AST]:
    """The nodes of a function body, not those of the functions, lambdas and classes in it."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def walk_statements(tree: ast.Module) -> list[ast.AST]:
    """:func:`walk_nodes` with only the module, its statements at any depth, and the
    ``except`` clauses and ``case`` blocks holding some, in the same order: where a survey
    looks for functions, classes or imports, a walk of a few nodes in ten."""
    known = _WALKS.get(id(tree))
    if known is None or known[0] is not tree:
        return _walk(tree, _BLOCKS)
    return known[1]


_last: EventLoopSurvey | None = None


def survey_event_loop(source: str) -> EventLoopSurvey:
    """The survey of one file's text (SyntaxError/ValueError when it does not parse).

    The survey passes of both transforms get the same text in turn; the last reading is
    kept, so a file is parsed once for both.
    """
    global _last
    last = _last
    if last is not None and (last.source is source or last.source == source):
        return last
    _WALKS.clear()
    _last = _read(source)
    return _last


def module_tree(source: str) -> ast.Module:
    """``ast.parse(source)``, or the tree the survey read last when it read this text (the
    survey passes of one file run in turn): not to be changed (SyntaxError/ValueError when
    the text does not parse)."""
    last = _last
    if last is not None and (last.source is source or last.source == source):
        return last.tree
    return ast.parse(source)


# -- what pytest-asyncio 1.x no longer has ------------------------------------------------



def fixtures_gone(target: "Version") -> frozenset[str]:
    """The loop fixtures of pytest-asyncio before 1.0 that ``target`` no longer provides."""
    return frozenset({FIXTURE_NAME}) if target >= NO_EVENT_LOOP_FIXTURE else frozenset()


def imports_gone(target: "Version") -> dict[str, frozenset[str]]:
    """module → the names of it that ``target`` no longer has (``from pytest_asyncio.plugin
    import event_loop`` was how some suites shared the fixture)."""
    gone = fixtures_gone(target)
    return {module: gone for module in PLUGIN_MODULES} if gone else {}


def unprovided_message(name: str, how: str, unused: bool = False, framework: str | None = None) -> str:
    """The note for a request of ``name`` (a fixture of :func:`fixtures_gone`) that nothing
    of the project provides after the run; ``framework``: the module's tests are that
    plugin's (anyio, trio), where no asyncio loop runs to hand over."""
    if framework is not None and not unused:
        return (
            f"still requests the {name} fixture ({how}), which pytest-asyncio 1.x no longer "
            f"provides and nothing here defines: it errors with \"fixture '{name}' not found\"; "
            f"its tests are {framework}'s, where no asyncio loop runs to take instead: rewrite what "
            "it does with the loop for that framework by hand"
        )
    if unused:
        return (
            f"still requests the {name} fixture ({how}), which pytest-asyncio 1.x no longer "
            f"provides and nothing here defines: it errors with \"fixture '{name}' not found\"; "
            "nothing in it reads the parameter: delete it"
        )
    return (
        f"still requests the {name} fixture ({how}), which pytest-asyncio 1.x no longer "
        f"provides and nothing here defines: it errors with \"fixture '{name}' not found\"; "
        "in async code use asyncio.get_running_loop(), and for sync code that needs a loop "
        f"object define an {name} fixture of the project's own (a new loop, yielded, then "
        "closed) in a conftest.py"
    )


def gone_import_message(module: str, name: str) -> str:
    """The note for ``from <module> import <name>`` where pytest-asyncio 1.x has no ``name``."""
    return (
        f"imports {name} from {module}, which pytest-asyncio 1.x no longer has: the module fails "
        f"with ImportError; remove {name} from the import (tests get the running loop from "
        "asyncio.get_running_loop())"
    )


# -- imports of it -------------------------------------------------------------------------

#: The modules of pytest-asyncio 0.x a test suite imported its fixtures from.
PLUGIN_MODULES = ("pytest_asyncio.plugin", "pytest_asyncio")

#: How a module binds ``event_loop`` from another module: ``from m import event_loop``
#: ("import": pytest registers the fixture in the importer under its own name), ``from m
#: import event_loop as x`` ("alias": registered as ``x`` by some pytest versions, as
#: ``event_loop`` by others), ``event_loop = m.event_loop`` ("assign").
LoopImportHow = Literal["import", "alias", "assign"]


@dataclass(frozen=True)
class LoopImport:
    """A module-level binding of ``event_loop`` taken from another module."""

    line: int
    module: str  # as written, without its leading dots
    level: int  # the leading dots of a relative import
    how: LoopImportHow

    @property
    def from_plugin(self) -> bool:
        """Whether it takes pytest-asyncio's own fixture (gone in 1.x)."""
        return self.level == 0 and self.module in PLUGIN_MODULES


def loop_imports(tree: ast.Module) -> tuple[LoopImport, ...]:
    """The module-level statements that bind ``event_loop`` (or bind another name to it)
    from another module, in source order; a star import is not one (what it binds is the
    other module's business)."""
    modules: dict[str, tuple[str, int]] = {}  # a bound name -> the module it is
    found: list[LoopImport] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname is not None:
                    modules[alias.asname] = (alias.name, 0)
                else:
                    modules[alias.name.split(".")[0]] = (alias.name.split(".")[0], 0)
        elif isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if alias.name == FIXTURE_NAME:
                    how: LoopImportHow = "import" if alias.asname in (None, FIXTURE_NAME) else "alias"
                    found.append(LoopImport(stmt.lineno, stmt.module or "", stmt.level, how))
                elif alias.name != "*":
                    inner = f"{stmt.module}.{alias.name}" if stmt.module else alias.name
                    modules[alias.asname or alias.name] = (inner, stmt.level)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            value = stmt.value
            if not any(isinstance(t, ast.Name) and t.id == FIXTURE_NAME for t in targets):
                continue
            if isinstance(value, ast.Attribute) and value.attr == FIXTURE_NAME:
                dotted = _dotted(value.value)
                head = dotted.split(".")[0] if dotted else None
                if dotted is not None and head in modules:
                    module, level = modules[head]
                    rest = dotted[len(head):]
                    # ``import a.b`` binds ``a``: ``a.b.event_loop`` is the module ``a.b``'s
                    found.append(LoopImport(stmt.lineno, module + rest if level or rest else module, level, "assign"))
    return tuple(found)


def _dotted(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        inner = _dotted(expr.value)
        return f"{inner}.{expr.attr}" if inner is not None else None
    return None


def exports_name(tree: ast.Module, name: str) -> bool:
    """Whether the module's ``__all__`` (a list or tuple of strings at module level) lists ``name``."""
    for stmt in tree.body:
        if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and isinstance(stmt.value, (ast.List, ast.Tuple)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and any(
                isinstance(e, ast.Constant) and e.value == name for e in stmt.value.elts
            ):
                return True
    return False


def module_path(module: str, level: int, importer: str, root: Path | None) -> str | None:
    """The resolved path of the project module an import of ``importer`` names (a relative
    import beside it; an absolute one under the project's root, its ``src/``, or the first
    folder above the importer that is not a package: pytest's rootdir-relative
    ``sys.path`` entry), or None when it is not a module of the project."""
    from .loading import (  # (loading reads this module's OWN_LOOP_MARK)
        import_roots,
        module_files,
    )

    for path in module_files(module, level, Path(importer), import_roots(importer, root)):
        if root is None or inside(path, root):
            return os.path.realpath(path)
    return None


@dataclass(frozen=True)
class LoopBinding:
    """A module-level ``from <module> import <name> [as event_loop]`` that binds
    ``event_loop`` (a relative import too), read from a LibCST tree by the rewrite."""

    statement: cst.SimpleStatementLine
    module: str  # as written, without its leading dots
    level: int
    name: str  # the name imported: ``event_loop``, or another fixture's (``counting_loop``)

    @property
    def from_plugin(self) -> bool:
        """pytest-asyncio's own fixture (gone in 1.x)."""
        return self.level == 0 and self.module in PLUGIN_MODULES

    @property
    def renamed(self) -> bool:
        """Another fixture under the name: pytest registers it as ``event_loop`` here."""
        return self.name != FIXTURE_NAME


def cst_loop_binding(body: Sequence[cst.BaseStatement]) -> LoopBinding | None:
    """The module-level import that binds ``event_loop`` in a module body (the last, as
    Python binds it), or None."""
    found: LoopBinding | None = None
    for stmt in body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            for alias in small.names:
                bound = code_of(alias.asname.name) if alias.asname is not None else code_of(alias.name)
                if bound == FIXTURE_NAME:
                    module = dotted_name(small.module) or "" if small.module is not None else ""
                    found = LoopBinding(stmt, module, len(small.relative), code_of(alias.name))
    return found
