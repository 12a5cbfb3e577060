"""The project's own library code that runs an event loop, or takes the current one, read
by the names of its sync functions and methods.

A library with a sync facade (``SMTP.sendmail_sync()``, which calls ``async_to_sync()``,
which runs ``asyncio.get_event_loop().run_until_complete(...)``) is tested from sync tests
that request ``event_loop`` under pytest-asyncio 0.x: the fixture made the loop current
that the facade finds, and the test may drive other coroutines on it too. Such a test
cannot become async (the facade would run a loop inside the running one: "This event loop
is already running"), and its ``event_loop`` is not unused though the test never reads it.
The test reaches the facade through a fixture's object (``client.sendmail_sync()``), so the
facade is found by the name the test calls: conservatively, any sync function or method of
the project's packages with that name.

Read with ``ast`` from the packages at the project's root and in its ``src/`` folder
(folders with an ``__init__.py`` whose name does not say test), once per process and root;
a tree too big to read cheaply answers nothing (as before this was known). Only what is
asked is worked out: whether a name runs or takes a loop is followed from that name's
definitions along the names they call (:class:`_Reaching`), and a module is parsed only
when its bytes spell a name followed (most of a package never is).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import unicodedata
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

from ..imports.resolve import ImportMap
from ..paths import file_size
from .event_loop import own_nodes
from .outside_loop import (
    CURRENT_LOOP_CALLS,
    LOOP_MAKERS,
    LOOP_RUN_FUNCTIONS,
    LOOP_RUN_METHODS,
    ast_copes_with_no_current_loop,
    ast_reads_policy_loop,
)

#: What is read at most: beyond it, nothing is known (a miss, never a wrong answer).
_MAX_FILES = 400
_MAX_BYTES = 4_000_000


@dataclass(frozen=True)
class LibraryLoops:
    """Names of the project's sync functions and methods (the last part of their
    spelling) that run an event loop (``runs``), and that take the current one (``takes``),
    themselves or through another of these names: ``name in library.runs``."""

    runs: Container[str] = frozenset()
    takes: Container[str] = frozenset()
    #: names that make a loop of their own (``asyncio.new_event_loop()``), themselves or
    #: through another of these names: given no loop, they need no current one
    makes: Container[str] = frozenset()
    #: names whose definitions were read (what the three above can speak for)
    defined: Container[str] = frozenset()
    #: the top-level names of the packages read
    packages: frozenset[str] = frozenset()

    def callee(
        self, spelling: str, imported: Mapping[str, str],
        function: ast.FunctionDef | None = None, module: ast.Module | None = None,
    ) -> str | None:
        """The name a call spelled so (``client.sendmail_sync``, ``async_to_sync``) may
        reach in the project's packages: its last part, unless its head is bound by an import
        of something else (``asyncio.get_running_loop``); ``imported``: the module's
        import bindings, local name → full name. Given the ``function`` the call is in (and
        its ``module``), only where its head may hold the project's own object (see
        :func:`_may_be_project_object`): ``srv.close()`` on what ``asyncio.start_server()``
        made, ``event_loop.close()`` or ``open(...)``'s ``f.close()`` reach no ``close`` of the
        project's, and a bare name the module does not import from the project is a builtin or
        its own."""
        head, _, rest = spelling.partition(".")
        full = imported.get(head)
        if full is not None:
            return spelling.rsplit(".", 1)[-1] if full.split(".")[0] in self.packages else None
        if function is not None and (not rest or not _may_be_project_object(head, function, module, imported, self.packages)):
            return None
        return spelling.rsplit(".", 1)[-1]


def library_loops(root: Path | None) -> LibraryLoops:
    """What the packages of the project at ``root`` say (see the module docstring)."""
    if root is None:
        return LibraryLoops()
    return _read(str(root))


@lru_cache(maxsize=16)
def _read(root: str) -> LibraryLoops:
    files = list(islice(_library_files(Path(root)), _MAX_FILES + 1))
    if len(files) > _MAX_FILES or sum(file_size(path) for _package, path in files) > _MAX_BYTES:
        return LibraryLoops()  # told before anything is parsed
    modules: list[bytes] = []
    packages: set[str] = set()
    for package, path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if b"def " in data:
            packages.add(package)
            modules.append(data)
    index = _Index(modules)
    return LibraryLoops(
        runs=_Reaching(index, 1), takes=_Reaching(index, 2), makes=_Reaching(index, 3), defined=_Defined(index),
        packages=frozenset(packages),
    )


#: where a module defines a function or a class, and its name (a comment or a string
#: saying so too: a module read for nothing is only time). Between the two, what Python
#: allows: spaces, tabs, form feeds and line continuations (a backslash before a lone
#: carriage return too), never a bare line end (``# the base class`` before ``class
#: Client:`` would take ``class`` for the name); and each keyword is tried, matched or
#: not (a lookahead). The name is all up to ``(``, ``[``, ``:``, a space or a backslash: an
#: identifier may hold what a regex's \w does not (``a·b``, a combining accent, ``℘``),
#: and Python reads it NFKC (see _identifier)
_DEFINED = re.compile(r"\b(?:def|class)(?=(?:[ \t\f\v]|\\(?:\r\n?|\n))+([^\s(\[:\\]+))")

#: where a module defines a function ``__init__`` at its top level (see _Index)
_INIT = "__init__"
_MODULE_INIT = re.compile(r"^def(?:[ \t\f\v]|\\(?:\r\n?|\n))+__init__\b", re.MULTILINE)

#: what is known of one function: its name, whether its own body runs a loop, whether it
#: takes the current one, and the names it calls (see _read_function)
_Function = tuple[str, bool, bool, bool, frozenset[str]]


class _Index:
    """The package's modules, each parsed the first time a name it defines is looked up
    (what each defines is read off its text first: ``def``/``class`` and a name)."""

    def __init__(self, modules: list[bytes]) -> None:
        self._unparsed: dict[int, bytes] = dict(enumerate(modules))
        self._defining: dict[str, list[int]] = {}
        for number, data in enumerate(modules):
            text = _text(data)
            names = set(map(_identifier, _DEFINED.findall(text)))
            if _INIT in names and _MODULE_INIT.search(text) is None:
                # a method ``__init__`` is read by its class's name (_functions): looked up by
                # its own (``super().__init__()``), only a module-level one can answer, and
                # every class's would have its module parsed for nothing
                names.discard(_INIT)
            for name in names:
                self._defining.setdefault(name, []).append(number)
        #: the functions of the modules parsed, by name: read (_read_function) once their
        #: name is looked up, as they are parsed after that
        self._unread: dict[str, list[tuple[ast.FunctionDef, ImportMap]]] = {}
        self._by_name: dict[str, list[_Function]] = {}
        #: the names of the parsed modules' classes that define no ``__init__`` of their own
        self._inheriting: set[str] = set()

    def definitions(self, name: str) -> list[_Function]:
        """The sync functions and methods called ``name`` (a class's ``__init__`` by the
        class's name)."""
        for number in self._defining.get(name, ()):
            data = self._unparsed.pop(number, None)
            if data is not None:
                self._parse(data)
        found = self._by_name.get(name)
        if found is None:
            found = self._by_name[name] = [_read_function(name, f, i) for f, i in self._unread.pop(name, ())]
        return found

    def all_read(self, name: str) -> bool:
        """Whether ``name`` has definitions and every one of them is read: no class called so
        inherits its ``__init__`` (not followed: what it runs is not known)."""
        return bool(self.definitions(name)) and name not in self._inheriting

    def _parse(self, data: bytes) -> None:
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError):
            return
        imports = ImportMap.from_ast(tree)
        self._inheriting.update(_inheriting(tree.body))
        for name, func in _functions(tree.body):
            if name in self._by_name:  # (looked up already: read now)
                self._by_name[name].append(_read_function(name, func, imports))
            else:
                self._unread.setdefault(name, []).append((func, imports))


