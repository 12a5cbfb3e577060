"""sync-to-async's survey: what a file tells the others, read with ``ast`` before any rewrite.

A conftest.py tells the modules below it which ``event_loop`` their tests got before 1.0
(its overrides' cache scopes) and which of its fixtures run on pytest-asyncio's loop after
the migration (:class:`ConftestLoops`). A test module tells the conftest.py files above it
which fixtures named for a loop its sync code requests, and what its tests and fixtures
request (:class:`SyncLoopRequests`, gathered by :func:`gather_sync_loop_requests` into a
:class:`BelowLoops`): a conftest.py's fixture that only hands out ``event_loop`` hands out
the running loop only when none does, and one that hands the loop on becomes async when
only async code consumes it (pytest_model.loop_flow). Either also tells the file itself
which callables of the project its fixtures hand ``event_loop`` to run that loop themselves
(:class:`LoopDriver`): such a fixture cannot go on the running loop.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from ...imports.resolve import ImportMap, ast_dotted_name
from ...paths import within
from ...project import FileFacts, project_root
from ...pytest_model.aiohttp_loop import defined_loop_fixtures, loop_fixture_names
from ...pytest_model.collection import ast_collected_test_function
from ...pytest_model.event_loop import (
    FIXTURE_NAME,
    survey_event_loop,
    walk_nodes,
    walk_statements,
)
from ...pytest_model.fixtures import (
    ast_fixture_decorator,
    ast_fixture_name,
    ast_fixture_scope,
    ast_requested_fixtures,
)
from ...pytest_model.frameworks import ast_runner_mark_fixtures
from ...pytest_model.library_loops import LibraryLoops, library_loops
from ...pytest_model.loop_flow import (
    FileRequests,
    ast_file_requests,
    ast_idle_loop_user,
    module_defines_loop,
)
from ...pytest_model.project_helpers import (
    drives_given_loop,
    follow,
    module_callable,
    reads_current_loop,
)
from ...pytest_model.providers import GETFIXTUREVALUE, USEFIXTURES, may_request_by_call


class LoopDriver(NamedTuple):
    """A callable of the project that a fixture of the file hands ``event_loop`` to (as the
    argument ``position`` or ``keyword`` of a call spelled ``spelling``), and that runs it
    (``run_until_complete``) where it is defined (``where``, for notes)."""

    spelling: str
    position: int | None
    keyword: str | None
    where: str


class ConftestLoops(NamedTuple):
    """What a conftest.py tells the modules below it."""

    #: the cache scopes of the ``event_loop`` fixtures it defines (None for a scope that is
    #: not a literal)
    loop_scopes: tuple[str | None, ...]
    #: its fixtures that run on pytest-asyncio's loop after the migration: async ones, and
    #: sync ones that take ``event_loop`` (which may be converted)
    on_asyncio_loop: frozenset[str]
    #: for the conftest.py itself: see LoopDriver, and the file they were read in
    drivers: tuple[LoopDriver, ...] = ()
    path: str = ""
    #: the loop fixtures of a plugin the project loads (pytest-aiohttp's ``loop``) that it
    #: provides itself: below it they are the project's own (pytest_model.aiohttp_loop)
    defines_plugin_loops: frozenset[str] = frozenset()
    #: what its fixtures request (pytest_model.loop_flow): a fixture of a test module below
    #: may be consumed by them (an override of a fixture a conftest.py fixture requests)
    requests: FileRequests | None = None
    #: its fixtures whose params carry a runner's mark (pytest_model.frameworks.
    #: runner_mark_fixtures): a test below that requests one is not pytest-asyncio's to run
    runner_fixtures: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SyncLoopRequests:
    """What a test module's survey says: the fixtures named for a loop that its sync tests
    and fixtures request (by parameter, ``usefixtures`` or ``getfixturevalue``; not a sync
    test that the running loop, handed to it idle, serves: loop_flow.ast_idle_loop_user), and what its
    tests and fixtures request (for pytest_model.loop_flow); None when the module could not
    be read."""

    names: frozenset[str] | None
    requests: FileRequests | None = None
    #: the loop fixtures that only sync tests the running loop serves request (not in
    #: ``names``): they count after all where an ``event_loop`` of its own serves them (a
    #: conftest.py below the alias's, see gather_sync_loop_requests)
    idle_names: frozenset[str] = frozenset()
    #: for the module itself: see LoopDriver, and the file they were read in
    drivers: tuple[LoopDriver, ...] = ()
    path: str = ""
    #: for the module itself: the calls (by spelling) its sync tests and fixtures that take
    #: ``event_loop`` make of callables of the project that take the current loop (see
    #: :func:`current_loop_helpers`)
    current_loop_helpers: frozenset[str] = frozenset()
    #: for the module itself: the calls (by spelling) those tests and fixtures make of the
    #: project's own sync functions and methods that run an event loop (a sync facade:
    #: pytest_model.library_loops), which fail inside a running loop
    loop_running_calls: frozenset[str] = frozenset()
    #: for the module itself: its fixtures whose params carry a runner's mark (see ConftestLoops)
    runner_fixtures: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BelowLoops:
    """What a conftest.py learns from the test modules below it (see SyncLoopRequests);
    None when a module there could not be read: then anything may be requested there."""

    sync_loop_names: frozenset[str] | None
    requests: tuple[FileRequests, ...] | None


def survey_file(source: str, facts: FileFacts) -> ConftestLoops | SyncLoopRequests | None:
    """Of a conftest.py: its :class:`ConftestLoops`, None when it has neither an
    ``event_loop`` fixture nor one on pytest-asyncio's loop. A module's own definitions are
    read from its tree.

    Of a test module: its :class:`SyncLoopRequests`, for the conftest.py files above it."""
    if not facts.is_conftest:
        # (a test module without "loop" requests no fixture named for one, and one without
        # "async def", or with no conftest.py above that names the loop fixture, has no
        # async consumer of a fixture that takes the loop: not parsed)
        wanted = facts.is_test_module and ("loop" in source or ("async def" in source and facts.loop_fixture_above))
        return _sync_loop_requests(source, facts) if wanted else None
    read = survey_event_loop(source)
    defined = defined_loop_fixtures(source, facts.project.plugin_loops)
    loop_fixtures = loop_fixture_names(facts.project.plugin_loops, defined)
    scopes: list[str | None] = []
    on_asyncio_loop: set[str] = set()
    for statement in read.tree.body:
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorator = ast_fixture_decorator(statement, None)
        if decorator is None:
            continue
        name = ast_fixture_name(statement, decorator)
        if name == FIXTURE_NAME:
            scopes.append(ast_fixture_scope(decorator))
        elif isinstance(statement, ast.AsyncFunctionDef) or loop_fixtures.intersection(
            ast_requested_fixtures(statement.args, defaults=True)
        ):
            on_asyncio_loop.add(name)
    # its fixtures' requests: they may consume a fixture a module below overrides (even a
    # conftest.py with no loop of its own, whose sync app(executor) an async test requests)
    requests = ast_file_requests(read.tree, facts.project, is_test_module=False)
    # (one that says neither "async" nor "loop" is not surveyed at all: Triggers.survey_any,
    # a miss accepted for speed, so none is read here either)
    consumes = bool(requests.fixtures) and ("async" in source or "loop" in source)
    runners = frozenset(ast_runner_mark_fixtures(read.tree)) if "marks=" in source else frozenset()
    if not scopes and not on_asyncio_loop and not defined and not consumes and not runners:
        return None
    return ConftestLoops(
        tuple(scopes), frozenset(on_asyncio_loop), loop_drivers(read.tree, facts), facts.path, defined, requests, runners
    )


def loop_drivers(tree: ast.Module, facts: FileFacts) -> tuple[LoopDriver, ...]:
    """The callables of the project the file's sync fixtures hand ``event_loop`` to
    (``Client(loop=event_loop)``, ``prime(event_loop)``) that run it themselves, followed to
    their definitions (pytest_model.project_helpers: the module's own, or one it imports)."""
    found: list[LoopDriver] = []
    looked: set[tuple[str, int | None, str | None]] = set()
    root = project_root(facts.project)
    for func in walk_statements(tree):
        if not isinstance(func, ast.FunctionDef) or ast_fixture_decorator(func, None) is None:
            continue
        if FIXTURE_NAME not in ast_requested_fixtures(func.args, defaults=True):
            continue
        for node in walk_nodes(func):
            if not isinstance(node, ast.Call):
                continue
            spelling = ast_dotted_name(node.func)
            if spelling is None:
                continue
            for how in _loop_arguments(node):
                if (spelling, *how) in looked:
                    continue
                looked.add((spelling, *how))
                lines: list[int] = []

                def judge(definition: ast.FunctionDef, _module: ast.Module, how=how, lines=lines) -> bool:
                    line = drives_given_loop(definition, *how)
                    if line is not None:
                        lines.append(line)
                    return line is not None

                helper = follow(spelling, tree, facts.path, root, judge, find=module_callable)
                if helper is not None and helper.fits:
                    where = f"line {lines[0]}" if helper.where.startswith("line ") else f"{helper.where.rsplit(':', 1)[0]}:{lines[0]}"
                    found.append(LoopDriver(spelling, *how, where))
    return tuple(found)


def _loop_arguments(call: ast.Call) -> list[tuple[int | None, str | None]]:
    """Where a call is handed ``event_loop``: (position, None) or (None, keyword)."""
    found: list[tuple[int | None, str | None]] = []
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            break  # (positions after a *args are not known)
        if isinstance(arg, ast.Name) and arg.id == FIXTURE_NAME:
            found.append((index, None))
    for keyword in call.keywords:
        if keyword.arg is not None and isinstance(keyword.value, ast.Name) and keyword.value.id == FIXTURE_NAME:
            found.append((None, keyword.arg))
    return found


def gather_sync_loop_requests(found: list[Any]) -> BelowLoops:
    """For a conftest.py: what the test modules below it request (see BelowLoops)."""
    names: set[str] | None = set()
    requests: list[FileRequests] | None = []
    # an event_loop of a conftest.py below serves its tests a loop of its own, not the
    # running loop the alias would hand them: their idle uses of the alias count there (in
    # the test modules at or below its folder; one whose place is not known, anywhere)
    overriding = [
        os.path.dirname(value.path) for value in found if isinstance(value, ConftestLoops) and value.loop_scopes
    ]
    for value in found:
        if not isinstance(value, SyncLoopRequests):
            continue
        served = any(not value.path or not folder or within(value.path, folder) for folder in overriding)
        if served and names is not None:
            names.update(value.idle_names)
        if value.names is None or names is None:
            names = None
        else:
            names.update(value.names)
        if value.requests is None or requests is None:
            requests = None
        else:
            requests.append(value.requests)
    return BelowLoops(
        frozenset(names) if names is not None else None,
        tuple(requests) if requests is not None else None,
    )


def _sync_loop_requests(source: str, facts: FileFacts) -> SyncLoopRequests:
    try:
        tree = survey_event_loop(source).tree  # (the same reading the other surveys of the module get)
    except (SyntaxError, ValueError, RecursionError):
        return SyncLoopRequests(None)
    names: set[str] = set()
    idle: set[str] = set()
    # (a call requesting by name spells its method: without one, the functions are enough)
    for node in walk_nodes(tree) if may_request_by_call(source) else walk_statements(tree):
        if isinstance(node, ast.FunctionDef) and (
            (fixture := ast_fixture_decorator(node, None) is not None)
            or ast_collected_test_function(node, facts.project, exclude_fixtures=False)
        ):  # (a helper's parameter is not a request: whoever calls it passes the value)
            for name in ast_requested_fixtures(node.args, positional_only=True, defaults=True):
                if "loop" in name.lower():
                    (names if fixture or not ast_idle_loop_user(node, name) else idle).add(name)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (USEFIXTURES, GETFIXTUREVALUE):
            names.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str) and "loop" in a.value.lower())
    if idle and module_defines_loop(tree):
        names |= idle  # its own event_loop serves them, not the running loop
        idle = set()
    return SyncLoopRequests(
        frozenset(names), ast_file_requests(tree, facts.project, is_test_module=True), frozenset(idle),
        loop_drivers(tree, facts), facts.path,
        *current_loop_helpers(tree, facts),
        frozenset(ast_runner_mark_fixtures(tree)) if "marks=" in source else frozenset(),
    )


