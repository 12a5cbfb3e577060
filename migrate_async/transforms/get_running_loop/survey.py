"""get-running-loop's survey: what a test module's sync tests reach that takes the current
loop (project helpers named for a loop that call ``asyncio.get_event_loop()``, the project's
own sync API that runs or takes a loop), and the callables it hands a loop (``X(loop=...)``)."""

from __future__ import annotations

import ast
from typing import Any, NamedTuple

from ...imports.resolve import ImportMap, ast_dotted_name
from ...project import FileFacts, ProjectFacts, project_root
from ...pytest_model.collection import ast_collected_test_function
from ...pytest_model.event_loop import module_tree, walk_nodes
from ...pytest_model.fixtures import ast_fixture_decorator
from ...pytest_model.library_loops import LibraryLoops, library_loops
from ...pytest_model.loop_takers import ast_loop_takers
from ...pytest_model.outside_loop import (
    ast_copes_with_no_current_loop,
)
from ...pytest_model.project_helpers import follow
from ...pytest_model.versions import NO_CURRENT_LOOP_LEFT

GET_EVENT_LOOP = "asyncio.get_event_loop"


class LoopSurvey(NamedTuple):
    """What the survey of a test module found (see GetRunningLoop.survey)."""

    #: project helpers its sync tests call that reach get_event_loop(): spelling → where
    helpers: dict[str, str]
    #: calls its sync tests make of the project's sync API that runs or takes a loop
    library_calls: frozenset[str] = frozenset()
    #: the imported callables it hands a loop (``X(loop=...)``: pytest_model.loop_takers)
    loop_takers: frozenset[str] = frozenset()
    #: calls its sync tests make of a sync function of the module's own that calls such an
    #: API (aiosmtpd's ``main_n()``, which calls the project's ``main()``): (its name, that call)
    through_helpers: tuple[tuple[str, str], ...] = ()


def survey_module(source: str, facts: FileFacts) -> LoopSurvey | None:
    """GetRunningLoop.survey (see there)."""
    if not (facts.is_test_module or facts.is_conftest) or facts.project.target < NO_CURRENT_LOOP_LEFT:
        return None
    tree = module_tree(source)
    imports = ImportMap.from_ast(tree)
    takers = ast_loop_takers(tree, imports) if "loop=" in source else frozenset()
    if takers:
        # a callable of the project's own is a taker only where library_loops reads its
        # definition and sees it make no loop of its own: aiosmtpd's BaseController calls
        # asyncio.new_event_loop() when given none, and its Controller inherits that (not
        # followed: no claim). Not seeing it take the current loop proves nothing: aioftp's
        # Connection() makes asyncio.Future()s through a defaultdict's factory
        own = library_loops(project_root(facts.project))
        takers = frozenset(t for t in takers if _may_take(t, own))
    if facts.is_conftest:
        return LoopSurvey({}, loop_takers=takers) if takers else None
    root = project_root(facts.project)
    found: dict[str, str] = {}
    looked: set[str] = set()
    library: LibraryLoops | None = None
    library_calls: set[str] = set()
    through: dict[str, str] = {}
    for test in _sync_tests(tree, facts):
        for node in walk_nodes(test):
            if not isinstance(node, ast.Call):
                continue
            spelling = ast_dotted_name(node.func)
            if spelling is None or spelling in looked:
                continue
            if library is None:
                library = library_loops(root)
            callee = library.callee(spelling, imports.names, test, tree)
            if callee is not None and (callee in library.runs or callee in library.takes):
                library_calls.add(spelling)
            elif "." not in spelling and spelling not in through and spelling not in _parameters(test):
                via = _library_call_through(spelling, tree, imports, library, facts.project)
                if via is not None:
                    through[spelling] = via
            if "loop" not in spelling.rsplit(".", 1)[-1].lower():
                continue  # (only helpers named for a loop are followed: see triggers.survey)
            looked.add(spelling)
            full = imports.qualify_dotted(spelling, False)
            if full is not None and full.split(".")[0] in _NOT_THE_PROJECT:
                continue
            helper = follow(spelling, tree, facts.path, root, _reaches_get_event_loop)
            if helper is not None and helper.fits:
                found[spelling] = helper.where
    if not found and not library_calls and not takers and not through:
        return None
    return LoopSurvey(found, frozenset(library_calls), takers, tuple(sorted(through.items())))


