"""Branches of a conftest.py's ``pytest_asyncio_loop_factories`` hook, one per test module
(or class) whose ``event_loop`` override chose a loop type (a loop class of the module,
uvloop, asyncio's own under a conftest that gives another): transforms ask for them as
:class:`LoopFactoryBranch` conftest requests, and this module writes them.

A hook lives only in a conftest.py (or a plugin), and it answers for every test below its
folder, so each branch tests the item first::

    def pytest_asyncio_loop_factories(config, item):
        # test_clock.py's event_loop fixture gave its tests StepLoop loops
        if item.path == Path(__file__).parent / "test_clock.py":
            return {"StepLoop": item.module.StepLoop}
        return {"asyncio": asyncio.new_event_loop}

pytest-asyncio 1.4+ asks the nearest conftest's hook first and takes the first answer that
is not None; it refuses None when every hook said None (a UsageError). So a new hook ends
with asyncio's own loop for the other tests, the loop they had, unless a conftest.py above
(within the project) has a hook of its own: then it ends with ``return None`` and that one
decides, as it did before. A hook the conftest.py has already gets the branches at the top
of its body, where they decide before anything the hook did. A branch that only keeps
asyncio's loop where no hook covers the conftest.py is not written: nothing else would
give those tests another loop.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath

import libcst as cst

from ..cstkit.edits import is_docstring
from ..cstkit.names import code_of, literal_repr
from ..paths import resolved
from ..pytest_model.event_loop import LOOP_FACTORIES_HOOK_NAME
from ..pytest_model.project_helpers import module_function
from ..transforms.transform import ConftestRequest, LoopFactoryBranch

#: the imports a new hook's fallback and every branch's path test need
PATH_IMPORT = ("pathlib", "Path")
ASYNCIO_IMPORT = ("asyncio", None)


def defines_hook(text: str) -> bool:
    """Whether a module defines the loop-factories hook at its top level."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return module_function(tree, LOOP_FACTORIES_HOOK_NAME) is not None


def hook_above(conftest: Path, root: Path | None, text_of: Callable[[Path], str | None]) -> bool:
    """Whether a conftest.py above ``conftest``'s folder, up to ``root``, defines the hook
    (``text_of`` gives a file's text as the run leaves it, None when there is none)."""
    if root is None:
        return False
    folder = conftest.parent
    while folder != root and root in folder.parents:
        folder = folder.parent
        text = text_of(folder / "conftest.py")
        if text is not None and defines_hook(text):
            return True
    return False


def _where(module: PurePath, folder: PurePath) -> str:
    """``module``'s path as the hook spells it, from its own folder (``__file__``)."""
    parts = module.relative_to(folder).parts
    return " / ".join(["Path(__file__).parent", *(literal_repr(part) for part in parts)])


def _condition_lines(conditions: Sequence[str], line_length: int) -> list[str]:
    """``if <conditions joined by and>:`` at the hook's body indent, laid out as black would:
    on one line when it fits, else in parentheses on one line, else one condition a line
    (a comparison still too long split before ``==``)."""
    joined = " and ".join(conditions)
    if len(flat := f"    if {joined}:") <= line_length:
        return [flat]
    if len(inner := f"        {joined}") <= line_length:
        return ["    if (", inner, "    ):"]
    lines = ["    if ("]
    for i, condition in enumerate(conditions):
        line = f"        {'and ' if i else ''}{condition}"
        if len(line) > line_length and " == " in condition:
            # black splits a comparison that is still too long before its operator
            left, right = condition.split(" == ", 1)
            lines += [f"        {'and ' if i else ''}{left}", f"        == {right}"]
        else:
            lines.append(line)
    return [*lines, "    ):"]


def branch_statement(branch: LoopFactoryBranch, module: PurePath, folder: PurePath, line_length: int) -> cst.BaseStatement:
    """The ``if`` statement that gives ``module``'s tests (or its class's) their loop type."""
    conditions = [f"item.path == {_where(module, folder)}"]
    whose = module.relative_to(folder).as_posix()
    if branch.class_name is not None:
        conditions += ["item.cls is not None", f"issubclass(item.cls, item.module.{branch.class_name})"]
        whose = f"{whose}::{branch.class_name}"
    comment = textwrap.wrap(
        f"{whose}'s {branch.fixture} fixture gave its tests {loop_name(branch.key)}",
        width=line_length - 6, break_long_words=False, break_on_hyphens=False,
    )
    lazy = [f"        from {branch.lazy_import[0]} import {branch.lazy_import[1]}"] if branch.lazy_import else []
    lines = [
        *(f"    # {line}" for line in comment),
        *_condition_lines(conditions, line_length),
        *lazy,
        f"        return {{{literal_repr(branch.key)}: {branch.factory}}}",
    ]
    hook = cst.parse_statement(f"def {LOOP_FACTORIES_HOOK_NAME}(config, item):\n" + "\n".join(lines) + "\n")
    assert isinstance(hook, cst.FunctionDef) and isinstance(hook.body, cst.IndentedBlock)
    return hook.body.body[0]