def _text(data: bytes) -> str:
    """A module's text as Python reads it: in the encoding its coding cookie or BOM says."""
    if data.isascii():
        return data.decode("ascii")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding, "replace")
    except (SyntaxError, LookupError):
        return data.decode("utf-8", "replace")  # (nor does ast parse it)


def _identifier(spelled: str) -> str:
    """The name Python gives an identifier spelled so: NFKC (``ﬁle`` is ``file``)."""
    return spelled if spelled.isascii() else unicodedata.normalize("NFKC", spelled)


class _Defined:
    """The names the packages define a sync function, method or ``__init__`` of, every
    definition read (where a class so called has no ``__init__`` of its own, what it
    inherits is not followed: not one of these, though another class of the name has one):
    ``name in defined``."""

    def __init__(self, index: _Index) -> None:
        self._index = index

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._index.all_read(name)


class _Reaching:
    """The names whose functions do it (``which``: 1 runs a loop, 2 takes the current
    one, 3 makes one of its own), or call a name that does, to any depth: ``name in
    reaching``. Followed from the name asked along the names its definitions call; each
    answer is kept."""

    def __init__(self, index: _Index, which: int) -> None:
        self._index = index
        self._which = which
        self._known: dict[str, bool] = {}

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        known = self._known.get(name)
        if known is None:
            known = self._known[name] = self._reaches(name)
        return known

    def _reaches(self, name: str) -> bool:
        """Each name followed is kept too: all of them when none reaches (each was followed
        to its end), those from the name asked to the one that does when one does; the
        next name asked stops where these are (asked one by one, a graph no name of which
        reaches was followed anew from each)."""
        caller: dict[str, str | None] = {name: None}
        todo = [name]
        while todo:
            current = todo.pop()
            for function in self._index.definitions(current):
                if function[self._which]:
                    return self._found(current, caller)
                for called in function[4]:
                    known = self._known.get(called)
                    if known:
                        return self._found(current, caller)
                    if known is None and called not in caller:
                        caller[called] = current
                        todo.append(called)
        self._known.update(dict.fromkeys(caller, False))
        return False

    def _found(self, reaching: str | None, caller: dict[str, str | None]) -> bool:
        while reaching is not None:
            self._known[reaching] = True
            reaching = caller[reaching]
        return True


