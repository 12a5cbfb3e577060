"""Following a call to a helper of the project, for the survey passes.

Real suites build what a test needs in functions of their own (``tests/utils.py:
get_event_loop()`` returning ``asyncio.get_event_loop()`` with a ``new_event_loop()``
fallback) and call them from fixtures and tests. The survey follows such a call to its
definition (the module's own function, or one it imports from a module of the project,
relative imports included: one level) and reads that function with ``ast``; the caller
judges it (event-loop-fixture: "only returns the current or a new asyncio loop";
get-running-loop: "reaches asyncio.get_event_loop() in sync code"; sync-to-async: "runs the
loop it is handed", :func:`drives_given_loop`, on a function or a class's ``__init__``,
:func:`module_callable`, and "takes the current loop", :func:`reads_current_loop`). Only survey passes
read other files; the rewrite gets the answer from the survey, by the local spelling of
the call.
"""
from __future__ import annotations

import ast
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..imports.resolve import ImportMap, ast_dotted_name
from ..paths import inside
from .event_loop import own_nodes
from .loading import import_roots, module_files
from .outside_loop import CURRENT_LOOP_CALLS, LOOP_RUN_METHODS


@dataclass(frozen=True)
class Helper:
    """A function of the project a module calls, as the survey found it."""

    spelling: str  # the call's dotted name in the calling module (``get_event_loop``)
    where: str  # ``tests/utils.py:31``, for notes
    fits: bool  # the caller's judge said yes of its definition (a sync ``def``)


#: How a module's definition of a name is found: the function (or method) to read, or None.
Finder = Callable[[ast.Module, str], "ast.FunctionDef | ast.AsyncFunctionDef | None"]

#: The last helper module parsed, by path and bytes: overrides of one suite share a helper
#: module, and a run that rewrote it (a second run, tests) reads it afresh.
_parsed: dict[str, tuple[bytes, ast.Module | None]] = {}


def parsed_module(path: str) -> ast.Module | None:
    """The module at ``path`` read with ``ast`` (the last one read again while its bytes are
    the same), or None when it cannot be read or parsed."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    last = _parsed.get(path)
    if last is not None and last[0] == data:
        return last[1]
    try:
        tree: ast.Module | None = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError):
        tree = None
    if len(_parsed) > 64:
        _parsed.clear()
    _parsed[path] = (data, tree)
    return tree


def called_names(body: Sequence[ast.stmt]) -> list[str]:
    """The dotted names of the zero-argument calls that may give an override its loop: the
    value its top-level statements yield or return (``yield f()``, ``return f()``), or bind
    to a name they yield or return (``loop = f()`` ... ``yield loop``), in order. A helper
    called for its effect (``reset_registry()``) is setup, not the loop."""
    given = {v.id for v in map(_given, body) if isinstance(v, ast.Name)}
    found: list[str] = []
    for stmt in body:
        value = _given(stmt)
        if isinstance(stmt, ast.Assign):
            names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
            value = stmt.value if names and set(names) <= given else None
        if isinstance(value, ast.Call) and not value.args and not value.keywords:
            dotted = ast_dotted_name(value.func)
            if dotted is not None and dotted not in found:
                found.append(dotted)
    return found


def _given(stmt: ast.stmt) -> ast.expr | None:
    """What a statement yields or returns (None for anything else)."""
    if isinstance(stmt, ast.Return):
        return stmt.value
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield):
        return stmt.value.value
    return None


def follow(
    spelling: str, tree: ast.Module, importer: str, root: Path | None, judge, find: Finder | None = None
) -> Helper | None:
    """The helper ``spelling`` names in the module ``tree`` (the file ``importer``), read from
    its definition within the project ``root``; None when it is not a function of the project.
    ``judge(func, module_tree)`` judges the definition (only a sync ``def`` is judged).
    ``find``: how a module's definition of a name is found (:func:`module_function`, or
    :func:`module_callable` for a class's ``__init__`` too)."""
    found = _definition(spelling, tree, importer, root, find or module_function)
    if found is None:
        return None
    func, module_tree, path = found
    same = os.path.realpath(path) == os.path.realpath(importer)
    where = f"line {func.lineno}" if same else f"{display_in_project(path, root)}:{func.lineno}"
    return Helper(spelling, where, isinstance(func, ast.FunctionDef) and judge(func, module_tree))


def imported_definition(
    tree: ast.Module, name: str, importer: str, root: Path | None
) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, ast.Module, str, tuple[str, int], int, str] | None:
    """The function a module imports by name from a module of the project (``from
    tests.helpers import event_loop``, at its top level and under its own name): its
    definition, that module's tree, where it is (``tests/helpers.py:12``), the import's
    (module, level), the import's line and the module's resolved path; None when nothing
    so imports it."""
    for stmt in tree.body:
        if not isinstance(stmt, ast.ImportFrom):
            continue
        if any(alias.name == name and alias.asname in (None, name) for alias in stmt.names):
            found = _in_module(stmt.module or "", stmt.level, name, importer, root)
            if found is None:
                return None
            func, module_tree, path = found
            where = f"{display_in_project(path, root)}:{func.lineno}"
            return func, module_tree, where, (stmt.module or "", stmt.level), stmt.lineno, os.path.realpath(path)
    return None


