"""The code event-loop-fixture writes into a conftest.py in place of an override: the
collection hook that marks the tests, and the loop-factories hook (or the older
``event_loop_policy`` fixture). Built from text and parsed, so the output reads as written.

``spell(full)`` gives how the module spells a dotted name (scheduling its import), called in
the order the names appear in the code.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from ...cstkit.names import literal_repr
from ...pytest_model.versions import LOOP_FACTORIES_HOOK

Spell = Callable[[str], str]


def _statement(code: str) -> cst.BaseStatement:
    return cst.parse_statement(code).with_changes(leading_lines=(cst.EmptyLine(), cst.EmptyLine()))


def collection_hook(scope: str, limited: bool, spell: Spell, line_length: int = 88) -> cst.BaseStatement:
    """``pytest_collection_modifyitems`` giving the async tests ``loop_scope=<scope>``
    (``limited``: only those below the conftest's folder)."""
    pytest_name = spell("pytest.mark.asyncio")
    is_async = spell("pytest_asyncio.is_async_test")
    lines = [
        "def pytest_collection_modifyitems(items):",
        f'    # The async tests {"below this folder" if limited else "of the project"} share one {scope} '
        "loop, as with the event_loop",
        "    # fixture this hook replaces (pytest-asyncio 1.x); an explicit loop_scope wins.",
    ]
    if limited:
        path = spell("pathlib.Path")
        lines.append(f"    here = {path}(__file__).parent")
    lines += [
        "    for item in items:",
        '        mark = item.get_closest_marker("asyncio")',
    ]
    unmarked = 'mark is None or "loop_scope" not in mark.kwargs'
    # laid out as black lays it out at the project's line length: three conditions one per
    # line; two on one line when they fit, else the parenthesised one split off
    if limited:
        lines += [
            "        if (",
            f"            {is_async}(item)",
            "            and here in item.path.parents",  # Path.is_relative_to needs Python 3.9
            f"            and ({unmarked})",
            "        ):",
        ]
    elif len(flat := f"        if {is_async}(item) and ({unmarked}):") <= line_length:
        lines.append(flat)
    else:
        lines += [f"        if {is_async}(item) and (", f"            {unmarked}", "        ):"]
    lines.append(f"            item.add_marker({pytest_name}(loop_scope={literal_repr(scope)}), append=False)")
    return _statement("\n".join(lines) + "\n")


def factory_hook(
    kind: str, factory: str, target: tuple[int, ...], spell: Spell, replaces: str | None = None
) -> cst.BaseStatement:
    """The loop type of an override: ``pytest_asyncio_loop_factories`` (target ≥ 1.4), else
    an ``event_loop_policy`` fixture for uvloop. ``factory`` is the override's zero-argument
    loop factory (for ``kind`` "uvloop" the module's spelling of uvloop's is used; for
    ``kind`` "asyncio", asyncio's own loop: a nested conftest.py whose ``replaces`` override
    kept its tests on it under a conftest above that gives another loop type, where the
    nearest conftest's hook wins, and the hook says so)."""
    comment = ""
    if kind == "uvloop":
        factory = spell("uvloop.new_event_loop")
        key = "uvloop"
    elif kind == "asyncio":
        factory = spell("asyncio.new_event_loop")
        key = "asyncio"
        comment = (
            f"    # asyncio's own loop for the tests below this folder, as the {replaces}\n"
            "    # fixture this hook replaces gave them: the nearest conftest's hook wins.\n"
        )
    else:
        key = factory.split(".")[-1]
    if target >= LOOP_FACTORIES_HOOK:
        code = (
            "def pytest_asyncio_loop_factories(config, item):\n"
            f"{comment}"
            f"    return {{{literal_repr(key)}: {factory}}}\n"
        )
    else:
        fixture = spell("pytest.fixture")
        policy = spell("uvloop.EventLoopPolicy")
        code = (
            f'@{fixture}(scope="session")\n'
            "def event_loop_policy():\n"
            f"    return {policy}()\n"
        )
    return _statement(code)
