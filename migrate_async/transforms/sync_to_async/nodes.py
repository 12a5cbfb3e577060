"""The LibCST node readings and small edits sync-to-async's phases share (nothing about pytest)."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from ...cstkit.edits import opening_lines

#: Calls that find the current loop (in sync code, the one 0.21 set for a test that requested
#: ``event_loop``): a test that makes them keeps the parameter it seems not to use.
CURRENT_LOOP_CALLS = frozenset({
    "asyncio.get_event_loop", "asyncio.ensure_future", "asyncio.gather", "asyncio.Future",
    "asyncio.wrap_future", "asyncio.run_coroutine_threadsafe",
})


def all_params(params: cst.Parameters) -> list[cst.Param]:
    """Every parameter of a signature, ``*args`` and ``**kwargs`` included."""
    result = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            result.append(star)
    return result


def functions(body: Sequence[cst.BaseStatement]) -> list[cst.FunctionDef]:
    """The functions of a module or class body, those of its classes included."""
    found: list[cst.FunctionDef] = []
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef):
            found.append(stmt)
        elif isinstance(stmt, cst.ClassDef) and isinstance(stmt.body, cst.IndentedBlock):
            found.extend(functions(stmt.body.body))
    return found


def indented(body: cst.BaseSuite) -> cst.IndentedBlock:
    """A function body as an indented block (a one-line body goes onto a line of its own)."""
    if isinstance(body, cst.IndentedBlock):
        return body
    assert isinstance(body, cst.SimpleStatementSuite)
    return cst.IndentedBlock(header=body.trailing_whitespace, body=[cst.SimpleStatementLine(body=body.body)])


def keep_comments_of_removed(
    original: cst.IndentedBlock, updated: cst.IndentedBlock, removed: set[cst.CSTNode], doubled: set[cst.CSTNode]
) -> cst.IndentedBlock:
    """``updated`` (``original`` with the ``removed`` statements gone and a line added after
    each of ``doubled``) where the comments above a removed statement go on above the next
    one with the blank lines above them, unless they speak of the loop (the removed line
    binds it: they were about it), and a statement that now opens the block has no blank
    line above it."""
    body = list(updated.body)
    carried: list[cst.EmptyLine] = []
    at, opening = 0, True
    for stmt in original.body:
        if stmt in removed:
            lines = [
                line
                for line in getattr(stmt, "leading_lines", ())
                if line.comment is None or "loop" not in line.comment.value.lower()
            ]
            if any(line.comment is not None for line in lines):
                carried += lines  # with the blank lines above them: a paragraph stays one
            continue
        if at >= len(body):
            break
        if carried or opening:
            leading = [*carried, *body[at].leading_lines]
            if opening:
                leading = opening_lines(leading)
            body[at] = body[at].with_changes(leading_lines=leading)
            carried = []
        opening = False
        at += 2 if stmt in doubled else 1
    return updated.with_changes(body=body)