def _library_files(root: Path) -> Iterator[tuple[str, Path]]:
    for base in (root, root / "src"):
        if not base.is_dir():
            continue
        for package in sorted(base.iterdir()):
            if not (package / "__init__.py").is_file() or _says_test(package.name):
                continue
            for path in sorted(package.rglob("*.py")):
                parts = path.relative_to(package).parts
                if not any(_says_test(p.removesuffix(".py")) for p in parts) and path.name != "conftest.py":
                    yield package.name, path


def _says_test(name: str) -> bool:
    return name.startswith("test") or name.endswith("_test") or name.endswith("tests")


def _functions(body: list[ast.stmt], owner: str | None = None) -> Iterator[tuple[str, ast.FunctionDef]]:
    """The sync functions of a module and the methods of its classes (nested ones too), by
    the name a caller spells: a class's ``__init__`` by the class's."""
    for statement in body:
        if isinstance(statement, ast.FunctionDef):
            yield (owner if statement.name == "__init__" and owner else statement.name), statement
        elif isinstance(statement, ast.ClassDef):
            yield from _functions(statement.body, statement.name)


def _inheriting(body: list[ast.stmt]) -> Iterator[str]:
    """The classes of a module (nested ones too) that define no ``__init__`` of their own."""
    for statement in body:
        if isinstance(statement, ast.ClassDef):
            if not any(isinstance(s, ast.FunctionDef) and s.name == _INIT for s in statement.body):
                yield statement.name
            yield from _inheriting(statement.body)


