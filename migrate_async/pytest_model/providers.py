"""Who provides a fixture to a test or a fixture, the way pytest resolves it, and what a
module binds for the modules that import from it.

The whole-project check of a run's planned result (engine/plan_check.py) asks these
questions of every file as the run would leave it. Modules are read with ``ast``
(:func:`module_facts`, :func:`fixture_requests`), or, for a file the run rewrites, from the
top level of its LibCST trees before and after the edits (:func:`cst_module_facts`, in the
worker that has the trees; the two readings follow the same rules). Nothing is imported or run.

pytest's resolution, as modelled here (one rule, conservative: where it cannot tell, a name
is taken to be provided, since a false alarm is worse than a miss):

- a method's class: a fixture defined in its class body, or in the body of a base class
  defined in the same module;
- its module: a fixture defined at module level (under its ``name=`` too), or any name the
  module binds there (an imported fixture function is registered; an assignment or import of
  that name is taken to be one); a star-import may bind anything;
- the conftest.py files of its folder and of each folder above it, up to the project's root
  (:func:`conftest_chain`);
- plugin modules (``pytest_plugins``, a conftest.py's star-import, ``pytest11``, ``-p``:
  loading.py), for every test;
- a fixture is resolved for each test that uses it: a definition in a folder below the
  fixture's may provide what it requests there;
- pytest's own fixtures and those of plugins outside the project are not seen: only names the
  project provided, and the plugin fixtures the target no longer has
  (:func:`plugin_fixtures_gone`), are ever checked.

Imports of project modules resolve the way pytest's default ``prepend`` import mode lets a
test module import them (:func:`project_module_files`): from the first folder above the
importing file without an ``__init__.py`` (pytest puts it on ``sys.path``), from the
project's root (pytest run there) and its ``src/`` folder; a relative import from the
importing file's package.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from ..cstkit.names import dotted_name, head_name, string_value
from . import aiohttp_loop, event_loop
from .collection import ast_collected_test_function
from .fixtures import (
    ast_fixture_autouse,
    ast_fixture_decorator,
    ast_fixture_name,
    ast_requested_fixtures,
)
from .frameworks import other_framework_uses_ast
from .loading import import_roots, module_files
from .marks import ast_parametrized_names

if TYPE_CHECKING:
    from ..project import ProjectFacts

CONFTEST = "conftest.py"
#: how a test or fixture asks for a fixture besides a parameter
USEFIXTURES = "usefixtures"
GETFIXTUREVALUE = "getfixturevalue"
_REQUEST_CALL_BYTES = (USEFIXTURES.encode(), GETFIXTUREVALUE.encode())


def may_request_by_call(text: str | bytes) -> bool:
    """Whether a module's text (or bytes) may ask for a fixture in a call: it spells
    ``usefixtures`` or ``getfixturevalue`` (else ``fixture_requests(..., calls=False)``)."""
    if isinstance(text, bytes):
        return _REQUEST_CALL_BYTES[0] in text or _REQUEST_CALL_BYTES[1] in text
    return USEFIXTURES in text or GETFIXTUREVALUE in text


# -- what a module binds and provides ------------------------------------------------------


@dataclass(frozen=True)
class ClassFixtures:
    """A module-level class: the fixtures its body defines and the names of its bases."""

    name: str
    fixtures: frozenset[str]
    bases: tuple[str, ...]


@dataclass(frozen=True)
class ModuleFacts:
    """What a module binds at module level and the fixtures it defines, as a provider."""

    #: names bound at module level (in top-level ``if``/``try``/``with``/``for`` bodies too)
    bound: frozenset[str]
    #: those of them a definition or an assignment binds (not an import)
    defined: frozenset[str]
    #: the names module-level fixtures register (``name=`` too)
    fixtures: frozenset[str]
    classes: tuple[ClassFixtures, ...]
    #: a module-level star-import: it may bind anything
    star: bool

    def provides(self, name: str) -> bool:
        """Whether the module gives the fixture ``name`` to everything in it (and, for a
        conftest.py or a plugin module, to the tests it reaches)."""
        return self.star or name in self.bound or name in self.fixtures

    def class_provides(self, class_name: str, name: str) -> bool:
        """Whether the class ``class_name`` of this module, or a base class of it defined
        here, defines the fixture ``name``; a base from elsewhere (imported) may, so it is
        taken to (a false alarm is worse than a miss)."""
        by_name = {c.name: c for c in self.classes}
        seen: set[str] = set()
        todo = [class_name]
        while todo:
            base = todo.pop()
            current = by_name.get(base)
            if current is None:
                if base != class_name and base != "object":
                    return True  # a class of another module: what it defines is not seen here
                continue
            if current.name in seen:
                continue
            seen.add(current.name)
            if name in current.fixtures:
                return True
            todo.extend(current.bases)
        return False

    def defines_anywhere(self, name: str) -> bool:
        """Whether the module provides ``name`` at module level or in any of its classes."""
        return self.provides(name) or any(name in c.fixtures for c in self.classes)

    def names(self) -> frozenset[str]:
        """Every name the module binds or registers as a fixture, at module or class level."""
        return self.bound | self.fixtures | frozenset(n for c in self.classes for n in c.fixtures)


def lost_names(before: ModuleFacts, after: ModuleFacts, imported: Collection[str] = ()) -> frozenset[str]:
    """The names a module defined (a function, a class, an assignment) or registered as
    fixtures before an edit and no longer binds; of the names it only imported, those of
    ``imported`` (a module is not taken to re-export every name it imports: dropping an
    unused import is an everyday edit). None when it star-imports after the edit: it may
    bind anything."""
    if after.star:
        return frozenset()
    had = before.defined | before.fixtures | frozenset(n for c in before.classes for n in c.fixtures)
    had |= before.bound & frozenset(imported)
    return had - after.names()


def module_facts(tree: ast.Module) -> ModuleFacts:
    """:class:`ModuleFacts` of a module read with ``ast``."""
    bound: set[str] = set()
    imported: set[str] = set()
    fixtures: set[str] = set()
    classes: list[ClassFixtures] = []
    star = False
    for statement in _ast_module_level(tree.body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bound.add(statement.name)
            decorator = ast_fixture_decorator(statement, None)
            if decorator is not None:
                fixtures.add(ast_fixture_name(statement, decorator))
        elif isinstance(statement, ast.ClassDef):
            bound.add(statement.name)
            own = frozenset(
                ast_fixture_name(node, decorator)
                for node in statement.body
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and (decorator := ast_fixture_decorator(node, None)) is not None
            )
            bases = tuple(b.id if isinstance(b, ast.Name) else ast.unparse(b) for b in statement.bases)
            classes.append(ClassFixtures(statement.name, own, bases))
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                if alias.name == "*":
                    star = True
                else:
                    imported.add((alias.asname or alias.name).split(".")[0])
        else:
            bound.update(_ast_targets(statement))
    return ModuleFacts(frozenset(bound | imported), frozenset(bound), frozenset(fixtures), tuple(classes), star)


def _ast_module_level(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements that run at module level: the body, and the bodies of its compound
    statements other than functions and classes."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)):
            yield from _ast_module_level(statement.body)
            yield from _ast_module_level(getattr(statement, "orelse", []))
        elif isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
            yield from _ast_module_level(statement.body)  # type: ignore[attr-defined]
            for handler in statement.handlers:  # type: ignore[attr-defined]
                yield from _ast_module_level(handler.body)
            yield from _ast_module_level(statement.orelse)  # type: ignore[attr-defined]
            yield from _ast_module_level(statement.finalbody)  # type: ignore[attr-defined]


def _ast_targets(statement: ast.stmt) -> set[str]:
    """The plain names an assignment (``=``, annotated, augmented), a ``for`` or a ``with``
    statement binds."""
    if isinstance(statement, ast.Assign):
        targets: list[ast.expr] = list(statement.targets)
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
        targets = [statement.target]
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in statement.items if item.optional_vars is not None]
    else:
        return set()
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def cst_module_facts(module: cst.Module) -> ModuleFacts:
    """:class:`ModuleFacts` of a LibCST module, by :func:`module_facts`'s rules (only its
    top level and its classes' bodies are read: cheap on a tree already in memory)."""
    bound: set[str] = set()
    imported: set[str] = set()
    fixtures: set[str] = set()
    classes: list[ClassFixtures] = []
    star = False
    for statement in _cst_module_level(module.body):
        if isinstance(statement, cst.FunctionDef):
            bound.add(statement.name.value)
            name = _cst_fixture_name(statement)
            if name is not None:
                fixtures.add(name)
        elif isinstance(statement, cst.ClassDef):
            bound.add(statement.name.value)
            body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else ()
            own = frozenset(
                name for node in body if isinstance(node, cst.FunctionDef) and (name := _cst_fixture_name(node)) is not None
            )
            bases = tuple(
                a.value.value if isinstance(a.value, cst.Name) else (dotted_name(a.value) or "?")
                for a in statement.bases if a.keyword is None
            )
            classes.append(ClassFixtures(statement.name.value, own, bases))
        elif isinstance(statement, (cst.For, cst.With)):
            bound.update(_cst_names(statement.target if isinstance(statement, cst.For) else statement.items))
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    if isinstance(small.names, cst.ImportStar):
                        star = True
                        continue
                    for alias in small.names:
                        head = head_name(alias.asname.name if alias.asname is not None else alias.name)  # type: ignore[arg-type]
                        if head is not None:
                            imported.add(head)
                elif isinstance(small, cst.Assign):
                    bound.update(_cst_names([t.target for t in small.targets]))
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                    bound.update(_cst_names(small.target))
    return ModuleFacts(frozenset(bound | imported), frozenset(bound), frozenset(fixtures), tuple(classes), star)


