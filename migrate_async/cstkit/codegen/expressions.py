"""Expressions: atoms, calls, operators, subscripts, collections, parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import libcst as cst
from libcst import MaybeSentinel

from .tokens import _fallback, _one_token

if TYPE_CHECKING:
    from . import _Writer

_DEFAULT = MaybeSentinel.DEFAULT


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
