"""NameIndex: what it counts as a read, what only as a mention, and that it follows edits."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from migrate_async.cstkit.name_index import NameIndex


def _module(code: str) -> cst.Module:
    return cst.parse_module(textwrap.dedent(code))


@pytest.mark.parametrize(
    ("code", "name", "read"),
    [
        ("time.sleep(1)\n", "time", True),
        ("time.sleep(1)\n", "sleep", False),  # an attribute is not a read of a local `sleep`
        ("f(sleep=1)\n", "sleep", False),  # neither is a keyword
        ("x = f'{time.monotonic():.0f}'\n", "time", True),  # f-string expressions are code
        ("def f(x: 'pytest.Item') -> None: ...\n", "pytest", True),  # string annotation
        ("x: 'list[Item] | None' = None\n", "Item", True),
        ("print('time is up')\n", "time", False),  # prose is not an annotation
        ("x = b'time'\n", "time", False),
        ("# time\nx = 1\n", "time", False),  # comments are not code
        ("def g(time): return time\n", "time", True),  # a rebinding still counts: imports stay
    ],
)
def test_reads(code: str, name: str, read: bool) -> None:
    module = _module(code)
    assert NameIndex().reads(module, name) is read


def test_attribute_and_mention_queries() -> None:
    module = _module("pytest.mark.asyncio\nasyncio_thing = 1\n")
    index = NameIndex()
    index.mask(module)
    attribute = index.query(attributes=["asyncio"])
    assert index.mentions(module.body[0], attribute)
    assert not index.mentions(module.body[1], attribute)
    assert index.mentions(module.body[1], index.query(reads=["asyncio_thing"]))
    assert index.mentions(module.body[0], index.query(mentions=["mark"]))
    assert not index.mentions(module.body[0], index.query(reads=["mark"]))
    assert index.query(reads=["never_seen"]) == 0


def test_yield_belongs_to_its_own_scope() -> None:
    module = _module(
        """
        async def gen():
            yield 1

        async def outer():
            def inner():
                yield 2
            lam = lambda: (yield)
            return inner

        async def direct():
            received = (yield)
            print(received)
        """
    )
    index = NameIndex()
    gen, outer, direct = module.body
    assert index.yields(gen.body)
    assert not index.yields(outer.body)
    assert index.yields(direct.body)


def test_follows_edits() -> None:
    module = _module("import time\n\ndef f():\n    time.sleep(1)\n\ndef g():\n    return 1\n")
    index = NameIndex()
    assert index.reads(module, "time")
    f, g = module.body[1], module.body[2]
    # replace the body of f as a transform would: the new nodes are scanned too
    new_f = f.with_changes(body=cst.IndentedBlock([cst.SimpleStatementLine([cst.Pass()])]))
    edited = module.with_changes(body=[module.body[0], new_f, g])
    assert not index.reads(new_f, "time")
    assert index.reads(edited, "time")  # through the import line
    assert not any(index.reads(stmt, "time") for stmt in edited.body[1:])


def test_import_map_follows_edits_and_modules() -> None:
    from migrate_async.imports.resolve import ImportMap

    first = _module("import time\nfrom pytest import fixture\n\ndef f():\n    time.sleep(1)\n")
    assert ImportMap.collect(first).names == {"time": "time", "fixture": "pytest.fixture"}
    edited = first.with_changes(body=[*first.body[:2], cst.parse_statement("def g():\n    pass\n")])
    assert ImportMap.collect(edited).names == {"time": "time", "fixture": "pytest.fixture"}
    bare = _module("def f():\n    time.sleep(1)\n")
    assert ImportMap.collect(bare).names == {}