def loop_name(key: str) -> str:
    return "asyncio's own loop" if key == "asyncio" else f"{key} loops"


def _fallback(above: str | None) -> str:
    if above == "plugin":
        return "    return None  # the other tests: the hook of the plugin module decides\n"
    if above:
        return "    return None  # the other tests: the hook of the conftest.py above decides\n"
    return "    return {\"asyncio\": asyncio.new_event_loop}  # the other tests: asyncio's own loop\n"


def _find_hook(module: cst.Module) -> int | None:
    return next(
        (i for i, s in enumerate(module.body) if isinstance(s, cst.FunctionDef) and s.name.value == LOOP_FACTORIES_HOOK_NAME),
        None,
    )


def _takes_item(hook: cst.FunctionDef) -> bool:
    return any(p.name.value == "item" for p in hook.params.params)


def add_branches(
    module: cst.Module,
    requests: Sequence[ConftestRequest],
    conftest: Path,
    above: str | None,
    line_length: int,
) -> tuple[cst.Module, list[tuple[str, str | None]], list[ConftestRequest], str | None]:
    """``module`` (a conftest.py) with the branches of ``requests`` in its hook, the imports
    they need, the requests that were written, and why none could be (or None). ``above``:
    where another hook answers for the other tests ("conftest" above, a "plugin"), if any."""
    folder = conftest.parent
    index = _find_hook(module)
    if index is None and not above and all(r.branch is not None and r.branch.key == "asyncio" for r in requests):
        return module, [], [], None  # asyncio's loop is what every test there has already
    hook = module.body[index] if index is not None else None
    if isinstance(hook, cst.FunctionDef) and not _takes_item(hook):
        return module, [], [], (
            f"its {LOOP_FACTORIES_HOOK_NAME} hook does not take item, so it cannot tell these tests from the others: "
            f"give it an item parameter and return their loop type for them"
        )
    existing = {code_of(s) for s in hook.body.body} if isinstance(hook, cst.FunctionDef) else set()
    statements: list[cst.BaseStatement] = []
    written: list[ConftestRequest] = []
    imports: list[tuple[str, str | None]] = []
    # in request order, but a class's branch before its module's: the first that matches answers
    first_seen = {asker: i for i, asker in reversed(list(enumerate(r.asker for r in requests)))}
    ordered = sorted(
        requests, key=lambda r: (first_seen[r.asker], r.branch is None or r.branch.class_name is None)
    )
    for request in ordered:
        assert request.branch is not None
        statement = branch_statement(request.branch, resolved(Path(request.asker)), folder, line_length)
        if code_of(statement) in existing or any(code_of(s) == code_of(statement) for s in statements):
            continue
        statements.append(statement)
        written.append(request)
        imports += [PATH_IMPORT, *request.branch.imports]
    if not statements:
        return module, [], [], None
    body = list(module.body)
    if isinstance(hook, cst.FunctionDef):
        block = hook.body
        assert isinstance(block, cst.IndentedBlock)
        inner = list(block.body)
        at = 1 if inner and is_docstring(inner[0]) else 0
        body[index] = hook.with_changes(body=block.with_changes(body=inner[:at] + statements + inner[at:]))  # type: ignore[index]
    else:
        code = f"def {LOOP_FACTORIES_HOOK_NAME}(config, item):\n" + _fallback(above)
        new = cst.parse_statement(code)
        assert isinstance(new, cst.FunctionDef) and isinstance(new.body, cst.IndentedBlock)
        new = new.with_changes(body=new.body.with_changes(body=[*statements, *new.body.body]))
        if body:
            new = new.with_changes(leading_lines=(cst.EmptyLine(), cst.EmptyLine()))
        body.append(new)
        if not above:
            imports.append(ASYNCIO_IMPORT)
    return module.with_changes(body=body), imports, written, None
