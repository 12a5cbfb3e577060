"""Where a loop object goes: the tests and fixtures that consume a fixture, and whether any
of them is async.

Before pytest-asyncio 1.0 a test and every fixture it requested shared one ``event_loop``.
A sync fixture that receives that loop hands it (or what it built on it: a server, a
client, a clock) to whatever requests the fixture, directly or through other fixtures. When
an async test or fixture is among them, the loop object must be the loop that test runs on:
as an async fixture, ``asyncio.get_running_loop()`` is that loop. When only sync code
consumes it, the loop is one that sync code drives itself.

A file's requests are read once (:class:`FileRequests`: from ``ast`` by the survey, with
:func:`ast_file_requests`, or built by a transform from its own reading), and
:class:`LoopFlow` answers for any set of files that see the same fixtures (a test module
alone; a conftest.py with the modules below it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .collection import ast_collected_test_function
from .event_loop import FIXTURE_NAME
from .fixtures import ast_fixture_decorator, ast_fixture_name, ast_requested_fixtures

if TYPE_CHECKING:
    from ..project import ProjectFacts

#: Parameters that name no fixture: the instance or class of a test method.
NOT_FIXTURES = frozenset({"self", "cls"})


@dataclass(frozen=True)
class FileRequests:
    """What one file's tests and fixtures request (picklable: it travels from the survey
    to the conftest.py above the file).

    ``fixtures``: each fixture the file defines, whether it is async, and what it requests;
    ``async_roots``: what the file's async tests request; ``sync_roots``: what its sync
    tests request; ``own_loop_roots``: what the tests request that an ``event_loop`` of
    their module or class serves (a loop of their own, not the one the others share)."""

    fixtures: tuple[tuple[str, bool, frozenset[str]], ...] = ()
    async_roots: frozenset[str] = frozenset()
    sync_roots: frozenset[str] = frozenset()
    own_loop_roots: frozenset[str] = frozenset()


class LoopFlow:
    """Who consumes each fixture of a set of files that see one another's fixtures.

    A fixture reaches async code when an async test requests it, or an async fixture does,
    or a fixture that reaches async code does (its value is built from it). It reaches sync
    code when a sync test requests it, directly or through sync fixtures (an async fixture
    in between hands sync code its own value, made on the running loop)."""

    def __init__(self, parts: Iterable[FileRequests]) -> None:
        every: dict[str, set[str]] = {}
        sync_edges: dict[str, set[str]] = {}
        async_roots: set[str] = set()
        sync_roots: set[str] = set()
        own_loop_roots: set[str] = set()
        for part in parts:
            async_roots.update(part.async_roots)
            sync_roots.update(part.sync_roots)
            own_loop_roots.update(part.own_loop_roots)
            for name, is_async, requests in part.fixtures:
                every.setdefault(name, set()).update(requests)
                if is_async:
                    async_roots.update(requests)
                else:
                    sync_edges.setdefault(name, set()).update(requests)
        self._async = fixture_closure(async_roots, every)
        self._sync = fixture_closure(sync_roots, sync_edges)
        self._own_loops = fixture_closure(own_loop_roots, every)

    def reaches_async(self, fixture: str) -> bool:
        """An async test or fixture receives the fixture's value, or one built from it."""
        return fixture in self._async

    def reaches_sync(self, fixture: str) -> bool:
        """A sync test receives the fixture's value, or one built from it by sync fixtures."""
        return fixture in self._sync

    def reaches_own_loops(self, fixture: str) -> bool:
        """A test whose module or class overrides ``event_loop`` receives it (or a value
        built from it): before 1.0 it ran on that test's loop, not on the one the others
        share, so no one running loop serves every consumer."""
        return fixture in self._own_loops

    def only_async(self, fixture: str) -> bool:
        """Its consumers are async code, and only async code: its loop must be the running one."""
        return self.reaches_async(fixture) and not self.reaches_sync(fixture)


