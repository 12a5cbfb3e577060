"""The shared ``event_loop`` survey (pytest_model/event_loop.py), the loop-library table and
the ast reading of imports it rests on."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst

from migrate_async.imports.resolve import ImportMap
from migrate_async.pytest_model.event_loop import (
    LOOP_LIBRARIES,
    loop_library_modules,
    survey_event_loop,
)
from migrate_async.transforms.event_loop_argument import survey_event_loop_fixtures

SOURCE = textwrap.dedent(
    """
    import pytest
    from pytest_asyncio import fixture as afixture
    import myfix

    @pytest.fixture(scope="session")
    def event_loop():
        pass

    class TestThing:
        @afixture(name="event_loop")
        def loop_maker(self):
            pass

        def test_sync(self, event_loop):
            pass

    def helper():
        @myfix.fixture
        def event_loop():
            pass

    async def test_async(event_loop):
        pass
    """
)


def test_definitions_by_imports_and_by_name() -> None:
    read = survey_event_loop(SOURCE)
    strict = [(d.func.name, d.site.level, d.site.class_name) for d in read.definitions(by_imports=True)]
    assert sorted(strict) == [("event_loop", "module", None), ("loop_maker", "class", "TestThing")]
    # by name, any ``*.fixture`` counts, at any depth, and a renamed import does not
    loose = {(d.func.name, d.site.level) for d in read.definitions(by_imports=False)}
    assert loose == {("event_loop", "module"), ("event_loop", "nested")}


def test_requests() -> None:
    read = survey_event_loop(SOURCE)
    assert [s.node.name for s in read.requests(sync_only=True)] == ["test_sync"]
    assert {s.node.name for s in read.requests(sync_only=False)} == {"test_sync", "test_async"}


def test_one_parse_for_both_surveys() -> None:
    first = survey_event_loop(SOURCE)
    assert survey_event_loop(SOURCE) is first
    assert survey_event_loop(SOURCE + "\n") is not first


def test_loop_library_table() -> None:
    modules = [lib.module for lib in LOOP_LIBRARIES]
    assert len(modules) == len(set(modules))
    # event-loop-fixture's custom loops and event-loop-argument's loop words
    assert set(loop_library_modules(custom_loop=True)) == {"async_solipsism", "qasync", "winloop", "rloop", "tokio"}
    assert set(loop_library_modules(asyncio_word=True)) == {
        "uvloop", "winloop", "rloop", "async_solipsism", "qasync", "quamash", "asyncqt",
    }
    assert set(loop_library_modules()) == set(modules)


def test_argument_survey_kinds() -> None:
    foreign = "import pytest\n\n@pytest.fixture\ndef event_loop():\n    return pyglet.app.EventLoop()\n"
    asyncio_loop = "import pytest\nimport qasync as q\n\n@pytest.fixture\ndef event_loop():\n    return q.Loop()\n"
    assert survey_event_loop_fixtures(foreign) == (("foreign", 4),)
    assert survey_event_loop_fixtures(asyncio_loop) == (("asyncio", 5),)
    assert survey_event_loop_fixtures("event_loop = 1\n") is None


IMPORTS = textwrap.dedent(
    """
    import os.path
    import asyncio as aio
    from pytest import fixture, mark as m
    from . import local
    from httpx import *
    try:
        import uvloop
    except ImportError:
        from winloop import Loop
    else:
        import rloop
    if True:
        import a.b as ab
    elif False:
        import c
    else:
        import d
    def f():
        import hidden
    """
)


def test_import_map_from_ast_matches_collect() -> None:
    from_ast = ImportMap.from_ast(ast.parse(IMPORTS))
    from_cst = ImportMap.collect(cst.parse_module(IMPORTS))
    assert from_ast.names == from_cst.names
    assert from_ast.star_modules == from_cst.star_modules == {"httpx"}
    assert "hidden" not in from_ast.names and "local" not in from_ast.names


def test_qualify_ast_well_known() -> None:
    imports = ImportMap.from_ast(ast.parse("import os\n"))
    expr = ast.parse("pytest.fixture", mode="eval").body
    assert imports.qualify_ast(expr) == "pytest.fixture"
    assert imports.qualify_ast(expr, well_known=False) is None
    assert imports.qualify_ast(ast.parse("os.path.join", mode="eval").body, well_known=False) == "os.path.join"
