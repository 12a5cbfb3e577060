"""Blocks that only run on older Pythons: ``if sys.version_info < (3, 8):`` and the ``else``
of ``if sys.version_info >= (3, 8):``; and the ``except ImportError:`` of a ``try`` that
imports from a standard module (what runs where that module lacks a name).

Read from the comparison as written (``sys.version_info`` or ``sys.version_info[:2]``, on
either side, against a tuple of integers); anything else (a named flag, ``and``/``or``,
``sys.version``) is not a guard here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import libcst as cst

from .names import caught_names, imported_modules

Version = tuple[int, ...]
Qualify = Callable[[cst.BaseExpression], "str | None"]

_BELOW = {cst.LessThan: True, cst.GreaterThanEqual: False}  # version_info OP V: is the body "below V"
_FLIPPED = {cst.GreaterThan: True, cst.LessThanEqual: False}  # V OP version_info


def blocks_below(body: list[cst.BaseStatement] | tuple[cst.BaseStatement, ...], qualify: Qualify) -> Iterator[tuple[cst.BaseSuite, Version]]:
    """The blocks among ``body``'s top-level ``if`` chains that run only on Pythons older
    than a version, with that version."""
    for stmt in body:
        node: cst.If | cst.Else | None = stmt if isinstance(stmt, cst.If) else None
        while isinstance(node, cst.If):
            guard = _below(node.test, qualify)
            if guard is not None:
                version, body_is_below = guard
                if body_is_below:
                    yield node.body, version
                else:  # every branch after it: an elif chain too
                    rest = node.orelse
                    while isinstance(rest, cst.If):
                        yield rest.body, version
                        rest = rest.orelse
                    if isinstance(rest, cst.Else):
                        yield rest.body, version
                break  # an elif after a version guard is read no further
            node = node.orelse if isinstance(node.orelse, cst.If) else None


def import_fallbacks(body: list[cst.BaseStatement] | tuple[cst.BaseStatement, ...], modules: frozenset[str]) -> Iterator[cst.BaseSuite]:
    """The ``except ImportError`` (or ``ModuleNotFoundError``) blocks of ``body``'s top-level
    ``try`` statements whose body imports from one of ``modules``: they run only where that
    module lacks what the ``try`` imports."""
    for stmt in body:
        if not isinstance(stmt, cst.Try) or not _imports_from(stmt.body, modules):
            continue
        for handler in stmt.handlers:
            if _catches_import_error(handler):
                yield handler.body


def _imports_from(suite: cst.BaseSuite, modules: frozenset[str]) -> bool:
    lines = suite.body if isinstance(suite, cst.IndentedBlock) else [suite]
    for line in lines:
        if not isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            continue
        for small in line.body:
            if isinstance(small, (cst.Import, cst.ImportFrom)) and not modules.isdisjoint(imported_modules(small)):
                return True
    return False


def _catches_import_error(handler: cst.ExceptHandler) -> bool:
    names = caught_names(handler)
    if names is None:
        return False  # a bare except: anything may have failed
    return any(n in ("ImportError", "ModuleNotFoundError") for n in names)


def _below(test: cst.BaseExpression, qualify: Qualify) -> tuple[Version, bool] | None:
    """(V, True) when ``test`` holds exactly below Python V, (V, False) when it holds exactly
    from V on; None when it is not such a comparison."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    target = test.comparisons[0]
    left, right, op = test.left, target.comparator, type(target.operator)
    if (kept := _version_info_parts(left, qualify)) is not None and op in _BELOW:
        compared, below = right, _BELOW[op]
    elif (kept := _version_info_parts(right, qualify)) is not None and op in _FLIPPED:
        compared, below = left, _FLIPPED[op]
    else:
        return None
    if kept and isinstance(compared, cst.Tuple) and kept < len(compared.elements):
        return None  # sys.version_info[:1] < (3, 8) holds on every Python 3: (3,) < (3, 8)
    version = _version(compared)
    return (version, below) if version is not None else None


def _version_info_parts(node: cst.BaseExpression, qualify: Qualify) -> int | None:
    """How many leading parts of ``sys.version_info`` ``node`` keeps (0: all of them), or
    None when it is not ``sys.version_info`` or a ``[:n]`` slice of it."""
    kept = 0
    if isinstance(node, cst.Subscript):  # sys.version_info[:2]
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Slice):
            return None
        part = node.slice[0].slice
        if part.lower is not None or part.step is not None:
            return None
        if part.upper is not None:
            if not isinstance(part.upper, cst.Integer) or int(part.upper.value) < 1:
                return None
            kept = int(part.upper.value)
        node = node.value
    return kept if qualify(node) == "sys.version_info" else None


def _version(node: cst.BaseExpression) -> Version | None:
    if not isinstance(node, cst.Tuple) or not node.elements:
        return None
    parts = []
    for element in node.elements:
        if not isinstance(element.value, cst.Integer):
            return None
        parts.append(int(element.value.value))
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()  # below (3, 8, 0) is below (3, 8)
    return tuple(parts)
