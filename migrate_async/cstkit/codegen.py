"""The text of a LibCST module, written four to five times faster than ``Module.code``.

``Module.code`` walks every node through ``CSTNode._codegen``, and most node types open
one or two context managers on the way (for the positions LibCST's metadata records while
it writes); on a test module that is as much work as a third of the parse. Here the node
types that make up nearly all of a test suite are written by plain functions over two
lists (the text pieces and the current indentation); any other node is handed to LibCST's
own code generator with a state that shares those two lists, so its text lands in the same
place and its children are written by LibCST as usual. The output is the same string:
tests/test_codegen.py compares the two on random programs, the golden fixtures, trees the
transforms build and a sample of the standard library (the whole of it matched too: 1,778
modules, when this was written).

What each function writes follows the field order and the defaults LibCST documents for
the node (a ``MaybeSentinel.DEFAULT`` comma is ``", "`` when more items follow, and so on).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import libcst as cst
from libcst import MaybeSentinel

try:  # the state LibCST's own generator writes to (used for the node types not below)
    from libcst._nodes.internal import CodegenState
except ImportError:  # pragma: no cover - a LibCST that moved it: Module.code is used
    CodegenState = None

_DEFAULT = MaybeSentinel.DEFAULT
_SimpleWhitespace = cst.SimpleWhitespace


class _Writer:
    __slots__ = ("indent", "indents", "newline", "out", "state")

    def __init__(self, module: cst.Module) -> None:
        self.out: list[str] = []
        self.indents: list[str] = []
        self.newline = module.default_newline
        self.indent = module.default_indent
        self.state = CodegenState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            indent_tokens=self.indents,
            tokens=self.out,
        )

    def node(self, node: Any) -> None:
        emit = _PLAIN.get(type(node))
        if emit is not None:
            emit(self, node)
        else:
            _fallback(self, node)

    def ws(self, node: Any) -> None:
        if type(node) is _SimpleWhitespace:
            self.out.append(node.value)
        else:
            self.node(node)

    def lines(self, lines: Any) -> None:
        for line in lines:
            _empty_line(self, line)


#: The fields of every node type the functions below read, as this module was written
#: against them (LibCST 1.9). A LibCST whose nodes have other fields (a new one would be
#: silently left out) gets ``Module.code`` instead.
_KNOWN_FIELDS: dict[type, str] = {
    cst.Annotation: "annotation whitespace_before_indicator whitespace_after_indicator",
    cst.Arg: "value keyword equal comma star whitespace_after_star whitespace_after_arg",
    cst.AsName: "name whitespace_before_as whitespace_after_as",
    cst.Assert: "test msg comma whitespace_after_assert semicolon",
    cst.Assign: "targets value semicolon",
    cst.AssignTarget: "target whitespace_before_equal whitespace_after_equal",
    cst.Asynchronous: "whitespace_after",
    cst.Attribute: "value attr dot lpar rpar",
    cst.Await: "expression lpar rpar whitespace_after_await",
    cst.BinaryOperation: "left operator right lpar rpar",
    cst.BooleanOperation: "left operator right lpar rpar",
    cst.Call: "func args lpar rpar whitespace_after_func whitespace_before_args",
    cst.ClassDef: "name body bases keywords decorators lpar rpar leading_lines lines_after_decorators "
        "whitespace_after_class whitespace_after_name whitespace_before_colon type_parameters whitespace_after_type_parameters",
    cst.Comment: "value",
    cst.Comparison: "left comparisons lpar rpar",
    cst.ComparisonTarget: "operator comparator",
    cst.Decorator: "decorator leading_lines whitespace_after_at trailing_whitespace",
    cst.Dict: "elements lbrace rbrace lpar rpar",
    cst.DictElement: "key value comma whitespace_before_colon whitespace_after_colon",
    cst.Element: "value comma",
    cst.Else: "body leading_lines whitespace_before_colon",
    cst.EmptyLine: "indent whitespace comment newline",
    cst.ExceptHandler: "body type name leading_lines whitespace_after_except whitespace_before_colon",
    cst.Expr: "value semicolon",
    cst.Finally: "body leading_lines whitespace_before_colon",
    cst.Float: "value lpar rpar",
    cst.For: "target iter body orelse asynchronous leading_lines whitespace_after_for whitespace_before_in "
        "whitespace_after_in whitespace_before_colon",
    cst.FunctionDef: "name params body decorators returns asynchronous leading_lines lines_after_decorators "
        "whitespace_after_def whitespace_after_name whitespace_before_params whitespace_before_colon type_parameters whitespace_after_type_parameters",
    cst.If: "test body orelse leading_lines whitespace_before_test whitespace_after_test",
    cst.Imaginary: "value lpar rpar",
    cst.Import: "names semicolon whitespace_after_import",
    cst.ImportAlias: "name asname comma",
    cst.ImportFrom: "module names relative lpar rpar semicolon whitespace_after_from whitespace_before_import "
        "whitespace_after_import",
    cst.ImportStar: "",
    cst.IndentedBlock: "body header indent footer",
    cst.Index: "value star whitespace_after_star",
    cst.Integer: "value lpar rpar",
    cst.LeftCurlyBrace: "whitespace_after",
    cst.LeftParen: "whitespace_after",
    cst.LeftSquareBracket: "whitespace_after",
    cst.List: "elements lbracket rbracket lpar rpar",
    cst.Name: "value lpar rpar",
    cst.Newline: "value",
    cst.Param: "name annotation equal default comma star whitespace_after_star whitespace_after_param",
    cst.Parameters: "params star_arg kwonly_params star_kwarg posonly_params posonly_ind",
    cst.Pass: "semicolon",
    cst.Return: "value whitespace_after_return semicolon",
    cst.RightCurlyBrace: "whitespace_before",
    cst.RightParen: "whitespace_before",
    cst.RightSquareBracket: "whitespace_before",
    cst.Set: "elements lbrace rbrace lpar rpar",
    cst.SimpleStatementLine: "body leading_lines trailing_whitespace",
    cst.SimpleString: "value lpar rpar",
    cst.SimpleWhitespace: "value",
    cst.Subscript: "value slice lbracket rbracket lpar rpar whitespace_after_value",
    cst.SubscriptElement: "slice comma",
    cst.TrailingWhitespace: "whitespace comment newline",
    cst.Try: "body handlers orelse finalbody leading_lines whitespace_before_colon",
    cst.Tuple: "elements lpar rpar",
    cst.UnaryOperation: "operator expression lpar rpar",
    cst.While: "test body orelse leading_lines whitespace_after_while whitespace_before_colon",
    cst.With: "items body asynchronous leading_lines lpar rpar whitespace_after_with whitespace_before_colon",
    cst.WithItem: "item asname comma",
    cst.Yield: "value lpar rpar whitespace_after_yield",
}

_READY: list[bool] = []  # [whether the fields match], once known


def _fields_match() -> bool:
    if CodegenState is None:  # pragma: no cover
        return False
    return all(
        {f.name for f in dataclasses.fields(cls)} == set(names.split()) for cls, names in _KNOWN_FIELDS.items()
    )



def _fallback(w: _Writer, node: Any, **kwargs: Any) -> None:
    node._codegen(w.state, **kwargs)


def _ready() -> bool:
    if not _READY:  # worked out on first use, not at import (start-up stays lean)
        _READY.append(_fields_match())
        if _READY[0]:
            _PLAIN.update(_register_one_token_ops())
    return _READY[0]


def generate(module: cst.Module) -> str:
    """``module.code``."""
    if not _ready():
        return module.code
    w = _Writer(module)
    _module(w, module)
    return "".join(w.out)


_EMPTY_MODULE = cst.Module(body=[])


def generate_node(node: cst.CSTNode) -> str:
    """``Module([]).code_for_node(node)``: the code of one node (an expression, a
    decorator's call), at column 0."""
    if not _ready():
        return _EMPTY_MODULE.code_for_node(node)
    w = _Writer(_EMPTY_MODULE)
    w.node(node)
    return "".join(w.out)


# -- whitespace and tokens ----------------------------------------------------------------
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


# -- expressions --------------------------------------------------------------------------
def _open(w: _Writer, node: Any) -> None:
    for lpar in node.lpar:
        w.out.append("(")
        w.ws(lpar.whitespace_after)


def _close(w: _Writer, node: Any) -> None:
    for rpar in node.rpar:
        w.ws(rpar.whitespace_before)
        w.out.append(")")


def _atom(w: _Writer, node: Any) -> None:
    """Name, SimpleString, Integer, Float, Imaginary: the value, maybe in parentheses."""
    if node.lpar:
        _open(w, node)
        w.out.append(node.value)
        _close(w, node)
    else:
        w.out.append(node.value)


def _attribute(w: _Writer, node: cst.Attribute) -> None:
    _open(w, node)
    w.node(node.value)
    _one_token(w, node.dot)
    _atom(w, node.attr)
    _close(w, node)


def _comma(w: _Writer, comma: Any, default: str | None) -> None:
    """A separator field: a Comma as written, or ``default`` when left to LibCST."""
    if comma is _DEFAULT:
        if default is not None:
            w.out.append(default)
    elif comma is not None:
        w.node(comma)


def _arg(w: _Writer, node: cst.Arg, more: bool) -> None:
    out = w.out
    out.append(node.star)
    w.ws(node.whitespace_after_star)
    keyword = node.keyword
    if keyword is not None:
        _atom(w, keyword)
    equal = node.equal
    if equal is _DEFAULT:
        if keyword is not None:
            out.append(" = ")
    else:
        w.node(equal)
    w.node(node.value)
    _comma(w, node.comma, ", " if more else None)
    w.ws(node.whitespace_after_arg)


def _call(w: _Writer, node: cst.Call) -> None:
    _open(w, node)
    w.node(node.func)
    w.ws(node.whitespace_after_func)
    w.out.append("(")
    w.ws(node.whitespace_before_args)
    args = node.args
    last = len(args) - 1
    for index, arg in enumerate(args):
        if type(arg) is cst.Arg:
            _arg(w, arg, index != last)
        else:
            _fallback(w, arg, default_comma=index != last)
    w.out.append(")")
    _close(w, node)


def _await(w: _Writer, node: cst.Await) -> None:
    _open(w, node)
    w.out.append("await")
    w.ws(node.whitespace_after_await)
    w.node(node.expression)
    _close(w, node)


def _yield(w: _Writer, node: cst.Yield) -> None:
    _open(w, node)
    w.out.append("yield")
    space = node.whitespace_after_yield
    value = node.value
    if space is _DEFAULT:
        if value is not None:
            w.out.append(" ")
    else:
        w.ws(space)
    if type(value) is cst.From:
        _fallback(w, value, default_space="")
    elif value is not None:
        w.node(value)
    _close(w, node)


def _comparison(w: _Writer, node: cst.Comparison) -> None:
    _open(w, node)
    w.node(node.left)
    for target in node.comparisons:
        w.node(target.operator)
        w.node(target.comparator)
    _close(w, node)


def _binary(w: _Writer, node: Any) -> None:
    """BinaryOperation and BooleanOperation: left, operator, right."""
    _open(w, node)
    w.node(node.left)
    w.node(node.operator)
    w.node(node.right)
    _close(w, node)


def _unary(w: _Writer, node: cst.UnaryOperation) -> None:
    _open(w, node)
    w.node(node.operator)
    w.node(node.expression)
    _close(w, node)


def _subscript(w: _Writer, node: cst.Subscript) -> None:
    _open(w, node)
    w.node(node.value)
    w.ws(node.whitespace_after_value)
    w.out.append("[")
    w.ws(node.lbracket.whitespace_after)
    elements = node.slice
    last = len(elements) - 1
    for index, element in enumerate(elements):
        inner = element.slice
        if type(inner) is cst.Index and inner.star is None and inner.whitespace_after_star is None:
            w.node(inner.value)
        else:
            w.node(inner)
        _comma(w, element.comma, ", " if index != last else None)
    w.ws(node.rbracket.whitespace_before)
    w.out.append("]")
    _close(w, node)


def _elements(w: _Writer, elements: Any, single_comma: bool) -> None:
    """The elements of a tuple, list, set or dict literal with their default commas
    (a one-element tuple gets ``","``)."""
    last = len(elements) - 1
    lone = single_comma and last == 0
    for index, element in enumerate(elements):
        kind = type(element)
        if kind is cst.Element:
            w.node(element.value)
        elif kind is cst.DictElement:
            w.node(element.key)
            w.ws(element.whitespace_before_colon)
            w.out.append(":")
            w.ws(element.whitespace_after_colon)
            w.node(element.value)
        else:
            _fallback(w, element, default_comma=lone or index < last, default_comma_whitespace=not lone)
            continue
        _comma(w, element.comma, "," if lone else ", " if index < last else None)


def _tuple(w: _Writer, node: cst.Tuple) -> None:
    _open(w, node)
    _elements(w, node.elements, True)
    _close(w, node)


def _bracketed(opening: str, closing: str, opener: str, closer: str) -> Callable[[_Writer, Any], None]:
    def emit(w: _Writer, node: Any) -> None:
        _open(w, node)
        w.out.append(opening)
        w.ws(getattr(node, opener).whitespace_after)
        _elements(w, node.elements, False)
        w.ws(getattr(node, closer).whitespace_before)
        w.out.append(closing)
        _close(w, node)

    return emit


def _annotation(w: _Writer, node: cst.Annotation, indicator: str) -> None:
    before = node.whitespace_before_indicator
    if before is _DEFAULT:
        if indicator == "->":
            w.out.append(" ")
    else:
        w.ws(before)
    w.out.append(indicator)
    w.ws(node.whitespace_after_indicator)
    w.node(node.annotation)


def _param(w: _Writer, node: cst.Param, default_star: str, more: bool) -> None:
    out = w.out
    star = node.star
    out.append(default_star if star is _DEFAULT else star)
    w.ws(node.whitespace_after_star)
    _atom(w, node.name)
    if node.annotation is not None:
        _annotation(w, node.annotation, ":")
    default = node.default
    if node.equal is _DEFAULT:
        if default is not None:
            out.append(" = ")
    else:
        w.node(node.equal)
    if default is not None:
        w.node(default)
    _comma(w, node.comma, ", " if more else None)
    w.ws(node.whitespace_after_param)


def _parameters(w: _Writer, node: cst.Parameters) -> None:
    """Each group in order, a default comma after every parameter something follows, and
    the ``/`` and bare ``*`` markers when LibCST is left to write them."""
    out = w.out
    star_arg, keyword_only, star_kwarg = node.star_arg, node.kwonly_params, node.star_kwarg
    bare_star = star_arg is _DEFAULT and bool(keyword_only)
    after_params = bare_star or type(star_arg) in (cst.Param, cst.ParamStar) or bool(keyword_only) or star_kwarg is not None
    for param in node.posonly_params:
        _param(w, param, "", True)
    after_slash = after_params or bool(node.params)
    if type(node.posonly_ind) is cst.ParamSlash:
        _fallback(w, node.posonly_ind, default_comma=after_slash)
    elif node.posonly_params:
        out.append("/, " if after_slash else "/")
    last = len(node.params) - 1
    for index, param in enumerate(node.params):
        _param(w, param, "", index < last or after_params)
    if bare_star:
        out.append("*, ")
    elif type(star_arg) is cst.Param:
        _param(w, star_arg, "*", bool(keyword_only) or star_kwarg is not None)
    elif type(star_arg) is cst.ParamStar:
        _fallback(w, star_arg)
    last = len(keyword_only) - 1
    for index, param in enumerate(keyword_only):
        _param(w, param, "", index < last or star_kwarg is not None)
    if star_kwarg is not None:
        _param(w, star_kwarg, "**", False)


# -- statements ---------------------------------------------------------------------------
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


_PLAIN: dict[type, Callable[[_Writer, Any], None]] = {
    cst.SimpleWhitespace: _value,
    cst.Comment: _value,
    cst.Newline: _newline,
    cst.TrailingWhitespace: _trailing,
    cst.EmptyLine: _empty_line,
    cst.Name: _atom,
    cst.SimpleString: _atom,
    cst.Integer: _atom,
    cst.Float: _atom,
    cst.Imaginary: _atom,
    cst.Attribute: _attribute,
    cst.Call: _call,
    cst.Await: _await,
    cst.Yield: _yield,
    cst.Comparison: _comparison,
    cst.BinaryOperation: _binary,
    cst.BooleanOperation: _binary,
    cst.UnaryOperation: _unary,
    cst.Subscript: _subscript,
    cst.Parameters: _parameters,
    cst.Tuple: _tuple,
    cst.List: _bracketed("[", "]", "lbracket", "rbracket"),
    cst.Set: _bracketed("{", "}", "lbrace", "rbrace"),
    cst.Dict: _bracketed("{", "}", "lbrace", "rbrace"),
    cst.SimpleStatementLine: _simple_line,
    cst.IndentedBlock: _block,
    cst.FunctionDef: _function,
    cst.ClassDef: _class,
    cst.If: _if,
    cst.Else: _else,
    cst.Try: _try,
    cst.Finally: _finally,
    cst.ExceptHandler: _except,
    cst.For: _for,
    cst.While: _while,
    cst.With: _with,
    cst.AsName: _as_name,
    cst.LeftParen: _left_paren,
    cst.RightParen: _right_paren,
}