def display_in_project(path: str, root: Path | None) -> str:
    """``path`` as notes say it: from the project's root (its file name without one)."""
    if root is not None:
        try:
            return Path(path).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return os.path.basename(path)


def _definition(
    spelling: str, tree: ast.Module, importer: str, root: Path | None, find: Finder
) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, ast.Module, str] | None:
    parts = spelling.split(".")
    head = parts[0]
    if len(parts) == 1:
        own = find(tree, head)
        if own is not None:
            return own, tree, importer
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if (alias.asname or alias.name) != head or alias.name == "*":
                    continue
                module = stmt.module or ""
                if len(parts) == 1:  # from M import f
                    return _in_module(module, stmt.level, alias.name, importer, root, find)
                if len(parts) == 2:  # from pkg import utils; utils.f()
                    inner = f"{module}.{alias.name}" if module else alias.name
                    return _in_module(inner, stmt.level, parts[1], importer, root, find)
        elif isinstance(stmt, ast.Import) and len(parts) >= 2:
            for alias in stmt.names:
                if alias.asname == head and len(parts) == 2:  # import tests.utils as utils
                    return _in_module(alias.name, 0, parts[1], importer, root, find)
                if alias.asname is None and alias.name == ".".join(parts[:-1]):  # import tests.utils
                    return _in_module(alias.name, 0, parts[-1], importer, root, find)
    return None


def _in_module(
    module: str, level: int, name: str, importer: str, root: Path | None, find: Finder | None = None
) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, ast.Module, str] | None:
    for path in module_files(module, level, Path(importer), import_roots(importer, root)):
        if root is not None and not inside(path, root):
            continue
        module_tree = parsed_module(str(path))
        func = (find or module_function)(module_tree, name) if module_tree is not None else None
        if func is not None and module_tree is not None:
            return func, module_tree, str(path)
    return None


def module_function(tree: ast.Module, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    return next(
        (s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name), None
    )


def module_callable(tree: ast.Module, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """What calling ``name`` runs first, of the module's top level: its function, or its
    class's own ``__init__`` (None for a class without one: what it inherits is not read)."""
    func = module_function(tree, name)
    if func is not None:
        return func
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == name:
            return module_function(ast.Module(body=stmt.body, type_ignores=[]), "__init__")
    return None


def drives_given_loop(func: ast.FunctionDef | ast.AsyncFunctionDef, position: int | None, keyword: str | None) -> int | None:
    """The line where a sync function (a class's ``__init__``: ``self`` is not counted)
    runs the loop it is handed as argument ``position`` or ``keyword`` (``loop.run_until_complete``,
    ``loop.run_forever``, also through ``self.x = loop``), in its own body (a nested
    function or lambda runs later, maybe on the running loop); None when it does not, or
    when the argument reaches ``*args`` / ``**kwargs`` (not followed)."""
    if isinstance(func, ast.AsyncFunctionDef):
        return None
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    if func.name == "__init__" and positional:
        positional = positional[1:]
    if keyword is not None:
        names = {a.arg for a in [*args.args, *args.kwonlyargs]}  # (not a positional-only one)
        if keyword not in names:
            return None
        param = keyword
    elif position is not None and position < len(positional):
        param = positional[position].arg
    else:
        return None
    loops: set[str] = {param}
    for node in own_nodes(func.body):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id == param:
            for target in node.targets:
                dotted = ast_dotted_name(target)
                if dotted is not None:
                    loops.add(dotted)
    for node in own_nodes(func.body):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOOP_RUN_METHODS
            and ast_dotted_name(node.func.value) in loops
        ):
            return node.lineno
    return None


def reads_current_loop(func: ast.FunctionDef | ast.AsyncFunctionDef, module: ast.Module) -> bool:
    """Whether a sync function (a class's ``__init__``) calls one of the asyncio calls that
    take the current loop (:data:`outside_loop.CURRENT_LOOP_CALLS`) in its own body, not in a
    function or lambda nested in it (those may run later, on a running loop): a test that
    calls it with the ``event_loop`` fixture it never reads was given a current loop for it."""
    if isinstance(func, ast.AsyncFunctionDef):
        return False
    imports = ImportMap.from_ast(module)
    return any(
        isinstance(node, ast.Call) and imports.qualify_ast(node.func) in CURRENT_LOOP_CALLS for node in own_nodes(func.body)
    )

