"""get-running-loop's glances (``certainly_idle``): whether a file may call something that
takes the current loop where no loop runs, or may stop or close the running loop. Read
from the file's ``ast`` without LibCST, so a file that cannot change is not parsed twice."""

from __future__ import annotations

import ast

from ...imports.resolve import ast_dotted_name
from ...project import ProjectFacts
from ...pytest_model.outside_loop import (
    CURRENT_LOOP_READERS,
    RUNNING_LOOP_CALLS,
    ast_may_run_outside_any_loop,
)
from ..glance import Glance

#: the methods of the running loop a test must not call (get_running_loop.STOP_MESSAGES)
STOP_METHODS = ("stop", "close")


#: the last names of :data:`CURRENT_LOOP_READERS` (what a glance looks for)
READER_NAMES = frozenset(full.rsplit(".", 1)[-1] for full in CURRENT_LOOP_READERS)


def may_read_current_loop(glance: Glance, project: ProjectFacts) -> bool:
    """Whether a call that takes (or may take) the current loop sits in a function that
    pytest may run outside any loop (outside_loop.ast_may_run_outside_any_loop), the call
    in it and not in a def nested in it (a nested def's decorators and defaults count, a
    lambda's body too)."""
    for func in ast_may_run_outside_any_loop(glance.tree, project):
        todo: list[ast.AST] = [*func.decorator_list, func.args, *func.body]
        if func.returns is not None:
            todo.append(func.returns)
        while todo:
            node = todo.pop()
            if isinstance(node, ast.Call):
                dotted = ast_dotted_name(node.func)
                if dotted is not None and glance.may_mean(dotted, CURRENT_LOOP_READERS):
                    return True
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                todo += [*node.decorator_list, node.args]
                if node.returns is not None:
                    todo.append(node.returns)
                continue
            todo.extend(ast.iter_child_nodes(node))
    return False


def may_stop_running_loop(glance: Glance) -> bool:
    """Whether a ``.stop``/``.close`` attribute may be taken of the running loop, as
    visit_Attribute tells it: of a call of ``asyncio.get_running_loop()`` (or
    ``get_event_loop()``), or of a name an assignment anywhere binds to one (or to such a
    name)."""
    attributes = [a for method in STOP_METHODS for a in glance.attributes.get(method, ())]
    if not attributes or glance.identifiers.isdisjoint(name.rsplit(".", 1)[-1] for name in RUNNING_LOOP_CALLS):
        return False

    def gets_loop(expr: ast.expr) -> bool:
        if not isinstance(expr, ast.Call):
            return False
        dotted = ast_dotted_name(expr.func)
        return dotted is not None and glance.may_mean(dotted, RUNNING_LOOP_CALLS)

    assignments = [node for node in ast.walk(glance.tree) if isinstance(node, ast.Assign)]
    bound: set[str] = set()
    grew = True
    while grew:
        grew = False
        for node in assignments:
            value = node.value
            if gets_loop(value) or (isinstance(value, ast.Name) and value.id in bound):
                new = {t.id for t in node.targets if isinstance(t, ast.Name)} - bound
                if new:
                    bound |= new
                    grew = True
    return any(gets_loop(a.value) or (isinstance(a.value, ast.Name) and a.value.id in bound) for a in attributes)
