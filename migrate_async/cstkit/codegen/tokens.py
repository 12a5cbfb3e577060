"""Whitespace, comments and one-token nodes, and the hand-off to LibCST's own generator."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import libcst as cst

if TYPE_CHECKING:
    from . import _Writer


def _fallback(w: _Writer, node: Any, **kwargs: Any) -> None:
    node._codegen(w.state, **kwargs)


def _value(w: _Writer, node: Any) -> None:
    w.out.append(node.value)


def _newline(w: _Writer, node: cst.Newline) -> None:
    value = node.value
    w.out.append(w.newline if value is None else value)


def _trailing(w: _Writer, node: cst.TrailingWhitespace) -> None:
    w.ws(node.whitespace)
    if node.comment is not None:
        w.out.append(node.comment.value)
    _newline(w, node.newline)


def _empty_line(w: _Writer, node: cst.EmptyLine) -> None:
    out = w.out
    if node.indent:
        out.extend(w.indents)
    w.ws(node.whitespace)
    if node.comment is not None:
        out.append(node.comment.value)
    _newline(w, node.newline)


_TOKENS: dict[type, str] = {}


def _one_token(w: _Writer, node: Any) -> None:
    """An operator or separator that is one token between two whitespace fields."""
    w.ws(node.whitespace_before)
    w.out.append(_TOKENS[type(node)])
    w.ws(node.whitespace_after)


def _register_one_token_ops() -> dict[type, Callable[..., None]]:
    """Every LibCST token class whose fields are exactly the whitespace on its two sides,
    with its token learnt from LibCST itself (the text of one with no whitespace)."""
    found: dict[type, Callable[..., None]] = {}
    blank = cst.SimpleWhitespace("")
    empty = cst.Module(body=[])
    for name in dir(cst):
        cls = getattr(cst, name)
        if not (isinstance(cls, type) and issubclass(cls, cst.CSTNode) and dataclasses.is_dataclass(cls)):
            continue
        if getattr(cls, "__abstractmethods__", None):
            continue
        if tuple(f.name for f in dataclasses.fields(cls)) != ("whitespace_before", "whitespace_after"):
            continue
        try:
            token = empty.code_for_node(cls(whitespace_before=blank, whitespace_after=blank))
        except Exception:  # noqa: BLE001, S112 - one that cannot be built bare is left to LibCST
            continue
        _TOKENS[cls] = token
        found[cls] = _one_token
    return found
