"""``self.loop`` that a converted test case still reads outside a coroutine.

asynctest.TestCase gave every test ``self.loop``; unittest.IsolatedAsyncioTestCase, which
this transform puts in its place, has no such attribute. In a coroutine of the class the
transform writes ``asyncio.get_running_loop()`` instead; a sync method (or a function nested
in one) that reads it raises AttributeError, and what it should read instead only a person
can say. Such a read is left unfinished when the transform converts the class, and on every
run after that, while it is there: a module that asynctest no longer names is read for it
too, so that ``check`` after ``apply`` is not clean while the test still fails.

Only where the failure is certain: a class whose one base is IsolatedAsyncioTestCase (a
base of the project's own may give it a ``loop``), and which never binds ``loop`` itself
(``self.loop = ...`` anywhere in it, a class attribute, a method or property of the name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import libcst as cst

from ...cstkit.walk import nodes_under
from .names import self_attribute

#: the test case class asynctest.TestCase becomes
ISOLATED_CASE = "unittest.IsolatedAsyncioTestCase"

#: the note's kind (also the one given when the class is converted)
KIND = "self-loop-outside-coroutine"


def loop_left(where: str) -> str:
    """The note on a read of ``self.loop`` in ``where`` ("a sync method", "a nested function")."""
    return (
        f"self.loop in {where}: IsolatedAsyncioTestCase has no self.loop (AttributeError); move the code into an "
        "async method (asyncSetUp, an async test) and use asyncio.get_running_loop() there"
    )


def binds_loop(cls: cst.ClassDef) -> bool:
    """Whether the class binds ``loop`` itself: ``self.loop = ...`` (or ``+=``, annotated)
    anywhere in it, or a class attribute, method or property of that name."""
    if isinstance(cls.body, cst.IndentedBlock):
        for stmt in cls.body.body:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) and stmt.name.value == "loop":
                return True
            if isinstance(stmt, cst.SimpleStatementLine) and any(_binds(small, _named_loop) for small in stmt.body):
                return True
    return any(_binds(node, _self_loop) for node in nodes_under(cls))


def _binds(node: cst.CSTNode, wanted: Callable[[cst.BaseExpression], bool]) -> bool:
    if isinstance(node, cst.Assign):
        return any(wanted(target.target) for target in node.targets)
    if isinstance(node, (cst.AnnAssign, cst.AugAssign)):
        return wanted(node.target)
    return False


def _named_loop(target: cst.BaseExpression) -> bool:
    return isinstance(target, cst.Name) and target.value == "loop"


def _self_loop(target: cst.BaseExpression) -> bool:
    return self_attribute(target, "loop") is not None


def loops_left(body: Sequence[cst.BaseStatement], qualify: Callable[[cst.BaseExpression], str | None]) -> Iterator[tuple[cst.Attribute, str]]:
    """The reads of ``self.loop`` outside a coroutine in the module's classes whose one base
    is IsolatedAsyncioTestCase and that never bind ``loop`` (each with where it is)."""
    for cls in body:
        if not isinstance(cls, cst.ClassDef) or not isinstance(cls.body, cst.IndentedBlock) or cls.keywords:
            continue
        bases = [arg for arg in cls.bases if arg.keyword is None and arg.star == ""]
        if len(bases) != 1 or len(cls.bases) != 1 or qualify(bases[0].value) != ISOLATED_CASE or binds_loop(cls):
            continue
        for method in cls.body.body:
            if isinstance(method, cst.FunctionDef):
                yield from _reads(method, direct=True)


def _reads(func: cst.FunctionDef, direct: bool) -> Iterator[tuple[cst.Attribute, str]]:
    """``self.loop`` read in ``func`` outside a coroutine, nested functions followed."""
    if func.asynchronous is not None:
        return
    stack: list[cst.CSTNode] = [func.body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.FunctionDef):
            yield from _reads(node, direct=False)
            continue
        if isinstance(node, cst.Lambda):
            continue  # (it runs where it is called: not followed)
        if self_attribute(node, "loop"):
            yield node, "a sync method" if direct else "a nested function"  # type: ignore[misc]
            continue
        stack.extend(reversed(node.children))