def _cst_module_level(body: Sequence[cst.BaseStatement]) -> Iterator[cst.BaseStatement]:
    for statement in body:
        yield statement
        if isinstance(statement, (cst.If, cst.For, cst.While, cst.With, cst.Try, cst.TryStar)):
            for block in _cst_blocks(statement):
                yield from _cst_module_level(block)


def _cst_blocks(statement: cst.BaseStatement) -> Iterator[Sequence[cst.BaseStatement]]:
    """The statement bodies of a compound statement (``elif``/``else``, handlers, ``finally``)."""
    parts: list[cst.CSTNode | None] = [getattr(statement, "body", None), getattr(statement, "orelse", None)]
    parts += list(getattr(statement, "handlers", ()))
    parts.append(getattr(statement, "finalbody", None))
    for part in parts:
        if isinstance(part, cst.If):
            yield [part]  # an ``elif``
        elif isinstance(part, cst.BaseSuite):
            yield _statements(part)
        elif part is not None and hasattr(part, "body"):
            yield _statements(part.body)  # an ``else``, ``finally`` or ``except`` clause


def _statements(suite: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    """A block's statements; a one-line block's (``if X: import y``) as one line, as ast reads it."""
    if isinstance(suite, cst.IndentedBlock):
        return suite.body
    return [cst.SimpleStatementLine(body=suite.body)] if isinstance(suite, cst.SimpleStatementSuite) else ()


def _cst_names(node: cst.CSTNode | Sequence[cst.CSTNode]) -> set[str]:
    """The plain names bound by an assignment target (or ``with`` items' ``as`` targets)."""
    found: set[str] = set()
    todo: list[cst.CSTNode] = list(node) if isinstance(node, Sequence) else [node]
    while todo:
        current = todo.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, (cst.Tuple, cst.List)):
            todo.extend(e.value for e in current.elements)
        elif isinstance(current, cst.StarredElement):
            todo.append(current.value)
        elif isinstance(current, cst.WithItem) and current.asname is not None:
            todo.append(current.asname.name)
    return found


