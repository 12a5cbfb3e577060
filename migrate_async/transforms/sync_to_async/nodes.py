"""The LibCST node readings and small edits sync-to-async's phases share (nothing about pytest)."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst


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


