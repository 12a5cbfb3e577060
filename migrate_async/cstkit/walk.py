"""A transformer walk that skips whitespace and rebuilds only what changed.

``CSTNode.visit`` enters every node, whitespace and punctuation included (about two
thirds of a test module's nodes), calls two attribute hooks per child, and builds a new
copy of every node it enters even when nothing changed. For a transform that edits a few
decorators that costs about as much as parsing the file.

:func:`walk` calls the same ``on_visit``/``on_leave`` hooks, in the same (source) order,
with the same ``RemovalSentinel``/``FlattenSentinel`` rules as LibCST, but:

- it does not enter fields that only ever hold whitespace, comments or punctuation
  (``leading_lines``, ``whitespace_*``, ``lpar``, ``comma``, ...), so a Transform that
  defines ``visit_``/``leave_`` methods for those node types is refused (``NOT_ENTERED``);
- a node none of whose children changed is kept as it is (same object), so
  ``updated_node is original_node`` after an edit-free visit, and unchanged subtrees keep
  their identity for the next transform and for :class:`~.name_index.NameIndex`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import libcst as cst
from libcst import FlattenSentinel, MaybeSentinel, RemovalSentinel

from .name_index import NODE_TYPES, is_node_type, skipped_field

_REQUIRED, _OPTIONAL, _SENTINEL = 0, 1, 2

#: Node types that only ever sit in the fields walk() skips: a visit_/leave_ method for
#: one of them would never run (Transform refuses to define one).
NOT_ENTERED: tuple[type, ...] = (
    cst.SimpleWhitespace, cst.ParenthesizedWhitespace, cst.EmptyLine, cst.TrailingWhitespace,
    cst.Newline, cst.Comment, cst.Comma, cst.Semicolon, cst.AssignEqual, cst.LeftParen,
    cst.RightParen, cst.Asynchronous, cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp,
    cst.BaseAugOp, cst.BaseUnaryOp,
)

#: (class, field) pairs that LibCST visits as statement bodies: an emptied simple
#: statement line that used to hold something is dropped.
_BODIES = frozenset({(cst.Module, "body"), (cst.IndentedBlock, "body")})

_PLANS: dict[type, tuple[tuple[str, int, bool], ...]] = {}


class _FieldOrder(cst.CSTVisitor):
    """Records the order in which LibCST visits a node's fields (the source order)."""

    def __init__(self) -> None:
        super().__init__()
        self.order: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if attribute not in self.order:
            self.order.append(attribute)


def _plan(node: cst.CSTNode) -> tuple[tuple[str, int, bool], ...]:
    """(field, removal rule, is a statement body) for the fields worth entering, in order."""
    cls = type(node)
    plan = _PLANS.get(cls)
    if plan is not None:
        return plan
    recorder = _FieldOrder()
    node._visit_and_replace_children(recorder)  # once per class: learn LibCST's order
    fields = {f.name: f for f in dataclasses.fields(cls) if not skipped_field(f.name)}
    order = [name for name in recorder.order if name in fields]
    order += [name for name in fields if name not in order]
    entries = []
    for name in order:
        default = fields[name].default
        rule = _OPTIONAL if default is None else _SENTINEL if default is MaybeSentinel.DEFAULT else _REQUIRED
        entries.append((name, rule, (cls, name) in _BODIES))
    plan = _PLANS[cls] = tuple(entries)
    return plan


def nodes_under(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """``node`` and every node below it, in the order LibCST visits them, minus the
    whitespace, comments and punctuation :func:`walk` does not enter: for a read-only
    question about a whole subtree, without a visitor's hooks at every node."""
    node_types = NODE_TYPES
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        children: list[cst.CSTNode] = []
        for name, _rule, _is_body in _plan(current):
            value = getattr(current, name)
            kind = type(value)
            if kind is tuple or kind is list:
                for child in value:
                    child_kind = type(child)
                    if node_types.get(child_kind) or (child_kind not in node_types and is_node_type(child_kind)):
                        children.append(child)
            elif node_types.get(kind) or (kind not in node_types and is_node_type(kind)):
                children.append(value)
        children.reverse()
        stack.extend(children)


def walk(visitor: Any, node: cst.CSTNode) -> Any:
    """``node.visit(visitor)`` for a CSTTransformer, minus the whitespace and the copies."""
    if visitor.on_visit(node):
        updated = _children(visitor, node)
    else:
        updated = node
    return visitor.on_leave(node, updated)


def _children(visitor: Any, node: cst.CSTNode) -> cst.CSTNode:
    changes: dict[str, Any] | None = None
    node_types = NODE_TYPES
    for name, rule, is_body in _plan(node):
        value = getattr(node, name)
        kind = type(value)
        if kind is tuple or kind is list:
            items: list[Any] = []
            changed = False
            for child in value:
                child_kind = type(child)
                if not (node_types.get(child_kind) or (child_kind not in node_types and is_node_type(child_kind))):
                    items.append(child)
                    continue
                result = walk(visitor, child)
                if result is child:
                    items.append(child)
                    continue
                changed = True
                if isinstance(result, RemovalSentinel):
                    continue
                produced = list(result) if isinstance(result, FlattenSentinel) else [result]
                for new in produced:
                    # as LibCST: a statement line emptied by a removal inside it goes too
                    if is_body and not child._is_removable() and new._is_removable():
                        continue
                    items.append(new)
            if changed:
                changes = changes or {}
                changes[name] = tuple(items)
        elif node_types.get(kind) or (kind not in node_types and is_node_type(kind)):
            result = walk(visitor, value)
            if result is value:
                continue
            if isinstance(result, FlattenSentinel):
                raise TypeError(f"a {type(value).__name__} cannot be replaced with a sequence here")
            if isinstance(result, RemovalSentinel):
                if rule == _REQUIRED:
                    raise TypeError(f"a {type(value).__name__} cannot be removed from its parent")
                result = None if rule == _OPTIONAL else MaybeSentinel.DEFAULT
            changes = changes or {}
            changes[name] = result
    return node if changes is None else rebuilt(node, changes)


_ALL_FIELDS: dict[type, tuple[str, ...]] = {}


def rebuilt(node: Any, changes: dict[str, Any]) -> Any:
    """``node.with_changes(**changes)``, validated the same way, in about half the time.

    ``with_changes`` is ``dataclasses.replace``: it collects every field into keyword
    arguments and calls the generated ``__init__``, whose only extra step for a LibCST node
    is ``__post_init__`` → ``_validate()``. Here the fields are copied onto a new object
    and ``_validate()`` is called directly; a node is rebuilt for every ancestor of every
    edit, by every transform.
    """
    cls = type(node)
    names = _ALL_FIELDS.get(cls)
    if names is None:
        names = _ALL_FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    new = object.__new__(cls)
    put = object.__setattr__
    for name in names:
        put(new, name, changes[name] if name in changes else getattr(node, name))
    new._validate()
    return new
