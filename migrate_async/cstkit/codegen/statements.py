"""Statements: simple lines, imports, blocks, and compound statements."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import libcst as cst
from libcst import MaybeSentinel

from .expressions import _annotation, _arg, _atom, _comma
from .tokens import _fallback, _trailing

if TYPE_CHECKING:
    from . import _Writer

_DEFAULT = MaybeSentinel.DEFAULT
_SimpleWhitespace = cst.SimpleWhitespace


def _semicolon(w: _Writer, node: Any, more: bool) -> None:
    semicolon = node.semicolon
    if semicolon is _DEFAULT:
        if more:
            w.out.append("; ")
    else:
        w.node(semicolon)


def _expr(w: _Writer, node: cst.Expr, more: bool) -> None:
    w.node(node.value)
    _semicolon(w, node, more)


def _assign(w: _Writer, node: cst.Assign, more: bool) -> None:
    for target in node.targets:
        w.node(target.target)
        w.ws(target.whitespace_before_equal)
        w.out.append("=")
        w.ws(target.whitespace_after_equal)
    w.node(node.value)
    _semicolon(w, node, more)


def _assert(w: _Writer, node: cst.Assert, more: bool) -> None:
    w.out.append("assert")
    w.ws(node.whitespace_after_assert)
    w.node(node.test)
    _comma(w, node.comma, ", " if node.msg is not None else None)
    if node.msg is not None:
        w.node(node.msg)
    _semicolon(w, node, more)


def _return(w: _Writer, node: cst.Return, more: bool) -> None:
    w.out.append("return")
    space = node.whitespace_after_return
    if space is _DEFAULT:
        if node.value is not None:
            w.out.append(" ")
    else:
        w.ws(space)
    if node.value is not None:
        w.node(node.value)
    _semicolon(w, node, more)


def _pass(w: _Writer, node: cst.Pass, more: bool) -> None:
    w.out.append("pass")
    _semicolon(w, node, more)


def _dotted(w: _Writer, name: Any) -> None:
    if type(name) is cst.Name:
        _atom(w, name)
    else:
        w.node(name)


def _alias(w: _Writer, alias: cst.ImportAlias, more: bool) -> None:
    _dotted(w, alias.name)
    asname = alias.asname
    if asname is not None:
        w.ws(asname.whitespace_before_as)
        w.out.append("as")
        w.ws(asname.whitespace_after_as)
        w.node(asname.name)
    _comma(w, alias.comma, ", " if more else None)


def _import(w: _Writer, node: cst.Import, more: bool) -> None:
    w.out.append("import")
    w.ws(node.whitespace_after_import)
    names = node.names
    last = len(names) - 1
    for index, alias in enumerate(names):
        _alias(w, alias, index != last)
    _semicolon(w, node, more)


def _import_from(w: _Writer, node: cst.ImportFrom, more: bool) -> None:
    out = w.out
    out.append("from")
    w.ws(node.whitespace_after_from)
    for dot in node.relative:
        w.node(dot)
    if node.module is not None:
        _dotted(w, node.module)
    w.ws(node.whitespace_before_import)
    out.append("import")
    w.ws(node.whitespace_after_import)
    if node.lpar is not None:
        w.node(node.lpar)
    names = node.names
    if type(names) is cst.ImportStar:
        out.append("*")
    else:
        last = len(names) - 1
        for index, alias in enumerate(names):
            _alias(w, alias, index != last)
    if node.rpar is not None:
        w.node(node.rpar)
    _semicolon(w, node, more)


_SMALL: dict[type, Callable[[_Writer, Any, bool], None]] = {
    cst.Expr: _expr,
    cst.Assign: _assign,
    cst.Assert: _assert,
    cst.Return: _return,
    cst.Pass: _pass,
    cst.Import: _import,
    cst.ImportFrom: _import_from,
}


def _simple_line(w: _Writer, node: cst.SimpleStatementLine) -> None:
    w.lines(node.leading_lines)
    w.out.extend(w.indents)
    body = node.body
    if body:
        last = len(body) - 1
        for index, statement in enumerate(body):
            emit = _SMALL.get(type(statement))
            if emit is not None:
                emit(w, statement, index != last)
            else:
                _fallback(w, statement, default_semicolon=index != last)
    else:
        w.out.append("pass")
    _trailing(w, node.trailing_whitespace)


def _block(w: _Writer, node: Any) -> None:
    """The part after the colon: an indented block or a one-line body."""
    if type(node) is not cst.IndentedBlock:
        w.node(node)
        return
    _trailing(w, node.header)
    indent = node.indent
    w.indents.append(w.indent if indent is None else indent)
    if node.body:
        for statement in node.body:
            w.node(statement)
    else:
        w.out.extend(w.indents)
        w.out.append("pass")
        w.out.append(w.newline)
    w.lines(node.footer)
    w.indents.pop()


def _head(w: _Writer, node: Any) -> None:
    """What a compound statement writes before its keyword: leading lines, indentation."""
    w.lines(node.leading_lines)
    w.out.extend(w.indents)


def _maybe_async(w: _Writer, node: Any, keyword: str) -> None:
    """``def``, ``for`` or ``with``, after ``async`` when the node has it."""
    if node.asynchronous is not None:
        w.out.append("async")
        w.ws(node.asynchronous.whitespace_after)
    w.out.append(keyword)


def _colon_block(w: _Writer, node: Any) -> None:
    w.ws(node.whitespace_before_colon)
    w.out.append(":")
    _block(w, node.body)


def _decorators(w: _Writer, node: Any) -> None:
    w.lines(node.leading_lines)
    for decorator in node.decorators:
        w.lines(decorator.leading_lines)
        w.out.extend(w.indents)
        w.out.append("@")
        w.ws(decorator.whitespace_after_at)
        w.node(decorator.decorator)
        _trailing(w, decorator.trailing_whitespace)
    w.lines(node.lines_after_decorators)
    w.out.extend(w.indents)


def _function(w: _Writer, node: cst.FunctionDef) -> None:
    _decorators(w, node)
    out = w.out
    _maybe_async(w, node, "def")
    w.ws(node.whitespace_after_def)
    _atom(w, node.name)
    w.ws(node.whitespace_after_name)
    if node.type_parameters is not None:
        w.node(node.type_parameters)
    w.ws(node.whitespace_after_type_parameters)
    out.append("(")
    w.ws(node.whitespace_before_params)
    w.node(node.params)
    out.append(")")
    if node.returns is not None:
        _annotation(w, node.returns, "->")
    _colon_block(w, node)


def _class(w: _Writer, node: cst.ClassDef) -> None:
    _decorators(w, node)
    out = w.out
    out.append("class")
    w.ws(node.whitespace_after_class)
    _atom(w, node.name)
    w.ws(node.whitespace_after_name)
    if node.type_parameters is not None:
        w.node(node.type_parameters)
    w.ws(node.whitespace_after_type_parameters)
    arguments = [*node.bases, *node.keywords]
    if node.lpar is _DEFAULT:
        if arguments:
            out.append("(")
    else:
        w.node(node.lpar)
    last = len(arguments) - 1
    for index, argument in enumerate(arguments):
        _arg(w, argument, index != last)
    if node.rpar is _DEFAULT:
        if arguments:
            out.append(")")
    else:
        w.node(node.rpar)
    _colon_block(w, node)


def _if(w: _Writer, node: cst.If, keyword: str = "if") -> None:
    _head(w, node)
    w.out.append(keyword)
    w.ws(node.whitespace_before_test)
    w.node(node.test)
    w.ws(node.whitespace_after_test)
    w.out.append(":")
    _block(w, node.body)
    orelse = node.orelse
    if type(orelse) is cst.If:
        _if(w, orelse, "elif")
    elif orelse is not None:
        w.node(orelse)


def _keyword_block(keyword: str) -> Callable[[_Writer, Any], None]:
    """A clause that is a keyword and a block: ``else:``, ``finally:``."""

    def emit(w: _Writer, node: Any) -> None:
        _head(w, node)
        w.out.append(keyword)
        _colon_block(w, node)

    return emit


_else = _keyword_block("else")
_finally = _keyword_block("finally")


def _try(w: _Writer, node: cst.Try) -> None:
    _head(w, node)
    w.out.append("try")
    _colon_block(w, node)
    for handler in node.handlers:
        _except(w, handler)
    if node.orelse is not None:
        _else(w, node.orelse)
    if node.finalbody is not None:
        _finally(w, node.finalbody)


def _except(w: _Writer, node: cst.ExceptHandler) -> None:
    _head(w, node)
    w.out.append("except")
    w.ws(node.whitespace_after_except)
    if node.type is not None:
        w.node(node.type)
    if node.name is not None:
        w.node(node.name)
    _colon_block(w, node)


def _for(w: _Writer, node: cst.For) -> None:
    _head(w, node)
    out = w.out
    _maybe_async(w, node, "for")
    w.ws(node.whitespace_after_for)
    w.node(node.target)
    w.ws(node.whitespace_before_in)
    out.append("in")
    w.ws(node.whitespace_after_in)
    w.node(node.iter)
    _colon_block(w, node)
    if node.orelse is not None:
        w.node(node.orelse)


def _while(w: _Writer, node: cst.While) -> None:
    _head(w, node)
    w.out.append("while")
    w.ws(node.whitespace_after_while)
    w.node(node.test)
    _colon_block(w, node)
    if node.orelse is not None:
        w.node(node.orelse)


def _with(w: _Writer, node: cst.With) -> None:
    _head(w, node)
    out = w.out
    items = node.items
    # an item list broken over lines needs parentheses even when none were written
    wrapped = any(
        type(item.comma) is cst.Comma and type(item.comma.whitespace_after) is not _SimpleWhitespace
        for item in items
    )
    _maybe_async(w, node, "with")
    w.ws(node.whitespace_after_with)
    if type(node.lpar) is cst.LeftParen:
        w.node(node.lpar)
    elif wrapped:
        out.append("(")
    last = len(items) - 1
    for index, item in enumerate(items):
        w.node(item.item)
        if item.asname is not None:
            w.node(item.asname)
        _comma(w, item.comma, ", " if index != last else None)
    if type(node.rpar) is cst.RightParen:
        w.node(node.rpar)
    elif wrapped:
        out.append(")")
    _colon_block(w, node)


def _module(w: _Writer, node: cst.Module) -> None:
    w.lines(node.header)
    for statement in node.body:
        w.node(statement)
    w.lines(node.footer)
    if node.has_trailing_newline:
        if not w.out:
            w.out.append(w.newline)
    elif w.out:
        w.out.pop()


def _as_name(w: _Writer, node: cst.AsName) -> None:
    w.ws(node.whitespace_before_as)
    w.out.append("as")
    w.ws(node.whitespace_after_as)
    w.node(node.name)


def _left_paren(w: _Writer, node: cst.LeftParen) -> None:
    w.out.append("(")
    w.ws(node.whitespace_after)


def _right_paren(w: _Writer, node: cst.RightParen) -> None:
    w.ws(node.whitespace_before)
    w.out.append(")")
