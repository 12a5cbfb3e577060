"""Branches of a function of a conftest.py (a hook the tests below it ask), one per file
whose tests a transform wants answered apart: transforms ask for them as conftest requests
carrying a :class:`~migrate_async.transforms.requests.FunctionBranch`, and this module
merges them into the function, creating it where the conftest.py has none.

A conftest.py's function answers for every test below its folder, so each branch is made
(by the branch itself) to pick out the tests of the file that asked. Branches go at the top
of the function's body (after its docstring), where they decide before anything it did, in
the order they were asked, a narrow one before the others of its file; one the function
holds already is not added again. A new function ends with what the other tests get, which
depends on whether a conftest.py above (within the project) or a plugin module defines the
same function (``above``); where none does and every branch only says what that ending
says, nothing is written.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from pathlib import Path

import libcst as cst

from ..cstkit.edits import is_docstring
from ..cstkit.names import code_of
from ..paths import resolved
from ..pytest_model.project_helpers import module_function
from ..transforms.transform import ConftestRequest

Imports = list[tuple[str, "str | None"]]


def defines_function(text: str, name: str) -> bool:
    """Whether a module defines the function ``name`` at its top level."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return module_function(tree, name) is not None


def defined_above(conftest: Path, root: Path | None, name: str, text_of: Callable[[Path], str | None]) -> bool:
    """Whether a conftest.py above ``conftest``'s folder, up to ``root``, defines the
    function ``name`` (``text_of`` gives a file's text as the run leaves it, None when there
    is none)."""
    if root is None:
        return False
    folder = conftest.parent
    while folder != root and root in folder.parents:
        folder = folder.parent
        text = text_of(folder / "conftest.py")
        if text is not None and defines_function(text, name):
            return True
    return False


def _find(module: cst.Module, name: str) -> int | None:
    return next(
        (i for i, s in enumerate(module.body) if isinstance(s, cst.FunctionDef) and s.name.value == name),
        None,
    )


def _ordered(requests: Sequence[ConftestRequest]) -> list[ConftestRequest]:
    """In request order, but a narrow branch before the others of its file."""
    first_seen = {asker: i for i, asker in reversed(list(enumerate(r.asker for r in requests)))}
    return sorted(requests, key=lambda r: (first_seen[r.asker], r.branch is None or not r.branch.narrow))


def add_branches(
    module: cst.Module,
    requests: Sequence[ConftestRequest],
    conftest: Path,
    above: str | None,
    line_length: int,
) -> tuple[cst.Module, Imports, list[ConftestRequest], str | None]:
    """``module`` (a conftest.py) with the branches of ``requests`` (all of one function,
    the requests' ``name``) in that function, the imports they need, the requests that were
    written, and why none could be (or None). ``above``: where another definition of the
    function answers for the other tests ("conftest" above, a "plugin"), if any."""
    first = requests[0].branch
    assert first is not None
    name = requests[0].name
    index = _find(module, name)
    if index is None and not above and all(r.branch is not None and r.branch.same_as_fallback for r in requests):
        return module, [], [], None  # the new function would only say what every test has already
    function = module.body[index] if index is not None else None
    if isinstance(function, cst.FunctionDef) and (problem := first.refusal(function)) is not None:
        return module, [], [], problem
    existing = {code_of(s) for s in function.body.body} if isinstance(function, cst.FunctionDef) else set()
    statements: list[cst.BaseStatement] = []
    written: list[ConftestRequest] = []
    imports: Imports = []
    for request in _ordered(requests):
        assert request.branch is not None
        statement = request.branch.statement(resolved(Path(request.asker)), conftest.parent, line_length)
        if code_of(statement) in existing or any(code_of(s) == code_of(statement) for s in statements):
            continue
        statements.append(statement)
        written.append(request)
        imports += request.branch.needs()
    if not statements:
        return module, [], [], None
    body = list(module.body)
    if isinstance(function, cst.FunctionDef):
        block = function.body
        assert isinstance(block, cst.IndentedBlock)
        inner = list(block.body)
        at = 1 if inner and is_docstring(inner[0]) else 0
        body[index] = function.with_changes(body=block.with_changes(body=inner[:at] + statements + inner[at:]))  # type: ignore[index]
    else:
        code, needed = first.new_function(above)
        new = cst.parse_statement(code)
        assert isinstance(new, cst.FunctionDef) and isinstance(new.body, cst.IndentedBlock)
        new = new.with_changes(body=new.body.with_changes(body=[*statements, *new.body.body]))
        if body:
            new = new.with_changes(leading_lines=(cst.EmptyLine(), cst.EmptyLine()))
        body.append(new)
        imports += needed
    return module.with_changes(body=body), imports, written, None