def _cst_fixture_name(func: cst.FunctionDef) -> str | None:
    """The name a fixture decorator whose last name is ``fixture`` registers (its literal
    ``name=``, else the function's), or None: ``ast_fixture_decorator(func, None)``'s rule."""
    for decorator in func.decorators:
        expr = decorator.decorator
        target = expr.func if isinstance(expr, cst.Call) else expr
        dotted = dotted_name(target)
        if dotted is None or dotted.rsplit(".", 1)[-1] != "fixture":
            continue
        if isinstance(expr, cst.Call):
            for arg in expr.args:
                if arg.keyword is not None and arg.keyword.value == "name":
                    value = string_value(arg.value)
                    if value is not None:
                        return value
        return func.name.value
    return None


# -- who asks for a fixture ----------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """A request of the fixture ``name`` by a test or a fixture of a module."""

    name: str
    line: int
    column: int  # 1-based
    #: the lines of the test or fixture it belongs to (a note already there speaks for it)
    span: tuple[int, int]
    #: how it asks: "a parameter of test_x", "usefixtures", "getfixturevalue"
    how: str
    #: the module-level class it is in, if any
    class_name: str | None = None
    #: asked by a fixture (resolved for each test that uses it), not by a test
    by_fixture: bool = False
    #: a parameter that nothing in its function reads: deleting it is the whole fix
    unused: bool = False
    #: the module's tests are another plugin's (anyio, trio): no asyncio loop runs there
    framework: str | None = None
    #: the fixture that asks, by parameter, when only the tests that use it get it (not
    #: autouse): where none uses it, its request is not made (None: unknown, or everywhere)
    requester: str | None = None


