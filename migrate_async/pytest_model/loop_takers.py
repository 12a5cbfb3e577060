"""Callables of other packages that the project's own tests hand a loop (``X(loop=...)``).

A library callable that takes ``loop=`` defaults it, in asyncio's idiom, to the current loop
(``loop or asyncio.get_event_loop()``): aiohttp-graphql 1.1.0's tests pass
``AsyncioExecutor(loop=event_loop)`` in one fixture and call ``AsyncioExecutor()`` in a sync
conftest fixture, where graphql-core 2 calls ``asyncio.get_event_loop()``. Under
pytest-asyncio 0.x that found the test's loop (its ``event_loop`` fixture was set up
first); since 1.4 no loop is current in a sync ``pytest.fixture``, and 48 tests errored with
"There is no current event loop". The installed library is not read: the project's own
``loop=`` is the evidence. Left out: asyncio's and aiohttp's callables (asyncio's readers
are :data:`outside_loop.CURRENT_LOOP_READERS`; aiohttp's ``loop=`` is deprecated, and
``web.Application()`` takes no loop), a ``loop=None``, and names that do not resolve through an
import (the project's own callables are :mod:`library_loops`'s).
"""

from __future__ import annotations

import ast

from ..imports.resolve import ImportMap
from .outside_loop import CURRENT_LOOP_READERS

#: the packages whose callables are not counted (see the module docstring)
_NOT_COUNTED = frozenset({"asyncio", "aiohttp"})


def ast_loop_takers(tree: ast.Module, imports: ImportMap) -> frozenset[str]:
    """The full names of the imported callables a module calls with a ``loop=`` argument
    that is not ``None``."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        loop = next((k.value for k in node.keywords if k.arg == "loop"), None)
        if loop is None or (isinstance(loop, ast.Constant) and loop.value is None):
            continue
        full = imports.qualify_ast(node.func, well_known=False)
        if full is None or full.split(".")[0] in _NOT_COUNTED or full in CURRENT_LOOP_READERS:
            continue
        found.add(full)
    return frozenset(found)


def takes_loop_by_default(full: str | None, keywords: list[str], takers: frozenset[str]) -> str | None:
    """How a call of ``full`` (with arguments of these keywords) is spelled in a note when
    it is one of ``takers`` called without its ``loop=``; None otherwise."""
    if full is None or full not in takers or "loop" in keywords:
        return None
    return f"{full.rsplit('.', 1)[-1]}()"
