"""When event-loop-fixture certainly has nothing to do in a file (Transform.certainly_idle)."""

from __future__ import annotations

import ast

from ...project import FileFacts
from ..glance import Glance


def idle_test_module(_cls: type, glance: Glance, facts: FileFacts) -> bool:
    """Nothing to do in a test module below an override (not a conftest.py or plugin
    module: their overrides and hooks are this transform's work) that spells neither
    ``event_loop`` (an override, a request, an import or export of it,
    ``event_loop_policy``) nor ``asyncio`` (a mark, ``pytest_asyncio``), defines no
    coroutine (an async test or fixture the override's loop scope is carried to), and
    holds an undecorated sync test at module level (a module without sync tests gets a
    module mark where that loop scope is carried by marks: state.py, ``_read_module``)."""
    text = glance.source
    if facts.is_conftest or not text or "event_loop" in text or "asyncio" in text:
        return False
    if any(isinstance(found.node, ast.AsyncFunctionDef) for found in glance.functions):
        return False
    project = facts.project
    return any(
        isinstance(stmt, ast.FunctionDef) and not stmt.decorator_list and project.is_test_function_name(stmt.name)
        for stmt in glance.tree.body
    )
