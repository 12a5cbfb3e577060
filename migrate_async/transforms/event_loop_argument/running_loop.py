"""The running loop bound once: a coroutine that took the loop fixture and also binds a local
to the current loop (``loop = asyncio.get_event_loop()``) gets one name for it, not two lines
asking for the same loop (event-loop-argument inserts one, get-running-loop rewrites the other).

In a coroutine, ``asyncio.get_event_loop()`` and ``asyncio.get_running_loop()`` both return
the loop it runs in, which is what the fixture's name now means. So:

- where both names can be one (the local is bound only there, nothing nested binds either
  name, and the fixture's name is not read before that line), the reads of the fixture's name
  become reads of the local and that line asks for the running loop: one line;
- else the fixture's name is bound first, as before, and the local's line reads it
  (``loop = event_loop``): one call, two names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from ...cstkit.edits import insert_assignment_first
from ...cstkit.names import all_params, assigned_names, names_in, rename_reads
from ...cstkit.walk import nodes_under
from ...imports.resolve import ImportMap
from ...pytest_model.outside_loop import is_running_loop_call


@dataclass
class RunningLoop:
    """A function body with its loop name bound once, and the call it no longer makes (whose
    imports may go), when one was replaced."""

    body: cst.IndentedBlock
    replaced: cst.BaseExpression | None = None


def bind_running_loop(
    block: cst.IndentedBlock,
    params: cst.Parameters,
    loop_name: str,
    running_loop_call: Callable[[], cst.Call],
    imports: ImportMap,
) -> RunningLoop:
    """``block`` (a coroutine's body that reads ``loop_name``, whose parameter is gone) with
    ``loop_name`` bound to the running loop, once (see the module's docstring)."""
    found = _local_loop_line(block, imports)
    if found is None:
        return RunningLoop(insert_assignment_first(block, loop_name, running_loop_call()))
    at, local = found
    body = list(block.body)
    line = body[at]
    assert isinstance(line, cst.SimpleStatementLine)
    assign = line.body[0]
    assert isinstance(assign, cst.Assign)
    if _one_name(block, params, at, local, loop_name):
        body[at] = line.with_changes(body=[assign.with_changes(value=running_loop_call())])
        renamed = [cst.ensure_type(rename_reads(stmt, loop_name, local), cst.BaseStatement) for stmt in body]
        return RunningLoop(block.with_changes(body=renamed), assign.value)
    body[at] = line.with_changes(body=[assign.with_changes(value=cst.Name(loop_name))])
    return RunningLoop(insert_assignment_first(block.with_changes(body=body), loop_name, running_loop_call()), assign.value)


def _local_loop_line(block: cst.IndentedBlock, imports: ImportMap) -> tuple[int, str] | None:
    """The first statement of the body itself (not of a nested block) that is
    ``name = asyncio.get_event_loop()`` (or ``get_running_loop()``), with where it is."""
    for at, stmt in enumerate(block.body):
        if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
            continue
        small = stmt.body[0]
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
            continue
        target, value = small.targets[0].target, small.value
        if isinstance(target, cst.Name) and is_running_loop_call(value, imports):
            return at, target.value
    return None


def _one_name(block: cst.IndentedBlock, params: cst.Parameters, at: int, local: str, loop_name: str) -> bool:
    """Whether the reads of ``loop_name`` may become reads of ``local``: ``local`` is bound
    only by the line at ``at``, ``loop_name`` nowhere, neither is a parameter of the function
    or of anything defined in it, no ``global``/``nonlocal`` names either, and nothing before
    that line reads ``loop_name``."""
    names = {local, loop_name}
    bound = assigned_names(block)
    if bound.get(local) != 1 or bound.get(loop_name):
        return False
    for node in [params, *nodes_under(block)]:
        if isinstance(node, cst.Parameters):
            if any(p.name.value in names for p in all_params(node)):
                return False
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            if any(n.name.value in names for n in node.names):
                return False
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)) and node.name.value in names:
            return False
    return not any(loop_name in names_in(stmt) for stmt in block.body[:at])


def without_tautologies(block: cst.IndentedBlock, loop_name: str, imports: ImportMap) -> cst.IndentedBlock:
    """The body without the assertions that ``loop_name`` becoming the running loop makes
    always true (``assert asyncio.get_event_loop() is event_loop``, either side, ``is`` or
    ``==``, or the same of a local bound once to that call above it); they checked that the
    test ran in the fixture's loop, which is now what the name means. A body of nothing else
    keeps them."""
    found = _local_loop_line(block, imports)
    after = found[0] if found is not None else len(block.body)

    def tautology(at: int, stmt: cst.BaseStatement) -> bool:
        local = found[1] if found is not None and at > after else None
        return _is_tautology(stmt, loop_name, local, imports)

    if not any(tautology(at, stmt) for at, stmt in enumerate(block.body)):
        return block
    bound = assigned_names(block)  # asked only here: it walks the whole body
    if loop_name in bound:
        return block  # the name is bound to another loop somewhere in the body
    if found is not None and bound.get(found[1]) != 1:
        found = None  # the local is bound again: only the calls count
    kept: list[cst.BaseStatement] = []
    carried: list[cst.EmptyLine] | None = None  # the lines above a removed one
    for at, stmt in enumerate(block.body):
        if tautology(at, stmt):
            carried = [*(carried or ()), *stmt.leading_lines]
            continue
        if carried:
            own = list(stmt.leading_lines)
            comments = [line for line in carried if line.comment is not None]
            # comments above a removed assertion stay; its blank lines only where there were none
            stmt = stmt.with_changes(leading_lines=[*comments, *own] if own else carried)
        carried = None
        kept.append(stmt)
    if not kept or len(kept) == len(block.body):
        return block
    return block.with_changes(body=kept)


def _is_tautology(stmt: cst.BaseStatement, loop_name: str, local: str | None, imports: ImportMap) -> bool:
    """``assert loop_name is <the running loop>`` (or ``==``, either side): the running loop is
    a call of outside_loop.RUNNING_LOOP_CALLS or ``local``."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    small = stmt.body[0]
    if not isinstance(small, cst.Assert) or small.msg is not None or not isinstance(small.test, cst.Comparison):
        return False
    test = small.test
    if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, (cst.Is, cst.Equal)):
        return False
    sides = (test.left, test.comparisons[0].comparator)
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == loop_name]
    running = [
        s for s in sides
        if is_running_loop_call(s, imports)
        or (local is not None and local != loop_name and isinstance(s, cst.Name) and s.value == local)
    ]
    return len(names) == 1 and len(running) == 1
