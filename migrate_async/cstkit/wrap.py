"""Wrap what our edits touched the way black and ruff format do.

An edit that drops a parameter, adds ``async`` or appends ``loop_scope=`` changes the length
of one line, so the layout that fitted before may not fit, or may no longer be needed. After
the transforms, `rewrap` lays out again each signature and decorator call of a module's or
class's functions (the transforms edit tests, fixtures and hooks, never a function nested in
another) whose text is not in the original module (so only what an edit touched), with the rule both
formatters apply to a bracket: on one line when it fits and has no magic trailing comma;
otherwise the contents on one indented line between the brackets when they fit there;
otherwise one element per line with a trailing comma. Anything holding a comment, or an
element that spans lines, keeps its layout; so does a bracket whose lines continue at other
indents than those (a visual indent lined up with the bracket is the project's own style)
unless the project has a formatter (``formatted``), which would lay it out that way anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import libcst as cst

from .codegen import generate_node
from .walk import walk

#: What the walks do not enter: nodes that hold no signature or decorator, and function
#: bodies (the transforms edit tests, fixtures and hooks: functions of a module or class).
_SKIPPED = (
    cst.BaseExpression, cst.SimpleStatementLine, cst.SimpleStatementSuite, cst.Decorator, cst.Parameters, cst.FunctionDef,
)


def code(node: cst.CSTNode) -> str:
    return generate_node(node)


def rewrap(
    module: cst.Module, original: cst.Module, line_length: int, magic_trailing_comma: bool, formatted: bool = False
) -> cst.Module:
    """``module`` with the signatures and decorator calls that are not in ``original`` laid
    out again (see the module docstring)."""
    seen = _Headers()
    walk(seen, original)
    return walk(_Rewrap(seen, original, module.default_indent, line_length, magic_trailing_comma, formatted), module)


#: The fields of a compound statement (and of its clauses) that hold statements.
_CLAUSES = ("body", "orelse", "handlers", "finalbody", "cases")


class _Headers(cst.CSTTransformer):
    """The signatures and decorators of a module (a transformer that changes nothing, for
    cstkit.walk). An edit-free walk keeps unchanged nodes as they are, so a node of the
    original tree is recognised by identity; their text is made only for the rest."""

    def __init__(self) -> None:
        super().__init__()
        self._functions: list[cst.FunctionDef] = []
        self._defs: list[cst.FunctionDef | cst.ClassDef] = []
        #: function bodies as they were: an edit-free walk keeps them, so only changed ones are entered
        self.body_ids: set[int] = set()
        self._signature_ids: set[tuple[int, bool, int]] = set()
        self._decorator_ids: set[int] = set()
        self._signatures: set[str] | None = None
        self._decorators: set[str] | None = None
        self._statements: set[str] | None = None
        #: Statements of the original that need no new layout wherever they are now: every
        #: statement met here (outside functions: whatever in them could be laid out again
        #: is recorded by identity above) and, added as the functions an edit changed are
        #: entered, the one-line statements of those functions (a line of the original is
        #: never laid out again, see leave_SimpleStatementLine). The original tree outlives
        #: the rewrap, so no node of the new tree can have one of these ids.
        self.kept_ids: set[int] = set()
        #: the original's functions outside functions, by their name node (which an edit of
        #: the function's signature or body keeps)
        self._by_name: dict[int, cst.FunctionDef] = {}
        #: the original's functions and classes outside functions, by their name node (kept)
        self.originals: dict[int, cst.FunctionDef | cst.ClassDef] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseStatement):
            self.kept_ids.add(id(node))
        if isinstance(node, cst.FunctionDef):
            self._by_name[id(node.name)] = node
            self._functions.append(node)
            self._signature_ids.add(_signature_id(node))
            self.body_ids.add(id(node.body))
        elif isinstance(node, cst.With):
            self._decorator_ids.update(id(item.item) for item in node.items)
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            self._decorator_ids.update(id(d.decorator) for d in node.decorators)
            self._defs.append(node)
            self.originals[id(node.name)] = node
        return not isinstance(node, _SKIPPED)

    def keep_lines_of(self, node: cst.FunctionDef) -> None:
        """Add the one-line statements of the original of ``node`` (a function whose body an
        edit changed) to :attr:`kept_ids`; nothing when its original is not known."""
        found = self._by_name.pop(id(node.name), None)
        if found is not None:
            _collect_lines(found.body, self.kept_ids)

    def has_signature(self, node: cst.FunctionDef) -> bool:
        if _signature_id(node) in self._signature_ids:
            return True
        if self._signatures is None:
            self._signatures = {_signature_key(f) for f in self._functions}
        return _signature_key(node) in self._signatures

    def has_statement(self, text: str, original: cst.Module) -> bool:
        """Whether a one-line statement with this text is in ``original`` (asked only for
        the rare statement that is too long, so the texts are made on the first question)."""
        if self._statements is None:
            finder = _StatementTexts()
            original.visit(finder)
            self._statements = finder.texts
        return text in self._statements

    def has_identical_decorator(self, expr: cst.BaseExpression) -> bool:
        return id(expr) in self._decorator_ids

    def has_decorator(self, expr: cst.BaseExpression) -> bool:
        if id(expr) in self._decorator_ids:
            return True
        if self._decorators is None:
            self._decorators = {code(d.decorator) for n in self._defs for d in n.decorators}
        return code(expr) in self._decorators


def _collect_lines(block: Any, into: set[int]) -> None:
    """The ids of the simple statement lines of a block, at any depth."""
    if isinstance(block, cst.IndentedBlock):
        for statement in block.body:
            _collect_statement_lines(statement, into)


def _collect_statement_lines(statement: Any, into: set[int]) -> None:
    if isinstance(statement, cst.SimpleStatementLine):
        into.add(id(statement))
        return
    for name in _CLAUSES:
        part = getattr(statement, name, None)
        for clause in part if isinstance(part, (tuple, list)) else (part,):
            if isinstance(clause, cst.BaseSuite):
                _collect_lines(clause, into)
            elif isinstance(clause, cst.If):  # ``elif``
                _collect_statement_lines(clause, into)
            elif clause is not None:  # else, except, finally, case
                _collect_lines(clause.body, into)


class _StatementTexts(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.texts: set[str] = set()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        self.texts.update(code(statement) for statement in node.body)
        return False


def _signature_id(node: cst.FunctionDef) -> tuple[int, bool, int]:
    return (id(node.params), node.asynchronous is not None, id(node.returns))


def _signature_key(node: cst.FunctionDef) -> str:
    return code(node.with_changes(decorators=(), leading_lines=(), body=cst.SimpleStatementSuite([cst.Pass()])))


class _Rewrap(cst.CSTTransformer):
    def __init__(
        self, seen: _Headers, original: cst.Module, default_indent: str, line_length: int, magic: bool, formatted: bool
    ) -> None:
        super().__init__()
        self._any_shape = formatted
        self._seen = seen
        self._kept = seen.kept_ids
        self._original = original
        self._unit = default_indent
        self._limit = line_length
        self._magic = magic
        self._indents: list[int] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self._kept:
            return False  # a statement of the original, as it was (see _Headers.kept_ids)
        if isinstance(node, cst.FunctionDef):
            # a body an edit changed is entered for its ``with`` lines (a call that grew)
            if id(node.body) in self._seen.body_ids:
                return False
            self._seen.keep_lines_of(node)
            return super().on_visit(node)
        return not isinstance(node, _SKIPPED) and super().on_visit(node)

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        if id(original_node) in self._kept:
            return updated_node
        return super().on_leave(original_node, updated_node)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._indents.append(len(self._unit if node.indent is None else node.indent))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        self._indents.pop()
        return updated_node

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        node = self._decorators(updated_node, self._seen.originals.get(id(original_node.name)))
        if not self._seen.has_signature(original_node):
            node = self._signature(node)
        return node

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        return self._decorators(updated_node, self._seen.originals.get(id(original_node.name)))

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        """``with call(...) as name:`` whose call an edit changed (``AsyncClient(app=...)``
        became ``AsyncClient(transport=ASGITransport(app=...))``): the call's brackets."""
        if len(updated_node.items) != 1 or isinstance(updated_node.lpar, cst.LeftParen):
            return updated_node
        item = updated_node.items[0]
        call = item.item
        if not isinstance(call, cst.Call) or self._seen.has_identical_decorator(call):
            return updated_node
        head = len("async " if updated_node.asynchronous else "") + len("with ") + len(code(call.func)) + 1
        tail = 1 + (len(" as " + code(item.asname.name)) if item.asname is not None else 0) + 1
        if self._fits_flat(call, head, tail) or _has_comment(call):
            return updated_node
        wrapped = self._call(call, head, tail)
        return updated_node if wrapped is call else updated_node.with_changes(items=[item.with_changes(item=wrapped)])

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        """A one-statement line an edit made too long (``Client(app=...)`` grew a transport,
        a ``pytestmark`` list gained a mark, ``time.sleep(...)`` became ``await
        asyncio.sleep(...)``): ``return``, an assignment (annotated or not) or an expression
        statement whose value is a call or a list, ``await`` in front or not. Its bracket is
        laid out by the rule below; statements of the original stay as they are, however long."""
        if len(updated_node.body) != 1:
            return updated_node
        statement = updated_node.body[0]
        if isinstance(statement, cst.Return):
            head = len("return ")
        elif isinstance(statement, cst.Assign) and len(statement.targets) == 1:
            head = len(code(statement.targets[0].target)) + len(" = ")
        elif isinstance(statement, cst.AnnAssign) and statement.value is not None:
            head = len(code(statement.target)) + len(": ") + len(code(statement.annotation.annotation)) + len(" = ")
        elif isinstance(statement, cst.Expr):
            head = 0
        else:
            return updated_node
        outer = statement.value
        value = outer.expression if isinstance(outer, cst.Await) and not outer.lpar else outer
        if not isinstance(value, (cst.Call, cst.List)):
            return updated_node
        if value is not outer:
            head += len("await ")
        text = code(statement)
        if ("\n" not in text and sum(self._indents) + len(text) <= self._limit) or value.lpar or _has_comment(value):
            return updated_node
        if isinstance(value, cst.Call):
            wrapped: cst.BaseExpression = self._call(value, head + len(code(value.func)) + 1)
        else:
            wrapped = self._list(value, head + 1)
        # asked last: it costs a walk of the original, and most statements get here unchanged
        if wrapped is value or code(wrapped) == code(value) or self._seen.has_statement(text, self._original):
            return updated_node
        new_value = outer.with_changes(expression=wrapped) if isinstance(outer, cst.Await) and value is not outer else wrapped
        return updated_node.with_changes(body=[statement.with_changes(value=new_value)])

    def _list(self, node: cst.List, head: int, tail: int = 1) -> cst.List:
        elements = list(node.elements)
        if not elements or any(isinstance(e, cst.StarredElement) for e in elements):
            return node
        breaks = [node.lbracket.whitespace_after, *(e.comma.whitespace_after for e in elements if isinstance(e.comma, cst.Comma))]
        if not self._shaped([*breaks, node.rbracket.whitespace_before]):
            return node
        texts = [code(e.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for e in elements]
        layout = self._layout(head, texts, tail, _has_trailing_comma(elements[-1].comma))
        if layout is None:
            return node
        if layout == "hug" and len(elements) > 1:
            layout = "explode"  # a display split at its commas is one element per line (black, ruff)
        opening, commas, last = self._whitespace(layout, len(elements))
        new = [e.with_changes(comma=comma) for e, comma in zip(elements[:-1], commas)]
        new.append(elements[-1].with_changes(comma=last[0]))
        return node.with_changes(
            elements=new,
            lbracket=node.lbracket.with_changes(whitespace_after=opening),
            rbracket=node.rbracket.with_changes(whitespace_before=last[1]),
        )

    def _fits_flat(self, call: cst.Call, head: int, tail: int) -> bool:
        """Whether a call on one line, without a trailing comma, fits with ``head``
        characters before its arguments (up to the bracket) and ``tail`` after them."""
        args = call.args
        flat = not isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace) and not any(
            isinstance(a.comma, cst.Comma) and isinstance(a.comma.whitespace_after, cst.ParenthesizedWhitespace) for a in args
        )
        if not flat or (args and isinstance(args[-1].comma, cst.Comma)):
            return False
        text = code(call)
        return "\n" not in text and sum(self._indents) + len(text) - len(code(call.func)) - 1 + head + tail - 1 <= self._limit

    # -- decorators ------------------------------------------------------------------------
    def _decorators(self, node: Any, original: Any) -> Any:
        decorators = list(node.decorators)
        changed = False
        before = list(original.decorators) if original is not None and len(original.decorators) == len(decorators) else []
        for index, decorator in enumerate(decorators):
            call = decorator.decorator
            if not isinstance(call, cst.Call):
                continue
            if before and isinstance(old := before[index].decorator, cst.Call) and old is not call:
                moved = _realigned(call, old)
                if moved is not call:
                    decorators[index] = decorator.with_changes(decorator=moved)
                    changed = True
                    continue
            if self._settled(call):
                continue
            wrapped = self._call(call, len(code(call.func)) + 2)
            if wrapped is not call:
                decorators[index] = decorator.with_changes(decorator=wrapped)
                changed = True
        return node.with_changes(decorators=decorators) if changed else node

    def _settled(self, call: cst.Call) -> bool:
        """Whether a decorator call needs no new layout: the original's own node, a call on
        one line that fits and ends without a trailing comma, the text of one of the
        original's decorators, or a call that holds a comment. The cheap questions first:
        most edited decorators only changed their name or gained a short argument."""
        if self._seen.has_identical_decorator(call) or self._fits_flat(call, len(code(call.func)) + 2, 1):
            return True
        return self._seen.has_decorator(call) or _has_comment(call)

    def _call(self, call: cst.Call, head: int, tail: int = 1) -> cst.Call:
        args = list(call.args)
        if not args or any(a.star for a in args):
            return call
        breaks = [call.whitespace_before_args, *(a.comma.whitespace_after for a in args if isinstance(a.comma, cst.Comma))]
        if not self._shaped([*breaks, args[-1].whitespace_after_arg]):
            return call
        texts = [code(a.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=cst.SimpleWhitespace(""))) for a in args]
        layout = self._layout(head, texts, tail, _has_trailing_comma(args[-1].comma))
        if layout is None:
            return call
        opening, commas, last = self._whitespace(layout, len(args))
        new_args = [
            a.with_changes(comma=comma, whitespace_after_arg=cst.SimpleWhitespace(""))
            for a, comma in zip(args[:-1], commas)
        ]
        new_args.append(args[-1].with_changes(comma=last[0], whitespace_after_arg=last[1]))
        return call.with_changes(whitespace_before_args=opening, args=new_args)

    # -- signatures -------------------------------------------------------------------------
    def _signature(self, node: cst.FunctionDef) -> cst.FunctionDef:
        params = node.params
        if (
            getattr(node, "type_parameters", None) is not None
            or _has_comment(params)
            or _has_comment(node.whitespace_before_params)  # ``(  # pylint: disable=...``
        ):
            return node
        elements = _elements(params)
        if not elements:  # the last one went: ``f()``
            return node.with_changes(whitespace_before_params=cst.SimpleWhitespace(""))
        breaks = [node.whitespace_before_params, *(e.comma.whitespace_after for e in elements if isinstance(e.comma, cst.Comma))]
        last = elements[-1]
        if not self._shaped([*breaks, getattr(last, "whitespace_after_param", getattr(last, "whitespace_after", None))]):
            return node
        texts = [_element_text(e) for e in elements]
        head = len("async " if node.asynchronous else "") + len("def ") + len(node.name.value) + 1
        tail = 1 + (len(" -> " + code(node.returns.annotation)) if node.returns is not None else 0) + 1
        layout = self._layout(head, texts, tail, _has_trailing_comma(elements[-1].comma))
        if layout is None:
            return node
        if layout == "hug" and len(elements) == 1:
            layout = "explode"  # a lone parameter on its own line gets a trailing comma (black, ruff)
        opening, commas, last = self._whitespace(layout, len(elements))
        replaced = [_with_comma(e, c) for e, c in zip(elements[:-1], commas)]
        replaced.append(_with_comma(elements[-1], last[0], last[1]))
        return node.with_changes(params=_rebuild(params, elements, replaced), whitespace_before_params=opening)

    # -- the rule ---------------------------------------------------------------------------
    def _shaped(self, breaks: Sequence[Any]) -> bool:
        """Whether the line breaks of a bracket continue where the formatters put them (one
        indent in for the elements, none for the closing bracket), or the project has a
        formatter that puts them there."""
        if self._any_shape:
            return True
        return all(
            not isinstance(ws, cst.ParenthesizedWhitespace)
            or (not ws.empty_lines and ws.indent and ws.last_line.value in ("", self._unit))
            for ws in breaks
        )

    def _layout(self, head: int, texts: Sequence[str], tail: int, trailing_comma: bool) -> str | None:
        """"flat", "hug" or "explode" for a bracket whose opening line holds ``head``
        characters (up to the bracket) and whose closing line ``tail``; None to keep it."""
        if any("\n" in t or "\r" in t for t in texts):
            return None
        indent = sum(self._indents)
        joined = len(", ".join(texts))
        magic = trailing_comma and self._magic
        if not magic and indent + head + joined + tail <= self._limit:
            return "flat"
        if not magic and indent + len(self._unit) + joined <= self._limit:
            return "hug"
        return "explode"

    def _whitespace(self, layout: str, count: int) -> tuple[Any, list[cst.Comma], tuple[Any, Any]]:
        """(whitespace after the opening bracket, the commas between elements, (the last
        element's comma, the whitespace before the closing bracket))."""
        space = cst.SimpleWhitespace(" ")
        none = cst.SimpleWhitespace("")
        if layout == "flat":
            return none, [cst.Comma(whitespace_after=space)] * (count - 1), (cst.MaybeSentinel.DEFAULT, none)
        inner = _line(self._unit)
        if layout == "hug":
            return inner, [cst.Comma(whitespace_after=space)] * (count - 1), (cst.MaybeSentinel.DEFAULT, _line(""))
        return inner, [cst.Comma(whitespace_after=inner)] * (count - 1), (cst.Comma(whitespace_after=_line("")), none)


