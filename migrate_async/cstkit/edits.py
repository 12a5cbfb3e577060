"""Generic CST edits that keep the code's layout: arguments, elements, decorators, statements."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from .names import code_of


def make_kwarg(key: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        keyword=cst.Name(key),
        value=value,
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def append_kwarg(call: cst.Call, arg: cst.Arg, after: str | None = None) -> cst.Call:
    """Add a keyword argument at the end of a call, keeping the call's layout.

    ``f(a=1)`` → ``f(a=1, b=2)``; a call with one argument per line (with or without a
    trailing comma, hanging indent or not) gets the new argument on a line of its own,
    aligned like the others. With ``after``, the argument goes right after that keyword
    argument when there is one (``loop_scope=`` next to ``scope=``, not after a long
    ``params=[...]``), separated from what follows the way that argument was.
    """
    args = list(call.args)
    if not args:
        return call.with_changes(args=[arg])
    if after is not None:
        anchor = next((i for i, a in enumerate(args) if a.keyword is not None and a.keyword.value == after), None)
        if anchor is not None and anchor < len(args) - 1 and isinstance(args[anchor].comma, cst.Comma):
            args.insert(anchor + 1, arg.with_changes(comma=args[anchor].comma))
            return call.with_changes(args=args)
    last = args[-1]
    hanging = (
        len(args) >= 2
        and isinstance(args[-2].comma, cst.Comma)
        and isinstance(args[-2].comma.whitespace_after, cst.ParenthesizedWhitespace)
    )
    multiline = hanging or isinstance(last.comma, cst.Comma) or "\n" in code_of(last.whitespace_after_arg)
    if not multiline:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(arg)
        return call.with_changes(args=args)
    # the whitespace that separates two arguments in this call (newline + indent)
    if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
        separator = args[-2].comma.whitespace_after
    else:
        separator = call.whitespace_before_args
    if isinstance(last.comma, cst.Comma):
        args[-1] = last.with_changes(
            comma=cst.Comma(whitespace_before=last.comma.whitespace_before, whitespace_after=separator)
        )
        args.append(arg.with_changes(comma=last.comma))
    else:
        args[-1] = last.with_changes(
            whitespace_after_arg=cst.SimpleWhitespace(""),
            comma=cst.Comma(whitespace_after=separator),
        )
        args.append(arg.with_changes(whitespace_after_arg=last.whitespace_after_arg))
    return call.with_changes(args=args)


def set_kwarg(call: cst.Call, key: str, value: cst.BaseExpression, after: str | None = None) -> cst.Call:
    """``key=value`` in a call: the value of an existing ``key=`` argument is replaced in place
    (a call cannot repeat a keyword), else the argument is appended as :func:`append_kwarg` does."""
    args = list(call.args)
    for index, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == key:
            args[index] = arg.with_changes(value=value)
            return call.with_changes(args=args)
    return append_kwarg(call, make_kwarg(key, value), after)


def remove_decorators(node: cst.FunctionDef | cst.ClassDef, indices: set[int]) -> cst.FunctionDef | cst.ClassDef:
    """Drop decorators by index; comments and blank lines above a removed one move down."""
    kept: list[cst.Decorator] = []
    carried: list[cst.EmptyLine] = []
    for i, decorator in enumerate(node.decorators):
        if i in indices:
            carried.extend(decorator.leading_lines)
            continue
        if carried:
            decorator = decorator.with_changes(leading_lines=(*carried, *decorator.leading_lines))
            carried = []
        kept.append(decorator)
    if carried:
        node = node.with_changes(lines_after_decorators=(*carried, *node.lines_after_decorators))
    return node.with_changes(decorators=kept)


def is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def insert_assignment_first(block: cst.IndentedBlock, name: str, value: cst.BaseExpression) -> cst.IndentedBlock:
    """``name = value`` as the first statement of a function body (after its docstring); the
    blank lines above the old first statement move above the new one, comments stay. A
    nested ``def`` or ``class`` that now follows a statement gets the blank line above it
    that black and ruff format put there."""
    body = list(block.body)
    at = 1 if body and is_docstring(body[0]) else 0
    lines: Sequence[cst.EmptyLine] = ()
    if at < len(body):
        following = body[at]
        leading = list(following.leading_lines)
        blanks = 0
        while blanks < len(leading) and leading[blanks].comment is None:
            blanks += 1
        lines = leading[:blanks]
        rest = leading[blanks:]
        if isinstance(following, (cst.FunctionDef, cst.ClassDef)):
            rest = [cst.EmptyLine(indent=False), *rest]
        body[at] = following.with_changes(leading_lines=rest)
    assign = cst.SimpleStatementLine(
        body=[cst.Assign(targets=[cst.AssignTarget(target=cst.Name(name))], value=value)],
        leading_lines=lines,
    )
    body.insert(at, assign)
    return block.with_changes(body=body)


def remove_param(params: cst.Parameters, where: str, index: int) -> cst.Parameters:
    """``params`` without ``getattr(params, where)[index]``: the last one left takes the
    removed one's comma (a trailing comma stays trailing), and a bare ``*`` with no
    keyword-only parameter left goes. The layout is redone after the transforms
    (cstkit.wrap)."""
    group = list(getattr(params, where))
    removed = group.pop(index)
    if index == len(group) and group:
        last = group[-1]
        after = last.comma.whitespace_after if isinstance(last.comma, cst.Comma) else None
        if isinstance(after, cst.ParenthesizedWhitespace) and after.first_line.comment is not None:
            # ``a,  # why`` keeps its comma and comment; the closing bracket follows on its own line
            group[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=after.with_changes(last_line=cst.SimpleWhitespace(""))))
        else:
            group[-1] = last.with_changes(comma=removed.comma)
    if where == "kwonly_params" and not group and isinstance(params.star_arg, cst.ParamStar):
        params = params.with_changes(star_arg=cst.MaybeSentinel.DEFAULT)
    return params.with_changes(**{where: group})


def class_body(cls: cst.ClassDef) -> Sequence[cst.BaseStatement]:
    """The statements of a class (none for a one-line ``class X: ...``)."""
    return cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()


def class_defines(cls: cst.ClassDef, name: str) -> bool:
    return any(isinstance(s, cst.FunctionDef) and s.name.value == name for s in class_body(cls))


def remove_arg(call: cst.Call, index: int) -> cst.Call:
    """Remove one argument of a call, keeping the layout (and trailing comma) of the rest."""
    args = list(call.args)
    removed = args.pop(index)
    if args and index == len(args):
        # the new last argument takes over the removed one's comma (or its absence)
        last = args[-1]
        args[-1] = last.with_changes(comma=removed.comma, whitespace_after_arg=removed.whitespace_after_arg)
    return call.with_changes(args=args)


def remove_element(container: cst.List | cst.Tuple, index: int) -> cst.List | cst.Tuple:
    """Remove one element of a list/tuple display, keeping the layout (and trailing comma)."""
    elements = list(container.elements)
    removed = elements.pop(index)
    if elements and index == len(elements):
        elements[-1] = elements[-1].with_changes(comma=removed.comma)
    return container.with_changes(elements=elements)


def append_element(container: cst.List | cst.Tuple, element: cst.Element) -> cst.List | cst.Tuple:
    """Add an element at the end of a list/tuple display, keeping a trailing comma's layout."""
    elements = list(container.elements)
    if not elements:
        return container.with_changes(elements=[element])
    last = elements[-1]
    if isinstance(last.comma, cst.Comma):
        elements.append(element.with_changes(comma=last.comma))
        elements[-1 - 1] = last.with_changes(comma=cst.Comma(whitespace_after=last.comma.whitespace_after))
    else:
        elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        elements.append(element)
    return container.with_changes(elements=elements)


