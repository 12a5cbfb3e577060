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
a tree too big to read cheaply answers nothing (as before this was known).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..imports.resolve import ImportMap
from .outside_loop import CURRENT_LOOP_CALLS

#: Loop methods that run the loop in the calling thread.
_RUNS = frozenset({"run_until_complete", "run_forever"})
_RUN_FUNCTIONS = frozenset({"asyncio.run", "asyncio.runners.run"})
#: What is read at most: beyond it, nothing is known (a miss, never a wrong answer).
_MAX_FILES = 400
_MAX_BYTES = 4_000_000


@dataclass(frozen=True)
class LibraryLoops:
    """Names of the project's sync functions and methods (the last part of their
    spelling) that run an event loop, and that take the current one, themselves or through
    another of these names."""

    runs: frozenset[str] = frozenset()
    takes: frozenset[str] = frozenset()
    #: the top-level names of the packages read
    packages: frozenset[str] = frozenset()

    def callee(self, spelling: str, imported: dict[str, str]) -> str | None:
        """The name a call spelled so (``client.sendmail_sync``, ``async_to_sync``) may
        reach in the project's packages: its last part, unless its head is bound by an import
        of something else (``asyncio.get_running_loop``); ``imported``: the module's
        import bindings, local name → full name."""
        head = spelling.split(".")[0]
        full = imported.get(head)
        if full is not None and full.split(".")[0] not in self.packages:
            return None
        return spelling.rsplit(".", 1)[-1]


def library_loops(root: Path | None) -> LibraryLoops:
    """What the packages of the project at ``root`` say (see the module docstring)."""
    if root is None:
        return LibraryLoops()
    return _read(str(root))


@lru_cache(maxsize=16)
def _read(root: str) -> LibraryLoops:
    functions: list[tuple[str, bool, bool, frozenset[str]]] = []
    packages: set[str] = set()
    total = 0
    for count, (package, path) in enumerate(_library_files(Path(root))):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        total += len(data)
        if count >= _MAX_FILES or total > _MAX_BYTES:
            return LibraryLoops()
        if b"def " not in data:
            continue
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError):
            continue
        packages.add(package)
        imports = ImportMap.from_ast(tree)
        for name, func in _functions(tree.body):
            functions.append(_read_function(name, func, imports))
    return LibraryLoops(_closure(functions, 1), _closure(functions, 2), frozenset(packages))


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


def _read_function(name: str, func: ast.FunctionDef, imports: ImportMap) -> tuple[str, bool, bool, frozenset[str]]:
    """Its name, whether its own body runs a loop, whether it takes the current one, and
    the names it calls (the last part of each spelling)."""
    runs = takes = False
    called: set[str] = set()
    for node in _own_nodes(func.body):
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Attribute):
            called.add(target.attr)
            runs = runs or target.attr in _RUNS
        elif isinstance(target, ast.Name):
            called.add(target.id)
        full = imports.qualify_ast(target)
        runs = runs or full in _RUN_FUNCTIONS
        takes = takes or full in CURRENT_LOOP_CALLS
    return name, runs, takes, frozenset(called)


def _own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """The nodes of a body outside the functions, lambdas and classes nested in it (those
    may run later, or on a loop)."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    stack: list[ast.AST] = [node for node in body if not isinstance(node, nested)]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, nested):
                stack.append(child)


def _closure(functions: list[tuple[str, bool, bool, frozenset[str]]], which: int) -> frozenset[str]:
    """The names whose function does it (``which``: 1 runs a loop, 2 takes the current one)
    or calls a name that does, to a fixed point."""
    found = {f[0] for f in functions if f[which]}
    while True:
        more = {name for name, *_rest, called in functions if name not in found and called & found}
        if not more:
            return frozenset(found)
        found |= more