def _read_function(name: str, func: ast.FunctionDef, imports: ImportMap) -> _Function:
    """Its name, whether its own body runs a loop, whether it takes the current one, and
    the names it calls (the last part of each spelling)."""
    runs = takes = makes = False
    called: set[str] = set()
    coping = _coping(func.body)
    for node in own_nodes(func.body):
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Attribute):
            called.add(target.attr)
            runs = runs or target.attr in LOOP_RUN_METHODS
        elif isinstance(target, ast.Name):
            called.add(target.id)
        full = imports.qualify_ast(target)
        runs = runs or full in LOOP_RUN_FUNCTIONS
        makes = makes or full in LOOP_MAKERS
        if id(node) not in coping:
            takes = takes or full in CURRENT_LOOP_CALLS or ast_reads_policy_loop(node, imports.qualify_ast)
    return name, runs, takes, makes, frozenset(called)


def _coping(body: list[ast.stmt]) -> set[int]:
    """The nodes of a body inside a ``try`` that catches "There is no current event loop"
    (``_get_or_new_eventloop()``: get_event_loop(), else a new loop) and does not raise it
    again: a reader there copes."""
    found: set[int] = set()
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Try) and any(ast_copes_with_no_current_loop(h) for h in node.handlers):
                found.update(id(inner) for part in node.body for inner in ast.walk(part))
    return found


def _may_be_project_object(
    head: str, function: ast.FunctionDef, module: ast.Module | None, imported: Mapping[str, str], packages: frozenset[str],
) -> bool:
    """Whether a name a function calls a method on may hold an object of the project's
    packages: ``self``, a parameter (a fixture's value) not named for a loop, or a local bound
    from one of those, from a name imported from the project or one of the module's own;
    not a local every binding of which comes from elsewhere (``open()``, ``asyncio``'s, a
    literal), even through ``await`` or ``loop.run_until_complete()``."""
    arguments = function.args
    params = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}

    def origin(name: str, depth: int) -> bool:
        if name in ("self", "cls"):
            return True
        if name in imported:
            return imported[name].split(".")[0] in packages
        if name in params:
            return not name.lower().endswith("loop")
        values = _bound_values(name, function)
        if not values:
            return module is not None and name in _module_names(module)
        return depth < 3 and any(root != name and origin(root, depth + 1) for value in values for root in _root_names(value))

    return origin(head, 0)


def _bound_values(name: str, function: ast.FunctionDef) -> list[ast.expr]:
    """What a function binds a name to (assignments, ``with ... as``, ``for``, ``:=``)."""
    values: list[ast.expr] = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(_binds(t, name) for t in node.targets):
            values.append(node.value)
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None and _binds(node.target, name):
            values.append(node.value)
        elif isinstance(node, (ast.For, ast.comprehension)) and _binds(node.target, name):
            values.append(node.iter)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None and _binds(node.optional_vars, name):
            values.append(node.context_expr)
    return values


def _binds(target: ast.expr, name: str) -> bool:
    if isinstance(target, (ast.Tuple, ast.List)):
        return any(_binds(t, name) for t in target.elts)
    return isinstance(target, ast.Name) and target.id == name


def _root_names(value: ast.expr) -> list[str]:
    """The names a value comes from: ``Client(...)``, ``await connect()``,
    ``loop.run_until_complete(connect())`` → the callee's head; a list or tuple → its items';
    a literal → none."""
    while True:
        if isinstance(value, ast.Await):
            value = value.value
        elif isinstance(value, ast.Call):
            func = value.func
            if isinstance(func, ast.Attribute) and func.attr in LOOP_RUN_METHODS and value.args:
                value = value.args[0]
            else:
                value = func
        elif isinstance(value, (ast.Attribute, ast.Subscript, ast.Starred)):
            value = value.value
        elif isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            return [name for item in value.elts for name in _root_names(item)]
        elif isinstance(value, ast.Name):
            return [value.id]
        else:
            return []


def _module_names(module: ast.Module) -> set[str]:
    """The names a module's own top-level statements define or assign."""
    names: set[str] = set()
    for statement in module.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            for target in statement.targets if isinstance(statement, ast.Assign) else [statement.target]:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names