def _line(indent: str) -> cst.ParenthesizedWhitespace:
    return cst.ParenthesizedWhitespace(indent=True, last_line=cst.SimpleWhitespace(indent))


def _has_trailing_comma(comma: Any) -> bool:
    return isinstance(comma, cst.Comma)


class _CommentFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Comment(self, node: cst.Comment) -> None:
        self.found = True


def _has_comment(node: cst.CSTNode) -> bool:
    finder = _CommentFinder()
    node.visit(finder)
    return finder.found


def _elements(params: cst.Parameters) -> list[Any]:
    """The parameters in source order, with the ``/`` and bare ``*`` markers."""
    found: list[Any] = list(params.posonly_params)
    if isinstance(params.posonly_ind, cst.ParamSlash):
        found.append(params.posonly_ind)
    found.extend(params.params)
    if isinstance(params.star_arg, (cst.Param, cst.ParamStar)):
        found.append(params.star_arg)
    found.extend(params.kwonly_params)
    if isinstance(params.star_kwarg, cst.Param):
        found.append(params.star_kwarg)
    return found


def _element_text(element: Any) -> str:
    if isinstance(element, cst.ParamSlash):
        return "/"
    if isinstance(element, cst.ParamStar):
        return "*"
    return code(element.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_param=cst.SimpleWhitespace("")))


