"""When event-loop-fixture certainly has nothing to do in a file (Transform.certainly_idle),
and when it has work in a file that spells no pytest (Transform.matches)."""

from __future__ import annotations

import ast

from ...present import Present
from ...project import FileFacts
from ...pytest_model.event_loop import FIXTURE_NAME
from ..glance import Glance
from ..triggers import has_word


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


def below_override(name: str, data: bytes | Present, facts: FileFacts | None) -> bool:
    """Whether a file that does not match the transform's triggers (it spells no pytest:
    an auto-mode test module) still has its work: it spells ``event_loop`` where the survey
    found an override, its own (imported from a helper module of the project: the import
    goes, the hook gets a branch for it) or a conftest.py's above (a sync test requesting
    that override's loop gets a note)."""
    return facts is not None and bool(facts.surveyed(name)) and has_word(data, FIXTURE_NAME.encode())
