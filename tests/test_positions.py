"""cstkit.positions.note_positions places a node where LibCST's PositionProvider over the
whole module places it, for nodes of every kind (comments and whitespace included) in
every top-level statement, on the golden before-cases."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from migrate_async.cstkit.positions import note_positions
from migrate_async.goldens import BEFORE_ROOT

FILES = [p for p in sorted(BEFORE_ROOT.rglob("*.py")) if p.stat().st_size > 200][::5]


class _All(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.nodes.append(node)
        return True


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(BEFORE_ROOT)) for p in FILES])
def test_note_positions_agree_with_libcst(path: Path) -> None:
    try:
        module = cst.parse_module(path.read_bytes())
    except cst.ParserSyntaxError:
        pytest.skip("not Python")
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    expected = wrapper.resolve(PositionProvider)
    collector = _All()
    for statement in module.body:  # (the module's header and footer are never noted)
        statement.visit(collector)
    if not collector.nodes:
        pytest.skip("no statement")
    # a spread of nodes: every 13th (whitespace, comments and punctuation among them), and
    # the last one, so that statements far down the module are measured after the others
    nodes = [n for n in collector.nodes[1::13] if n in expected] + [collector.nodes[-1]]
    assert len(nodes) > 1
    got = note_positions(module, nodes)
    for node in nodes:
        start = expected[node].start
        assert got[id(node)] == (start.line, start.column + 1), type(node).__name__
