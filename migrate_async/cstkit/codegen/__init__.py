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
The writers live by what they write: ``tokens`` (whitespace, comments, one-token nodes, the
hand-off to LibCST), ``expressions`` and ``statements``; this module holds the writer, the
table from node type to writer and the two entry points.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import libcst as cst

try:  # the state LibCST's own generator writes to (used for the node types not below)
    from libcst._nodes.internal import CodegenState
except ImportError:  # pragma: no cover - a LibCST that moved it: Module.code is used
    CodegenState = None

from .expressions import (
    _atom,
    _attribute,
    _await,
    _binary,
    _bracketed,
    _call,
    _comparison,
    _parameters,
    _subscript,
    _tuple,
    _unary,
    _yield,
)
from .statements import (
    _SMALL,
    _as_name,
    _block,
    _class,
    _else,
    _except,
    _finally,
    _for,
    _function,
    _if,
    _left_paren,
    _module,
    _right_paren,
    _simple_line,
    _try,
    _while,
    _with,
)
from .tokens import (
    _empty_line,
    _fallback,
    _newline,
    _register_one_token_ops,
    _trailing,
    _value,
)

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


#: The fields of every node type the writers (tokens, expressions, statements) read, as
#: they were written against them (LibCST 1.9). A LibCST whose nodes have other fields (a new one would be
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
    small = _SMALL.get(type(node))
    if small is not None:
        small(w, node, False)  # a statement of a line (``await x``, ``return y``), its own text
    else:
        w.node(node)
    return "".join(w.out)


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
