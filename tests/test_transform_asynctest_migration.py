"""asynctest transform: what the golden pairs cannot show, because the output still needs
asynctest (which does not import on Python 3.11+) and so cannot run as an after-case."""

from __future__ import annotations

import textwrap

import pytest

from migrate_async.engine import migrate_source


def migrate(code: str) -> tuple[str, list[tuple[int, str]]]:
    source = textwrap.dedent(code)
    result = migrate_source(source, select=["asynctest"])
    again = migrate_source(result.code, select=["asynctest"])
    assert again.code == result.code, "a second run changed the output"
    return result.code, [(n.line, n.message) for n in result.notes]


def test_no_standard_equivalent_is_left_with_a_note_and_keeps_the_import() -> None:
    code, notes = migrate(
        """\
        import asynctest
        from asynctest import ClockedTestCase, CoroutineMock


        class TestTimer(ClockedTestCase):
            async def setUp(self):
                self.callback = CoroutineMock()

            async def test_fires_after_five_seconds(self):
                await self.advance(5)


        class TestWorker(asynctest.TestCase):
            @asynctest.fail_on(active_handles=True)
            async def test_stops(self):
                await asynctest.helpers.exhaust_callbacks(self.loop)
        """
    )
    assert code == textwrap.dedent(
        """\
        import asyncio
        import unittest
        from unittest.mock import AsyncMock

        import asynctest
        from asynctest import ClockedTestCase


        class TestTimer(ClockedTestCase):
            async def setUp(self):
                self.callback = AsyncMock()

            async def test_fires_after_five_seconds(self):
                await self.advance(5)


        class TestWorker(unittest.IsolatedAsyncioTestCase):
            @asynctest.fail_on(active_handles=True)
            async def test_stops(self):
                await asynctest.helpers.exhaust_callbacks(asyncio.get_running_loop())
        """
    )
    lines = [line for line, _ in notes]
    assert lines == [5, 14, 16]
    assert "ClockedTestCase" in notes[0][1]
    assert "fail_on" in notes[1][1]
    assert "exhaust_callbacks" in notes[2][1]


def test_self_loop_outside_an_async_method_is_reported() -> None:
    code, notes = migrate(
        """\
        import asynctest


        class TestServer(asynctest.TestCase):
            use_default_loop = True

            def setUp(self):
                self.server = self.loop.run_until_complete(start())
                self.clock = lambda: self.loop.time()

            def tearDown(self):
                self.loop = None
        """
    )
    assert "class TestServer(unittest.IsolatedAsyncioTestCase):" in code
    assert "self.loop.run_until_complete(start())" in code
    assert [line for line, _ in notes] == [5, 8, 9, 12]
    assert "use_default_loop" in notes[0][1]
    assert "sync method" in notes[1][1]
    assert "nested function" in notes[2][1]
    assert "no self.loop to set" in notes[3][1]


def test_patch_scope_limited_and_is_coroutine_are_left_alone() -> None:
    code, notes = migrate(
        """\
        import asynctest


        @asynctest.patch("billing.charge", scope=asynctest.LIMITED)
        async def test_charge(charge):
            gateway = asynctest.Mock(is_coroutine=True)
            retry = asynctest.CoroutineMock(side_effect=asynctest.return_once(1, then=2))
            await retry.awaited.wait()
            assert isinstance(gateway, asynctest.TestCase)
        """
    )
    assert code == textwrap.dedent(
        """\
        from unittest import mock

        import asynctest


        @asynctest.patch("billing.charge", scope=asynctest.LIMITED)
        async def test_charge(charge):
            gateway = asynctest.Mock(is_coroutine=True)
            retry = mock.AsyncMock(side_effect=asynctest.return_once(1, then=2))
            await retry.awaited.wait()
            assert isinstance(gateway, asynctest.TestCase)
        """
    )
    assert [line for line, _ in notes] == [4, 6, 7, 8, 9]
    assert "scope" in notes[0][1]
    assert "is_coroutine" in notes[1][1]
    assert "return_once" in notes[2][1]
    assert "awaited" in notes[3][1]
    assert "other than as a base class" in notes[4][1]