def _library_call_through(
    name: str, tree: ast.Module, imports: ImportMap, library: LibraryLoops, project: ProjectFacts
) -> str | None:
    """Where ``name`` is a sync function of the module's own (defined at its top level, the
    last definition being what a call finds; not a test), the first call in its body of the
    project's sync API that runs or takes a loop, by spelling (followed one level)."""
    helper = None
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and statement.name == name:
            helper = statement
    if not isinstance(helper, ast.FunctionDef) or _sync_test(helper, project) or ast_fixture_decorator(helper, None) is not None:
        return None  # (a fixture's value is what a test holds by its name: not its function)
    for node in walk_nodes(helper):
        if isinstance(node, ast.Call) and (spelling := ast_dotted_name(node.func)) is not None:
            callee = library.callee(spelling, imports.names, helper, tree)
            if callee is not None and (callee in library.runs or callee in library.takes):
                return spelling
    return None


def _parameters(function: ast.FunctionDef) -> set[str]:
    """The names a function's parameters bind (what a call by such a name finds there)."""
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
    return {a.arg for a in every if a is not None}


_NOT_THE_PROJECT = frozenset({"asyncio", "pytest", "pytest_asyncio", "unittest", "time", "os", "sys", "functools"})


def _sync_tests(tree: ast.Module, facts: FileFacts) -> list[ast.FunctionDef]:
    """The sync test functions of a module: at module level and in its test classes."""
    project = facts.project
    found = []
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef) and _sync_test(statement, project):
            found.append(statement)
        elif isinstance(statement, ast.ClassDef) and project.is_test_class_name(statement.name):
            found.extend(s for s in statement.body if isinstance(s, ast.FunctionDef) and _sync_test(s, project))
    return found


def _sync_test(func: ast.FunctionDef, project: ProjectFacts) -> bool:
    """A sync function pytest collects as a test by its name (a fixture named so counts: the
    survey looks for the sync code that asks for a current loop)."""
    return ast_collected_test_function(func, project, asynchronous=False, exclude_fixtures=False)


def _reaches_get_event_loop(func: ast.FunctionDef, module: ast.Module) -> bool:
    """Whether a sync helper calls ``asyncio.get_event_loop()`` where a RuntimeError from it
    is not caught (a ``get_running_loop()`` helper that falls back to it does; one that
    falls back to ``new_event_loop()`` when it raises does not)."""
    imports = ImportMap.from_ast(module)

    def reaches(statements: list[ast.stmt], caught: bool) -> bool:
        for statement in statements:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if any(
                isinstance(n, ast.Call) and n.args and imports.qualify_ast(n.func) == "asyncio.set_event_loop"
                for n in _walk_here(statement)
            ):
                caught = True  # a loop is made current first: get_event_loop() returns it
            if isinstance(statement, ast.Try):
                handles = any(ast_copes_with_no_current_loop(h) for h in statement.handlers)
                if reaches(statement.body, caught or handles):
                    return True
                blocks = [*(h.body for h in statement.handlers), statement.orelse, statement.finalbody]
                if any(reaches(block, caught) for block in blocks):
                    return True
                continue
            if not caught and any(
                isinstance(n, ast.Call) and not n.args and imports.qualify_ast(n.func) == GET_EVENT_LOOP
                for n in _walk_here(statement)
            ):
                return True
            for block in ("body", "orelse"):
                inner = getattr(statement, block, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt) and reaches(inner, caught):
                    return True
        return False

    return reaches(func.body, False)


def _walk_here(statement: ast.stmt) -> list[Any]:
    """The nodes of a statement outside its nested blocks and definitions (those are read
    on their own, with what catches around them)."""
    found: list[Any] = []
    stack: list[Any] = [statement]
    while stack:
        node = stack.pop()
        found.append(node)
        for name, value in ast.iter_fields(node):
            if name in ("body", "orelse", "finalbody", "handlers") and node is statement:
                continue
            if isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST) and not isinstance(v, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)))
            elif isinstance(value, ast.AST) and not isinstance(value, ast.Lambda):
                stack.append(value)
    return found


def _may_take(full: str, library: LibraryLoops) -> bool:
    """Whether a callable the project hands ``loop=`` elsewhere may take the current loop
    where it is given none: another package's, always (its code is not read); the
    project's own, where its definition is read and makes no loop of its own."""
    if full.split(".")[0] not in library.packages:
        return True
    name = full.rsplit(".", 1)[-1]
    return name in library.defined and name not in library.makes