def current_loop_helpers(tree: ast.Module, facts: FileFacts) -> tuple[frozenset[str], frozenset[str]]:
    """The calls the module's sync tests and fixtures that take ``event_loop`` make of
    callables of the project (``async_to_sync(...)`` from ``pkg/sync.py``, a class whose
    ``__init__`` does it) that take the current loop (``asyncio.get_event_loop()``),
    followed to their definitions (pytest_model.project_helpers), or that reach such a sync
    function or method of the project's packages by its name (``client.sendmail_sync()``:
    pytest_model.library_loops): the ``event_loop`` such a test never reads made the loop
    current that the call finds, so it is not unused. And, second, the calls of those that
    reach one that runs a loop: the test cannot run them from a running loop."""
    found: set[str] = set()
    running: set[str] = set()
    looked: set[str] = set()
    root = project_root(facts.project)
    library: LibraryLoops | None = None
    imported: Mapping[str, str] = {}
    for func in walk_statements(tree):
        if not isinstance(func, ast.FunctionDef) or FIXTURE_NAME not in ast_requested_fixtures(func.args, defaults=True):
            continue
        for node in walk_nodes(func):
            spelling = ast_dotted_name(node.func) if isinstance(node, ast.Call) else None
            if spelling is None or spelling in found:
                continue
            if library is None:
                library, imported = library_loops(root), ImportMap.from_ast(tree).names
            callee = library.callee(spelling, imported, func, tree)
            if callee is not None and callee in library.runs:
                running.add(spelling)
            if callee is not None and callee in library.takes:
                found.add(spelling)
                continue
            if spelling in looked:
                continue
            looked.add(spelling)
            helper = follow(spelling, tree, facts.path, root, reads_current_loop, find=module_callable)
            if helper is not None and helper.fits:
                found.add(spelling)
    return frozenset(found), frozenset(running)