def test_aliased_from_import_keeps_its_local_name() -> None:
    code, notes = migrate(
        """\
        from asynctest import CoroutineMock as CM
        from asynctest import TestCase


        class TestLookup(TestCase):
            async def test_lookup(self):
                lookup = CM(return_value=3)
                await self.assertAsyncRaises(KeyError, lookup.missing())
                result = await self.assertAsyncRaises(KeyError, lookup.missing())
        """
    )
    assert code == textwrap.dedent(
        """\
        import unittest
        from unittest.mock import AsyncMock as CM


        class TestLookup(unittest.IsolatedAsyncioTestCase):
            async def test_lookup(self):
                lookup = CM(return_value=3)
                with self.assertRaises(KeyError):
                    await lookup.missing()
                result = await self.assertAsyncRaises(KeyError, lookup.missing())
        """
    )
    assert [line for line, _ in notes] == [9]


def test_taken_mock_name_falls_back_to_unittest_mock() -> None:
    code, notes = migrate(
        """\
        import asynctest


        def make_reader(mock):
            return asynctest.CoroutineMock(return_value=mock)
        """
    )
    assert code == textwrap.dedent(
        """\
        import unittest.mock


        def make_reader(mock):
            return unittest.mock.AsyncMock(return_value=mock)
        """
    )
    assert notes == []


def test_star_import_is_reported_not_rewritten() -> None:
    source = "from asynctest import *\n\nreader = CoroutineMock()\n"
    code, notes = migrate(source)
    assert code == source
    assert [line for line, _ in notes] == [1]


@pytest.mark.parametrize(
    "source",
    [
        # only Pythons before 3.8 take the branch: no Python pytest-asyncio 1.x runs on
        "import sys\nif sys.version_info < (3, 8):\n    from asynctest.mock import *\nelse:\n    from unittest.mock import *\n",
        "import sys\nif sys.version_info >= (3, 8):\n    from unittest.mock import *\nelse:\n    from asynctest import *\n",
        "try:\n    from unittest.mock import AsyncMock\nexcept ImportError:\n    from asynctest import *\n",
    ],
)
def test_star_import_on_old_pythons_only_says_nothing(source: str) -> None:
    code, notes = migrate(source)
    assert code == source
    assert notes == []


def test_star_import_beside_an_old_python_block_is_reported() -> None:
    source = (
        "import sys\nif sys.version_info < (3, 8):\n    from asynctest import CoroutineMock\n"
        "from asynctest import *\n\nreader = CoroutineMock()\n"
    )
    code, notes = migrate(source)
    assert code == source
    assert [line for line, _ in notes] == [1]


def test_async_setup_under_a_base_from_another_module_is_reported() -> None:
    code, notes = migrate(
        """\
        import asynctest
        from tests.base import ServiceTestCase


        class TestBilling(ServiceTestCase):
            async def setUp(self):
                self.gateway = asynctest.MagicMock()
        """
    )
    assert "async def setUp(self):" in code
    assert "mock.MagicMock()" in code
    assert [line for line, _ in notes] == [6]
    assert "asyncSetUp" in notes[0][1]


def test_unused_asynctest_import_is_removed() -> None:
    code, notes = migrate('"""Billing."""\nimport asynctest\nimport pytest\n\n\ndef test_total():\n    assert 1 + 1 == 2\n')
    assert code == '"""Billing."""\nimport pytest\n\n\ndef test_total():\n    assert 1 + 1 == 2\n'
    assert notes == []


def test_dropped_scope_lays_the_call_out_again_as_formatters_do() -> None:
    # without a trailing comma the call is joined once it fits (black and ruff format would
    # join it), never left with its closing bracket after the last argument
    code, _ = migrate(
        """\
        import asynctest


        @asynctest.patch(
            "service.client.ping",
            return_value="pong",
            scope=asynctest.GLOBAL
        )
        def test_ping(ping):
            assert ping() == "pong"
        """
    )
    assert code == textwrap.dedent(
        """\
        from unittest import mock


        @mock.patch("service.client.ping", return_value="pong")
        def test_ping(ping):
            assert ping() == "pong"
        """
    )


def test_dropped_scope_keeps_one_argument_a_line_after_a_trailing_comma() -> None:
    code, _ = migrate(
        """\
        import asynctest


        @asynctest.patch(
            "service.client.ping",
            scope=asynctest.GLOBAL,
            return_value="pong",
        )
        def test_ping(ping):
            assert ping() == "pong"
        """
    )
    assert code == textwrap.dedent(
        """\
        from unittest import mock


        @mock.patch(
            "service.client.ping",
            return_value="pong",
        )
        def test_ping(ping):
            assert ping() == "pong"
        """
    )
