"""marker-args, the cheap side: whether a file certainly needs nothing, read from its
``ast`` (transforms/glance.py), so that it is not parsed with LibCST at all."""

from __future__ import annotations

import ast
from collections.abc import Sequence

from ...project import ProjectFacts
from ...pytest_model.fixtures import FIXTURE_DECORATORS
from ...pytest_model.marks import ast_marks_its_argument
from ..glance import UNSURE, Glance, assigns

EVENT_LOOP_MARK = "asyncio_event_loop"
#: The arguments of an asyncio mark that marker-args leaves as they are.
_KNOWN_ON_TARGET = frozenset({"loop_scope", "loop_factories"})
_FIXTURE_OR_UNSURE = frozenset({*FIXTURE_DECORATORS, UNSURE})


def _asyncio_attribute(decorator: ast.expr) -> bool:
    """``<...>.asyncio`` or ``<...>.asyncio(...)``: possibly an asyncio mark."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr == "asyncio"


def _sets_pytestmark(body: Sequence[ast.stmt]) -> bool:
    return any(assigns(statement, "pytestmark") for statement in body)


def _sync_test_in(body: Sequence[ast.stmt], project: ProjectFacts) -> bool:
    """A sync function directly in ``body`` whose name makes it a test (fixtures too)."""
    return any(isinstance(s, ast.FunctionDef) and project.is_test_function_name(s.name) for s in body)


def _calls_in_decorators(glance: Glance) -> set[int]:
    """The ids of the calls anywhere inside a decorator of the module."""
    return {
        id(node)
        for found in (*glance.functions, *glance.classes)
        for decorator in found.node.decorator_list
        for node in ast.walk(decorator)
        if isinstance(node, ast.Call)
    }


def idle(glance: Glance, project: ProjectFacts) -> bool:
    """Nothing to do where no asyncio mark takes an argument other than ``loop_scope=``
    / ``loop_factories=``, none sits on a sync function or beside a decorator
    that is (or may be) a fixture's, none reaches sync tests from a class or module,
    and no ``asyncio_event_loop`` mark is spelled. Any ``.asyncio`` attribute counts as a
    mark; marks inside functions are read for their arguments alone, as marker-args does,
    and a call outside every decorator that marks its argument (``mark.asyncio(func)``) has none."""
    if EVENT_LOOP_MARK in glance.identifiers:
        return False
    calls = glance.attribute_calls.get("asyncio", ())
    in_decorators = _calls_in_decorators(glance) if calls else set()
    for call in calls:
        if ast_marks_its_argument(call, in_decorator=id(call) in in_decorators):
            continue  # ``mark.asyncio(func)`` in a helper: marks the function
        if call.args or any(k.arg not in _KNOWN_ON_TARGET for k in call.keywords):
            return False
    if "asyncio" not in glance.attributes:
        return True
    for found in glance.functions:
        node = found.node
        marks = [d for d in node.decorator_list if _asyncio_attribute(d)]
        if not marks:
            continue
        if found.nested:
            continue  # marker-args leaves what is inside a function alone (but the calls above)
        if not isinstance(node, ast.AsyncFunctionDef):
            return False
        for other in node.decorator_list:
            target = other.func if isinstance(other, ast.Call) else other
            if glance.qualify(target) in _FIXTURE_OR_UNSURE:
                return False
    for found in glance.classes:
        node = found.node
        if found.nested:
            continue
        if any(_asyncio_attribute(d) for d in node.decorator_list) or _sets_pytestmark(node.body):
            if _sync_test_in(node.body, project):
                return False
    if _sets_pytestmark(glance.tree.body):
        if _sync_test_in(glance.tree.body, project):
            return False
        for statement in glance.tree.body:
            if isinstance(statement, ast.ClassDef) and _sync_test_in(statement.body, project):
                return False
    return True
