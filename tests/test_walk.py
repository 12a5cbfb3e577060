"""cstkit.walk must behave like LibCST's own ``tree.visit(transformer)``, minus the
whitespace nodes: same hooks, same order, same results for removals and flattening."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from migrate_async.cstkit.name_index import skipped_field
from migrate_async.cstkit.walk import rebuilt, walk

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "fixtures_before").rglob("*.py"))[:40]


class _Recorder(cst.CSTTransformer):
    """Records every node it enters and rewrites a few things the way transforms do."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.seen.append(node)
        return super().on_visit(node)

    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr):
        # drop bare ``...`` statements, duplicate bare string statements (not docstrings)
        if isinstance(updated_node.value, cst.Ellipsis):
            return cst.RemoveFromParent()
        return updated_node

    def leave_Decorator(self, original_node: cst.Decorator, updated_node: cst.Decorator):
        if isinstance(updated_node.decorator, cst.Name) and updated_node.decorator.value == "staticmethod":
            return cst.RemoveFromParent()
        return updated_node

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import):
        if any(isinstance(a.name, cst.Name) and a.name.value == "time" for a in updated_node.names):
            return cst.FlattenSentinel([updated_node, updated_node.with_changes(names=[cst.ImportAlias(cst.Name("sys"))])])
        return updated_node

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value="renamed") if updated_node.value == "sleep" else updated_node

    def leave_Param(self, original_node: cst.Param, updated_node: cst.Param):
        if updated_node.name.value == "event_loop":
            return cst.RemoveFromParent()
        return updated_node


def _structural(nodes: list[cst.CSTNode], tree: cst.Module) -> list[cst.CSTNode]:
    """The nodes walk() enters: everything not reached only through a whitespace field."""
    skipped: set[int] = set()

    class _Mark(cst.CSTVisitor):
        def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
            if id(node) in skipped or skipped_field(attribute):
                value = getattr(node, attribute)
                for child in value if isinstance(value, (list, tuple)) else [value]:
                    if isinstance(child, cst.CSTNode):
                        _skip(child)

    def _skip(node: cst.CSTNode) -> None:
        skipped.add(id(node))
        for child in node.children:
            _skip(child)

    tree.visit(_Mark())
    return [n for n in nodes if id(n) not in skipped]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(ROOT / "fixtures_before")))
def test_same_hooks_same_order_same_result(path: Path) -> None:
    tree = cst.parse_module(path.read_text())
    theirs, ours = _Recorder(), _Recorder()
    expected = tree.visit(theirs)
    got = walk(ours, tree)
    assert got.code == expected.code
    assert [type(n) for n in ours.seen] == [type(n) for n in _structural(theirs.seen, tree)]
    assert all(a is b for a, b in zip(ours.seen, _structural(theirs.seen, tree)))


def test_unchanged_subtrees_keep_their_identity() -> None:
    tree = cst.parse_module("import time\n\ndef f():\n    time.sleep(1)\n\ndef g(x):\n    return x\n")
    result = walk(cst.CSTTransformer(), tree)
    assert result is tree
    renamed = walk(_Recorder(), tree)
    assert renamed.body[2] is tree.body[2]  # g mentions no "sleep": the same object
    assert renamed.body[1] is not tree.body[1]


def test_emptied_statement_line_is_dropped_and_removal_of_required_child_fails() -> None:
    tree = cst.parse_module("def f():\n    ...\n    return 1\n")
    assert walk(_Recorder(), tree).code == tree.visit(_Recorder()).code == "def f():\n    return 1\n"

    class _RemoveTest(cst.CSTTransformer):
        def leave_Name(self, original_node, updated_node):
            return cst.RemoveFromParent() if updated_node.value == "x" else updated_node

    with pytest.raises(TypeError):
        walk(_RemoveTest(), cst.parse_module("if x:\n    pass\n"))


def test_a_transform_cannot_hook_nodes_the_walk_never_enters() -> None:
    from migrate_async.transforms.transform import Transform

    with pytest.raises(TypeError, match="never run"):

        class _CommaFixer(Transform):  # noqa: F841 - defining it is the test
            def leave_Comma(self, original_node, updated_node):
                return updated_node

    class _Fine(Transform):  # Call and Name nodes are entered
        def leave_Call(self, original_node, updated_node):
            return updated_node


def test_a_rebuilt_parent_equals_with_changes_and_is_validated() -> None:
    module = cst.parse_module("async def f(x):\n    await(x)\n    return x\n")
    function = module.body[0]
    assert isinstance(function, cst.FunctionDef)
    changes = {"name": cst.Name("g"), "decorators": (cst.Decorator(cst.Name("deco")),)}
    new = rebuilt(function, changes)
    assert type(new) is cst.FunctionDef and new is not function
    assert new.deep_equals(function.with_changes(**changes))
    assert new.body is function.body and new.params is function.params
    assert module.with_changes(body=[new]).code == "@deco\nasync def g(x):\n    await(x)\n    return x\n"
    # the same checks as the constructor: ``await`` glued to a name without parentheses
    statement = function.body.body[0]
    assert isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Expr)
    awaited = statement.body[0].value
    assert isinstance(awaited, cst.Await)
    with pytest.raises(cst.CSTValidationError):
        rebuilt(awaited, {"expression": cst.Name("y")})
    with pytest.raises(cst.CSTValidationError):
        awaited.with_changes(expression=cst.Name("y"))