def ast_file_requests(tree: ast.Module, project: ProjectFacts, *, is_test_module: bool) -> FileRequests:
    """The :class:`FileRequests` of a module read with ``ast``: its fixtures at any depth
    of classes, and (in a test module) the tests pytest collects there. ``project`` says
    which names are tests."""
    fixtures: list[tuple[str, bool, frozenset[str]]] = []
    async_roots: set[str] = set()
    sync_roots: set[str] = set()
    own_loop_roots: set[str] = set()
    for func, own_loop in _functions(tree.body, _defines_loop(tree.body)):
        requests = frozenset(ast_requested_fixtures(func.args, positional_only=True, defaults=True)) - NOT_FIXTURES
        is_async = isinstance(func, ast.AsyncFunctionDef)
        decorator = ast_fixture_decorator(func, None)
        if decorator is not None:
            fixtures.append((ast_fixture_name(func, decorator), is_async, requests))
        elif is_test_module and ast_collected_test_function(func, project, exclude_fixtures=False):
            (async_roots if is_async else sync_roots).update(requests)
            if own_loop:
                own_loop_roots.update(requests)
    return FileRequests(tuple(fixtures), frozenset(async_roots), frozenset(sync_roots), frozenset(own_loop_roots))


#: What a sync test may not do to the loop pytest-asyncio hands it idle (see
#: :func:`ast_idle_loop_user`): its runner closes that loop after the test, so the test may
#: not close it, nor run it for good and stop it [EXP: pytest-asyncio 1.5].
IDLE_LOOP_UNSAFE = frozenset({"close", "run_forever", "stop"})


def ast_idle_loop_user(func: ast.FunctionDef, name: str) -> bool:
    """Whether the sync test ``func``, which requests the loop fixture ``name``, is served as
    before 1.0 when that fixture hands out the running loop instead of ``event_loop``.

    A sync test that requests an async fixture gets pytest-asyncio's loop of its scope idle
    (not running) and set as current, as 0.x's ``event_loop`` was: it may drive it with
    ``run_until_complete`` [EXP: pytest-asyncio 1.5]. So it is served when it requests
    nothing else (another fixture may hold a loop of its own, or build on the old one) and
    neither closes nor stops the loop (``IDLE_LOOP_UNSAFE``)."""
    requests = set(ast_requested_fixtures(func.args, positional_only=True, defaults=True)) - NOT_FIXTURES
    if requests != {name}:
        return False
    for node in ast.walk(func):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in IDLE_LOOP_UNSAFE
            and isinstance(node.value, ast.Name)
            and node.value.id == name
        ):
            return False
    return True


def module_defines_loop(tree: ast.Module) -> bool:
    """A module defines an ``event_loop`` fixture of its own, at module level or in a class."""
    return _defines_loop(tree.body) or any(
        isinstance(stmt, ast.ClassDef) and _defines_loop(stmt.body) for stmt in tree.body
    )


def _defines_loop(body: list[ast.stmt]) -> bool:
    """A module or class body defines an ``event_loop`` fixture of its own."""
    return any(
        isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (decorator := ast_fixture_decorator(stmt, None)) is not None
        and ast_fixture_name(stmt, decorator) == FIXTURE_NAME
        for stmt in body
    )


def _functions(
    body: list[ast.stmt], own_loop: bool
) -> Iterable[tuple[ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    """The functions of a body at any depth of classes, and whether an ``event_loop`` of
    their module or class (the nearest) serves them."""
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield stmt, own_loop
        elif isinstance(stmt, ast.ClassDef):
            yield from _functions(stmt.body, own_loop or _defines_loop(stmt.body))


def fixture_closure(names: Iterable[str], graph: dict[str, set[str]]) -> frozenset[str]:
    """``names`` and every fixture they request through ``graph``."""
    seen: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(graph.get(name, ()))
    return frozenset(seen)
