"""Line and column of nodes, for notes, without positioning the whole module."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .codegen import generate
from .walk import nodes_under


class _TopLevelOf(cst.CSTVisitor):
    """Which top-level statement each of some nodes sits in."""

    def __init__(self, targets: set[int]) -> None:
        super().__init__()
        self.targets = targets
        self.index = -1
        self.found: dict[int, int] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self.targets:
            self.found.setdefault(id(node), self.index)
        return len(self.found) < len(self.targets)


def note_positions(tree: cst.Module, nodes: Sequence[cst.CSTNode]) -> dict[int, tuple[int, int]]:
    """(line, column 1-based) of each node, by id.

    LibCST's PositionProvider over a whole module costs about two code generations; notes
    are few, so only the top-level statements that hold a noted node are measured, each as
    a module of its own, shifted by the lines of what precedes it.
    """
    result: dict[int, tuple[int, int]] = {}
    targets = {id(n) for n in nodes}
    if id(tree) in targets:
        result[id(tree)] = (1, 1)
    found = _top_level_of(tree, targets - {id(tree)})
    wanted = sorted(set(found.values()))
    if not wanted:
        return result
    offset = len(tree.header)
    done = 0
    for index in wanted:
        if index > done:
            before = tree.with_changes(body=tree.body[done:index], header=(), footer=())
            offset += generate(before).count("\n")
        done = index
        stmt = tree.body[index]
        mini = tree.with_changes(body=[stmt], header=(), footer=())
        positions = MetadataWrapper(mini, unsafe_skip_copy=True).resolve(PositionProvider)
        for node in nodes:
            if found.get(id(node)) == index and node in positions:
                start = positions[node].start
                result[id(node)] = (start.line + offset, start.column + 1)
    return result


def _top_level_of(tree: cst.Module, targets: set[int]) -> dict[int, int]:
    """For each of ``targets`` (node ids) found in ``tree``, the index of the top-level
    statement it sits in (its first place, should a node object sit in two)."""
    found: dict[int, int] = {}
    remaining = set(targets)
    for index, stmt in enumerate(tree.body):
        if not remaining:
            break
        for node in nodes_under(stmt):
            if id(node) in remaining:
                found[id(node)] = index
                remaining.discard(id(node))
                if not remaining:
                    break
    if remaining:  # a node where nodes_under does not look (whitespace, a comment): LibCST's visit
        finder = _TopLevelOf(remaining)
        for index, stmt in enumerate(tree.body):
            finder.index = index
            if id(stmt) in finder.targets:
                finder.found.setdefault(id(stmt), index)
            stmt.visit(finder)
        for key, index in finder.found.items():
            found.setdefault(key, index)
    return found
