"""The scope stack: where a walk is (class body, def, async def, lambda, generator expression).

Transforms ask the same question about many nodes: "does this code run in a coroutine?".
The answer depends on the definitions around the node, so a transform keeps a stack of them
while it walks. There is one such stack, :class:`ScopeStack`; its questions are named after
what they decide, and where transforms have answered differently so far the difference is a
parameter or a question of its own (see ``generator_frames``, :meth:`in_coroutine_body` and
:meth:`inside_coroutine`), so that it can be decided in one place.

An empty stack is the level the walk started at: a module, or the body of one function for
a visitor that walks only that body.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import libcst as cst


class Kind(enum.Enum):
    """What opened a frame."""

    CLASS = "class"
    FUNCTION = "function"  # def
    COROUTINE = "coroutine"  # async def
    LAMBDA = "lambda"
    GENERATOR = "generator expression"


D = TypeVar("D")


@dataclass(eq=False)
class Frame(Generic[D]):
    """One open definition: its kind, its node and what the transform keeps about it."""

    kind: Kind
    node: cst.CSTNode
    #: the transform's own facts about this frame (None when it keeps none)
    data: D | None = None

    @property
    def name(self) -> str:
        """The name of a class, def or async def; "" for a lambda or generator expression."""
        node = self.node
        return node.name.value if isinstance(node, (cst.FunctionDef, cst.ClassDef)) else ""

    @property
    def is_class(self) -> bool:
        return self.kind is Kind.CLASS

    @property
    def is_function(self) -> bool:
        """A def or an async def (not a lambda)."""
        return self.kind is Kind.FUNCTION or self.kind is Kind.COROUTINE

    @property
    def is_coroutine(self) -> bool:
        return self.kind is Kind.COROUTINE


def kind_of(node: cst.CSTNode) -> Kind | None:
    """The kind of frame a node opens, or None when it opens none."""
    if isinstance(node, cst.FunctionDef):
        return Kind.COROUTINE if node.asynchronous is not None else Kind.FUNCTION
    if isinstance(node, cst.ClassDef):
        return Kind.CLASS
    if isinstance(node, cst.Lambda):
        return Kind.LAMBDA
    if isinstance(node, cst.GeneratorExp):
        return Kind.GENERATOR
    return None


class ScopeStack(Generic[D]):
    """The definitions enclosing the node a walk is at, outermost first.

    ``generator_frames``: whether a generator expression opens a (sync) frame of its own.
    Its body runs when it is iterated, not where it is written, and ``await`` in it would
    make it an async generator expression; when False, the generator expression belongs
    to the frame it is written in (as list, set and dict comprehensions always do).
    Every stack states it: the transforms have not agreed on it yet.
    """

    __slots__ = ("generator_frames", "_frames")

    def __init__(self, *, generator_frames: bool) -> None:
        self.generator_frames = generator_frames
        self._frames: list[Frame[D]] = []

    # -- keeping it ----------------------------------------------------------------------
    def _kind(self, node: cst.CSTNode) -> Kind | None:
        kind = kind_of(node)
        if kind is Kind.GENERATOR and not self.generator_frames:
            return None
        return kind

    def enter(self, node: cst.CSTNode, data: D | None = None) -> Frame[D] | None:
        """Open the frame ``node`` opens (call it from ``visit_*``); None when it opens none here."""
        kind = self._kind(node)
        if kind is None:
            return None
        frame = Frame(kind, node, data)
        self._frames.append(frame)
        return frame

    def leave(self, node: cst.CSTNode) -> Frame[D] | None:
        """Close the frame ``node`` opened (call it from ``leave_*``) and return it."""
        if self._kind(node) is None:
            return None
        frame = self._frames.pop()
        assert frame.node is node, "scope frames left out of order"
        return frame

    # -- what is there ---------------------------------------------------------------------
    def __iter__(self) -> Iterator[Frame[D]]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    @property
    def innermost(self) -> Frame[D] | None:
        return self._frames[-1] if self._frames else None

    def nested(self) -> bool:
        """Whether any frame is open (the walk is below the level it started at)."""
        return bool(self._frames)

    # -- the questions ---------------------------------------------------------------------
    def in_coroutine_body(self) -> bool:
        """Directly in an async def's own body: a class, def, lambda (or, with
        ``generator_frames``, a generator expression) in between breaks it. Code here
        runs in the coroutine and may ``await``."""
        frames = self._frames
        return bool(frames) and frames[-1].kind is Kind.COROUTINE

    def inside_coroutine(self) -> bool:
        """Anywhere inside an async def, at any depth: nested code (a callback, a lambda)
        runs while the coroutine's loop runs, but cannot ``await``."""
        return any(frame.kind is Kind.COROUTINE for frame in self._frames)

    def inside_function(self) -> bool:
        """Inside a def or async def at any depth (a statement here runs when it is called)."""
        return any(frame.is_function for frame in self._frames)

    def only_classes(self) -> bool:
        """At the starting level or in class bodies only: code here runs when the module
        (or the function walked) is executed, not when something is called."""
        return all(frame.kind is Kind.CLASS for frame in self._frames)

    def enclosing_class(self) -> Frame[D] | None:
        """The innermost class frame, or None."""
        for frame in reversed(self._frames):
            if frame.kind is Kind.CLASS:
                return frame
        return None

    def current_method(self) -> tuple[Frame[D], Frame[D]] | None:
        """(class, method): the innermost class and the def or async def in its body that
        the walk is in (at any depth below it); None when the walk is in no class, directly
        in a class body, or in a lambda (or generator expression) of a class body."""
        cls = self.enclosing_class()
        if cls is None:
            return None
        index = self._frames.index(cls) + 1
        if index >= len(self._frames) or not self._frames[index].is_function:
            return None
        return cls, self._frames[index]

    def in_body_of(self, frame: Frame[D]) -> bool:
        """Whether ``frame`` is the innermost frame (the walk is directly in its body)."""
        return bool(self._frames) and self._frames[-1] is frame


class ScopeHooks:
    """``visit_``/``leave_`` hooks that keep ``self.scope`` for a transformer.

    Put it before the transformer's base class. A transformer that needs its own hook for
    one of these nodes (to keep data on the frame, or to do more) defines it and calls
    ``self.scope.enter``/``self.scope.leave`` itself.
    """

    scope: ScopeStack[Any]

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.scope.enter(node)
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self.scope.leave(original_node)
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.scope.enter(node)
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.scope.leave(original_node)
        return updated_node

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.scope.enter(node)
        return True

    def leave_Lambda(self, original_node: cst.Lambda, updated_node: cst.Lambda) -> cst.BaseExpression:
        self.scope.leave(original_node)
        return updated_node

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool:
        self.scope.enter(node)
        return True

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp, updated_node: cst.GeneratorExp) -> cst.BaseExpression:
        self.scope.leave(original_node)
        return updated_node


__all__ = ["Frame", "Kind", "ScopeHooks", "ScopeStack", "kind_of"]