def _with_comma(element: Any, comma: Any, after: Any = None) -> Any:
    if isinstance(element, cst.ParamSlash):
        return element.with_changes(comma=comma, whitespace_after=after or cst.SimpleWhitespace(""))
    if isinstance(element, cst.ParamStar):
        if not isinstance(comma, cst.Comma):
            return element  # a bare * is never last
        return element.with_changes(comma=comma)
    return element.with_changes(comma=comma, whitespace_after_param=after or cst.SimpleWhitespace(""))


def _rebuild(params: cst.Parameters, old: list[Any], new: list[Any]) -> cst.Parameters:
    by_id = {id(o): n for o, n in zip(old, new)}

    def swap(value: Any) -> Any:
        return by_id.get(id(value), value)

    return params.with_changes(
        posonly_params=[swap(p) for p in params.posonly_params],
        posonly_ind=swap(params.posonly_ind),
        params=[swap(p) for p in params.params],
        star_arg=swap(params.star_arg),
        kwonly_params=[swap(p) for p in params.kwonly_params],
        star_kwarg=swap(params.star_kwarg),
    )


def _realigned(call: cst.Call, old: cst.Call) -> cst.Call:
    """A decorator call renamed (``@pytest.fixture(`` → ``@pytest_asyncio.fixture(``) whose
    arguments, as they were, continue on lines lined up past the old opening bracket (a
    visual indent: ``params=[(a, b),`` over ``        (c, d)]``): those lines moved by as
    much as the name grew, so they stay lined up. Any other call is returned as it is."""
    if code(call.func) == code(old.func):
        return call
    if call.args is not old.args and [code(a) for a in call.args] != [code(a) for a in old.args]:
        return call  # (an edit changed the arguments too: laid out by the rule, as before)
    delta = len(code(call.func)) - len(code(old.func))
    bracket = 1 + len(code(old.func)) + 1  # (from the decorator's own indentation: ``@`` name ``(``)
    breaks = [node for node in _walk_whitespace(call) if isinstance(node, cst.ParenthesizedWhitespace)]
    if not breaks or any(not ws.indent or len(ws.last_line.value) < bracket or ws.last_line.value.strip(" ") for ws in breaks):
        return call
    return cast(cst.Call, call.visit(_Shift(delta)))


def _walk_whitespace(node: cst.CSTNode) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []
    node.visit(_Collect(found))
    return found


class _Collect(cst.CSTVisitor):
    def __init__(self, found: list[cst.CSTNode]) -> None:
        super().__init__()
        self._found = found

    def visit_ParenthesizedWhitespace(self, node: cst.ParenthesizedWhitespace) -> None:
        self._found.append(node)


class _Shift(cst.CSTTransformer):
    def __init__(self, delta: int) -> None:
        super().__init__()
        self._delta = delta

    def leave_ParenthesizedWhitespace(
        self, original_node: cst.ParenthesizedWhitespace, updated_node: cst.ParenthesizedWhitespace
    ) -> cst.ParenthesizedWhitespace:
        width = len(updated_node.last_line.value) + self._delta
        return updated_node.with_changes(last_line=cst.SimpleWhitespace(" " * width))
