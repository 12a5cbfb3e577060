"""Parsing a module with LibCST, without checking each node the parser builds.

Every LibCST node runs ``__post_init__`` as it is built, and LibCST's only one
(``CSTNode.__post_init__``) calls ``_validate()``: the checks that a hand-built node is
well formed (a ``Name`` is an identifier, whitespace is whitespace, brackets pair up). The
parser builds nodes from text it has just read by the grammar, so for its nodes every check
passes; on a test module they are about a sixth of the parse (measured on 200 modules of
real projects: 4.4 s with them, 3.5 to 3.9 s without). LibCST's own comment on the hook
says as much ("It might make more sense to move validation work into the visitor, which
would allow us to avoid validating the tree when parsing a file").

:func:`parse_module` leaves the hook out while the parser runs, and only where it is what
that comment describes: ``CSTNode``'s hook calls ``_validate`` and nothing else, and no
node class has a hook of its own. Otherwise (another LibCST) it parses as LibCST does.
Nodes built afterwards (the transforms' edits, ``cstkit.walk.rebuilt``) are checked as
always.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import libcst as cst
from libcst import CSTNode


def parse_module(text: str) -> cst.Module:
    """``cst.parse_module(text)``, the parser's nodes left unchecked where that is safe.

    The hook is LibCST's class attribute, seen by every thread: the parse leaves it out only
    while no other thread runs (one that built nodes meanwhile would get them unchecked), as
    in the command line and its workers; a program of several threads (the Python API)
    parses as LibCST does."""
    if threading.active_count() != 1 or not _skippable():
        return cst.parse_module(text)
    CSTNode.__post_init__ = _unchecked  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        CSTNode.__post_init__ = _HOOK  # type: ignore[method-assign]


#: LibCST's own hook, put back after each parse
_HOOK = CSTNode.__dict__.get("__post_init__")


def _unchecked(self: Any) -> None:
    """The hook while the parser runs: nothing."""


@cache
def _skippable() -> bool:
    return _HOOK is not None and hook_only_validates(CSTNode)


def hook_only_validates(root: type) -> bool:
    """Whether building an instance of ``root`` or of a class below it runs
    ``root.__post_init__`` alone, and that does nothing but call ``self._validate()``."""
    hook = root.__dict__.get("__post_init__")
    code = getattr(hook, "__code__", None)
    if code is None or code.co_names != ("_validate",) or code.co_argcount != 1:
        return False
    seen: set[type] = set()
    classes: list[type] = list(root.__subclasses__())
    while classes:
        cls = classes.pop()
        if cls in seen:
            continue
        seen.add(cls)
        if "__post_init__" in cls.__dict__:
            return False
        classes.extend(cls.__subclasses__())
    return True
