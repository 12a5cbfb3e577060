"""asynctest: ``self.loop`` read outside a coroutine of a converted test case is left
unfinished (IsolatedAsyncioTestCase has none: AttributeError), when the class is converted and
on every run after, while it is there (trial9 repro-5: ``check`` after ``apply`` was clean);
only where nothing else can give the class a loop."""

from __future__ import annotations

import textwrap

import pytest

from migrate_async.engine import migrate_source

KIND = "self-loop-outside-coroutine"


def _left(code: str) -> tuple[str, list[tuple[int, bool]]]:
    source = textwrap.dedent(code)
    result = migrate_source(source, select=["asynctest"])
    return result.code, [(n.line, n.left) for n in result.notes if n.kind == KIND]


def test_a_converted_class_reading_self_loop_in_a_sync_test_is_left_unfinished() -> None:
    code, notes = _left(
        """\
        import asyncio

        import asynctest


        class TestClient(asynctest.TestCase):
            async def test_async(self):
                assert self.loop is asyncio.get_running_loop()

            def test_sync(self):
                assert self.loop is not None
        """
    )
    assert "get_running_loop() is asyncio.get_running_loop()" in code
    assert notes == [(11, True)]
    again, notes_after = _left(code)
    line = code.splitlines().index("        assert self.loop is not None") + 1
    assert again == code and notes_after == [(line, True)], "said again on the migrated module"


@pytest.mark.parametrize(
    "body",
    [
        "    def setUp(self):\n        self.loop = asyncio.new_event_loop()\n",
        "    loop = None\n",
        "    @property\n    def loop(self):\n        return asyncio.new_event_loop()\n",
    ],
    ids=["assigned-in-setUp", "class-attribute", "property"],
)
def test_a_class_that_binds_loop_itself_is_not_left(body: str) -> None:
    code = (
        "import asyncio\nimport unittest\n\n\nclass TestClient(unittest.IsolatedAsyncioTestCase):\n"
        + body
        + "\n    async def test_async(self):\n        pass\n\n    def test_sync(self):\n        assert self.loop\n"
    )
    assert _left(code)[1] == []


@pytest.mark.parametrize(
    "bases",
    ["Base", "Mixin, unittest.IsolatedAsyncioTestCase", "unittest.TestCase"],
    ids=["project-base", "with-a-mixin", "sync-test-case"],
)
def test_a_class_whose_loop_may_come_from_elsewhere_is_not_left(bases: str) -> None:
    code = (
        "import unittest\n\nfrom helpers import Base, Mixin\n\n\n"
        f"class TestClient({bases}):\n    async def test_async(self):\n        pass\n\n"
        "    def test_sync(self):\n        assert self.loop\n"
    )
    assert _left(code)[1] == []


def test_a_nested_function_of_a_sync_method_is_left_too() -> None:
    code = (
        "import unittest\n\n\nclass TestClient(unittest.IsolatedAsyncioTestCase):\n"
        "    async def test_async(self):\n        pass\n\n"
        "    def test_sync(self):\n        def inner():\n            return self.loop\n\n        inner()\n"
    )
    result = migrate_source(code, select=["asynctest"])
    assert [(n.line, n.left, "nested function" in n.message) for n in result.notes] == [(10, True, True)]
    assert result.code == code


def test_a_converted_class_with_another_base_is_only_reviewed() -> None:
    _code, notes = _left(
        """\
        import asynctest

        from helpers import Mixin


        class TestClient(Mixin, asynctest.TestCase):
            def test_sync(self):
                assert self.loop
        """
    )
    assert notes == [(8, False)]