def fixture_requests(tree: ast.Module, names: Collection[str], project: ProjectFacts, calls: bool = True) -> list[Request]:
    """The requests of the fixtures ``names`` a module makes: a parameter of a test pytest
    collects or of a fixture (module level or a module-level class's; not one pytest fills
    from a default or the test's own direct ``parametrize``), ``usefixtures("name")`` and
    ``getfixturevalue("name")`` anywhere (``calls=False``: the text names neither, so the
    calls are not looked for). Functions that are neither tests nor fixtures are helpers:
    whoever calls them passes the value."""
    found: list[Request] = []
    for statement in tree.body:
        class_name = statement.name if isinstance(statement, ast.ClassDef) else None
        functions = [statement] if class_name is None else list(statement.body)  # type: ignore[attr-defined]
        for node in functions:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found += _parameter_requests(node, names, project, class_name)
        for node, by_fixture in _calls(statement) if calls else ():
            if isinstance(node.func, ast.Attribute) and node.func.attr in (USEFIXTURES, GETFIXTUREVALUE):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and arg.value in names:
                        found.append(Request(
                            arg.value, node.lineno, node.col_offset + 1, (node.lineno, node.lineno),
                            node.func.attr, class_name, by_fixture,
                        ))
    if found:
        found = _with_frameworks(tree, found)
    return sorted(found, key=lambda r: (r.line, r.column, r.name))


def _with_frameworks(tree: ast.Module, requests: list[Request]) -> list[Request]:
    """``requests`` with the framework that runs each one's test: an anyio or trio mark on
    its function or its class, else a sign of one at module level (``pytestmark``,
    ``pytest_plugins``, an ``anyio_backend`` fixture)."""

    def framework(nodes: Iterable[ast.AST]) -> str | None:
        signs = " ".join(what for node in nodes for _line, what in other_framework_uses_ast(node))
        return "trio" if "trio" in signs else "anyio" if signs else None

    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    module = framework(
        s for s in tree.body
        if not isinstance(s, definitions) or (not isinstance(s, ast.ClassDef) and s.name == "anyio_backend")
    )
    spans: list[tuple[int, int, str]] = []
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            own = framework(statement.decorator_list)
            if own is not None:
                spans.append((statement.lineno, statement.end_lineno or statement.lineno, own))
            if isinstance(statement, ast.ClassDef):
                for inner in statement.body:
                    if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        marked = framework(inner.decorator_list)
                        if marked is not None:
                            spans.append((inner.lineno, inner.end_lineno or inner.lineno, marked))
    result = []
    for request in requests:
        inner = [word for first, last, word in spans if first <= request.line <= last]
        chosen = inner[-1] if inner else module
        result.append(replace(request, framework=chosen) if chosen is not None else request)
    return result


def _parameter_requests(
    node: ast.FunctionDef | ast.AsyncFunctionDef, names: Collection[str], project: ProjectFacts, class_name: str | None
) -> list[Request]:
    wanted = [n for n in ast_requested_fixtures(node.args) if n in names]
    if not wanted:
        return []
    decorator = ast_fixture_decorator(node, None)
    fixture = decorator is not None
    if not fixture and not ast_collected_test_function(node, project, exclude_fixtures=False):
        return []  # a helper: whoever calls it passes the value
    requester = None
    if decorator is not None and not ast_fixture_autouse(decorator):
        requester = ast_fixture_name(node, decorator)
    filled = ast_parametrized_names(node, indirect=False)
    span = (min([node.lineno, *(d.lineno for d in node.decorator_list)]), node.end_lineno or node.lineno)
    read = {n.id for statement in node.body for n in event_loop.walk_nodes(statement) if isinstance(n, ast.Name)}
    params = {a.arg: a for a in node.args.args + node.args.kwonlyargs}
    return [
        Request(name, params[name].lineno, params[name].col_offset + 1, span, f"a parameter of {node.name}",
                class_name, fixture, name not in read, requester=requester)
        for name in wanted
        if name not in filled
    ]


