"""sync-to-async, the cheap side: whether a file certainly needs nothing, read from its
``ast`` (transforms/glance.py), so that it is not parsed with LibCST at all.

Everything the transform does or says starts at a plan (planner.py), and a sync function
at module level or in a class is planned only where its analysis may find something: a
loop it drives (``run_until_complete``), a loop fixture it requests by parameter
(``event_loop``, a plugin's loop), a ``get_event_loop()`` it binds, a ``yield from`` of its
own or a generator's ``return`` of a value (which no async generator can have), a finalizer
it registers, or, in a test, its own name. What the
survey tells (the loops of the conftest.py files above, what the modules below request,
the project's loop drivers) decides only what becomes of the plans.
"""

from __future__ import annotations

import ast

from ...project import FileFacts
from ...pytest_model.event_loop import FIXTURE_NAME
from ..glance import Glance
from .analysis import RUN


def idle(glance: Glance, facts: FileFacts) -> bool:
    """Whether no sync function of the module can be planned (see the module's docstring):
    none of the loop words is spelled outside every ``async def`` body, nothing is named
    ``get_event_loop`` or ``addfinalizer``, and no sync function outside functions holds a
    ``yield from``, both a ``yield`` and a ``return`` of a value, or, when its name says
    test, its own name (anywhere in it: nested functions count)."""
    words = {RUN, FIXTURE_NAME, *facts.project.plugin_loops}
    if not words.isdisjoint(glance.outside_coroutines):
        return False
    if "get_event_loop" in glance.identifiers or "addfinalizer" in glance.identifiers:
        return False
    project = facts.project
    for found in glance.functions:
        func = found.node
        if found.nested or not isinstance(func, ast.FunctionDef):
            continue
        test = project.is_test_function_name(func.name)
        yields = returns = False
        for statement in func.body:
            for node in ast.walk(statement):
                if isinstance(node, ast.YieldFrom) or (test and _names(node, func.name)):
                    return False
                yields = yields or isinstance(node, ast.Yield)
                returns = returns or (isinstance(node, ast.Return) and node.value is not None)
        if yields and returns:
            return False  # (a generator that returns a value)
    return True


def _names(node: ast.AST, name: str) -> bool:
    """Whether a node spells ``name``: a name, an attribute, a string."""
    if isinstance(node, ast.Name):
        return node.id == name
    if isinstance(node, ast.Attribute):
        return node.attr == name
    return isinstance(node, ast.Constant) and node.value == name
