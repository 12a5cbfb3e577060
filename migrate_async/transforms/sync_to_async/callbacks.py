"""sync-to-async: the loop turn ``run_until_complete`` gave and ``await`` does not.

``loop.run_until_complete(coro)`` runs ``coro`` as a task and stops the loop from that task's
done callback, so the callbacks the coroutine scheduled before it finished (``call_soon``, a
task it created, a future it resolved) have run when the sync code after the call goes on.
``await coro`` runs the coroutine inline: those callbacks wait for the converted function's
next suspension, and an assertion right after the driver sees none of them.

Where the driven coroutine is one of the module's own that never suspends (no ``await``,
``async for`` or ``async with`` in its body), it is a coroutine only to act on the loop, and
code after the driver may read what its callbacks did: the converted function gives the loop
one turn (``await asyncio.sleep(0)``) right after the driver's statement. Not after the last
thing the function does, nor before its ``return`` or ``yield`` (pytest-asyncio's runner
gives a fixture's setup that turn itself).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst

from ...cstkit.names import code_of

#: The comment on the turn the rewrite adds, so that a reader sees why it is there.
TURN_COMMENT = "# let its callbacks run, as run_until_complete() did"


class _Suspends(cst.CSTVisitor):
    """Whether a coroutine's own body (not its nested functions or classes) can suspend."""

    def __init__(self) -> None:
        self.found = False
        self.calls = False  # it calls something (that may schedule a callback)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        self.calls = True
        return True

    def visit_Await(self, node: cst.Await) -> bool:
        self.found = True
        return False

    def visit_Yield(self, node: cst.Yield) -> bool:
        self.found = True  # an async generator: no coroutine run_until_complete drives
        return False

    def visit_For(self, node: cst.For) -> bool:
        self.found = self.found or node.asynchronous is not None
        return not self.found

    def visit_With(self, node: cst.With) -> bool:
        self.found = self.found or node.asynchronous is not None
        return not self.found

    def visit_CompFor(self, node: cst.CompFor) -> bool:
        self.found = self.found or node.asynchronous is not None
        return not self.found


def never_suspends(func: cst.FunctionDef) -> bool:
    """An ``async def`` whose own body never suspends but calls something (which may
    schedule a callback): awaited, it runs to its end at once, and what it scheduled has
    not run yet. One that calls nothing schedules nothing: no turn is owed after it."""
    if func.asynchronous is None:
        return False
    finder = _Suspends()
    for stmt in func.body.body if isinstance(func.body, cst.IndentedBlock) else (func.body,):
        stmt.visit(finder)
    return not finder.found and finder.calls


class QuietCoroutines:
    """The names of the ``async def`` of a module body that never suspend (``name in
    quiet``), each name found out the first time it is asked: only a driver asks (most
    modules have none), and a coroutine's body is walked only when one drives it by name."""

    def __init__(self, body: Sequence[cst.BaseStatement]) -> None:
        self._body = body
        self._known: dict[str, bool] = {}

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        known = self._known.get(name)
        if known is None:
            known = self._known[name] = any(
                isinstance(stmt, cst.FunctionDef) and stmt.name.value == name and never_suspends(stmt)
                for stmt in self._body
            )
        return known


def followed_lines(body: cst.BaseSuite) -> frozenset[int]:
    """The ids of the simple statement lines of a function body that more of the function's
    code runs after: a later statement of their block that is not a ``return`` or ``yield``,
    the code after the compound statement they are in, or the next turn of a loop."""
    found: set[int] = set()
    if isinstance(body, cst.IndentedBlock):
        _walk(body, False, found)
    return frozenset(found)


def _walk(block: cst.IndentedBlock, tail_followed: bool, found: set[int]) -> None:
    statements = list(block.body)
    for index, stmt in enumerate(statements):
        if index + 1 < len(statements):
            followed = not _ends_function(statements[index + 1])
        else:
            followed = tail_followed
        if isinstance(stmt, cst.SimpleStatementLine):
            if followed:
                found.add(id(stmt))
            continue
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            continue
        looped = isinstance(stmt, (cst.For, cst.While))
        if _expects_raise(stmt):
            # the last line of ``with pytest.raises(...)`` is the one that raises: a turn
            # after it would never run
            followed, looped = False, False
        for inner in _blocks(stmt):
            _walk(inner, followed or looped, found)


def _expects_raise(stmt: cst.BaseStatement) -> bool:
    """``with pytest.raises(...):`` (or any ``with x.raises(...)``)."""
    return isinstance(stmt, cst.With) and any(
        isinstance(item.item, cst.Call)
        and isinstance(item.item.func, (cst.Attribute, cst.Name))
        and (item.item.func.attr.value if isinstance(item.item.func, cst.Attribute) else item.item.func.value) == "raises"
        for item in stmt.items
    )


def _blocks(node: cst.CSTNode) -> Iterator[cst.IndentedBlock]:
    """The indented blocks of a compound statement (its body, else, handlers, cases)."""
    for child in node.children:
        if isinstance(child, cst.IndentedBlock):
            yield child
        elif not isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.BaseExpression)):
            yield from _blocks(child)


def _ends_function(stmt: cst.BaseStatement) -> bool:
    """A ``return`` or ``yield`` line: what follows the driver is the function's end (for a
    fixture's setup, a turn pytest-asyncio's runner gives)."""
    if not isinstance(stmt, cst.SimpleStatementLine) or not stmt.body:
        return False
    first = stmt.body[0]
    return isinstance(first, cst.Return) or (isinstance(first, cst.Expr) and isinstance(first.value, cst.Yield))


def turn_line(sleep: cst.BaseExpression, indent: int, line_length: int) -> cst.SimpleStatementLine:
    """``await asyncio.sleep(0)  # ...``, with ``sleep`` spelled as the module names it, at
    ``indent`` columns: the comment after the code where the line fits ``line_length``, else
    on a line of its own above it, else left out."""
    call = cst.Call(func=sleep, args=[cst.Arg(cst.Integer("0"))])
    line = cst.SimpleStatementLine(body=[cst.Expr(cst.Await(call))])
    comment = cst.Comment(TURN_COMMENT)
    if indent + len(f"await {code_of(sleep)}(0)  {TURN_COMMENT}") <= line_length:
        trailing = cst.TrailingWhitespace(whitespace=cst.SimpleWhitespace("  "), comment=comment)
        return line.with_changes(trailing_whitespace=trailing)
    if indent + len(TURN_COMMENT) <= line_length:
        return line.with_changes(leading_lines=[cst.EmptyLine(comment=comment)])
    return line