def methods(cls: cst.ClassDef) -> list[cst.FunctionDef]:
    """The functions defined directly in a class body."""
    return [s for s in class_body(cls) if isinstance(s, cst.FunctionDef)]


def leading_blanks(lines: Sequence[cst.EmptyLine]) -> int:
    """How many blank lines come before the first comment line (all of them if none)."""
    count = 0
    for line in lines:
        if line.comment is not None:
            break
        count += 1
    return count


def opening_lines(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """The leading lines of a statement that now opens its block: its blank lines before the
    first comment go (no block opens with a blank line), its comments stay."""
    return list(lines[leading_blanks(lines):])


def parenthesized(expr: cst.BaseExpression) -> cst.BaseExpression:
    if expr.lpar:
        return expr
    return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


class Dedent(cst.CSTTransformer):
    """Remove ``amount`` columns from the continuation lines of an expression."""

    def __init__(self, amount: int) -> None:
        self.amount = amount

    def leave_ParenthesizedWhitespace(
        self, original_node: cst.ParenthesizedWhitespace, updated_node: cst.ParenthesizedWhitespace
    ) -> cst.ParenthesizedWhitespace:
        value = updated_node.last_line.value
        if updated_node.indent and value.startswith(" " * self.amount):
            return updated_node.with_changes(last_line=cst.SimpleWhitespace(value[self.amount:]))
        return updated_node


def continuation_indent(ws: cst.BaseParenthesizableWhitespace) -> int | None:
    if isinstance(ws, cst.ParenthesizedWhitespace) and ws.indent:
        return len(ws.last_line.value)
    return None


def awaited_argument(call: cst.Call) -> cst.Await:
    """``await <first argument>`` for ``runner(x)`` (``loop.run_until_complete(x)``): the
    argument's continuation lines moved left as far as the call's opening bracket moved
    them right, parenthesized where ``await`` would bind tighter."""
    arg = call.args[0]
    value = arg.value
    before = continuation_indent(call.whitespace_before_args)
    after = continuation_indent(arg.whitespace_after_arg)
    if before is not None and after is not None and before > after:
        value = value.visit(Dedent(before - after))
    if not value.lpar and not isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        value = parenthesized(value)
    return cst.Await(expression=value)