def _calls(statement: ast.stmt) -> Iterator[tuple[ast.Call, bool]]:
    """Every call in a module-level statement, with whether it is inside a fixture (a
    function of the module or of a module-level class that a fixture decorator marks)."""
    todo: list[tuple[ast.AST, bool]] = [(statement, False)]
    while todo:
        node, in_fixture = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not in_fixture:
            in_fixture = ast_fixture_decorator(node, None) is not None
        if isinstance(node, ast.Call):
            yield node, in_fixture
        todo.extend((child, in_fixture) for child in ast.iter_child_nodes(node))


def provided(request: Request, here: ModuleFacts, visible: Iterable[ModuleFacts], below: Iterable[ModuleFacts] = ()) -> bool:
    """Whether something provides ``request``'s fixture where it is asked: its class, its
    module (``here``), the conftest.py chain and plugin modules (``visible``), or, for a
    request of a fixture, a module in a folder below it (``below``)."""
    name = request.name
    if request.class_name is not None and here.class_provides(request.class_name, name):
        return True
    if here.provides(name) or any(m.provides(name) for m in visible):
        return True
    return request.by_fixture and any(m.defines_anywhere(name) for m in below)


def conftest_chain(path: Path, root: Path | None) -> list[Path]:
    """The conftest.py files whose fixtures reach the module at ``path`` (existing or not):
    its folder's and each folder's above it, up to the project's ``root`` (the file's own
    folder alone without one)."""
    folder = path.parent
    limit = root if root is not None else folder
    chain = []
    for here in (folder, *folder.parents):
        chain.append(here / CONFTEST)
        if here == limit or limit not in here.parents:
            break
    return chain


# -- what a module imports -----------------------------------------------------------------


def project_module_files(module: str, level: int, importer: Path, root: Path | None) -> list[Path]:
    """The files of the project ``from <module> import ...`` (``level`` dots) in ``importer``
    may load, first found first; none for a module outside the project."""
    return module_files(module, level, importer, import_roots(str(importer), root))


def is_submodule(package_file: Path, name: str) -> bool:
    """Whether ``name`` is a submodule of the package whose ``__init__.py`` is ``package_file``."""
    if package_file.name != "__init__.py":
        return False
    folder = package_file.parent
    return (folder / f"{name}.py").is_file() or (folder / name / "__init__.py").is_file()


def plugin_fixtures_gone(project: ProjectFacts) -> frozenset[str]:
    """The fixtures pytest-asyncio before 1.0 provided that the project's target no longer
    does, and the loop fixtures of a plugin the project loads that requested them
    (pytest-aiohttp 1.0's ``loop``, removed in 1.1) with that plugin's other fixtures 1.1
    removed (``aiohttp_unused_port``): a request of one that nothing of the project provides
    fails under the target."""
    gone = event_loop.fixtures_gone(project.target)
    return gone | project.plugin_loops | aiohttp_loop.removed_fixtures(project) if gone else gone


def gone_imports(project: ProjectFacts) -> dict[str, frozenset[str]]:
    """module → the names ``from <module> import`` no longer finds in the project's target
    of pytest-asyncio (an ImportError)."""
    return event_loop.imports_gone(project.target)


def unprovided_message(name: str, how: str, unused: bool, framework: str | None = None) -> str:
    """The note for a request of a plugin fixture the target no longer has
    (:func:`plugin_fixtures_gone`) that nothing of the project provides."""
    if name in aiohttp_loop.LOOP_FIXTURES or name in aiohttp_loop.REMOVED_IN_1_1:
        return aiohttp_loop.unprovided_message(name, how, unused)
    return event_loop.unprovided_message(name, how, unused, framework)


def gone_import_message(module: str, name: str) -> str:
    """The note for ``from <module> import <name>`` that the target no longer has."""
    return event_loop.gone_import_message(module, name)
