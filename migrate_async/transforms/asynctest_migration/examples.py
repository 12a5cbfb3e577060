"""The runnable examples of the asynctest transform."""

from __future__ import annotations

from ..examples import Example

#: What ``migrate-async explain asynctest`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="an asynctest TestCase with a CoroutineMock",
        before="""
            import asynctest

            class TestInventory(asynctest.TestCase):
                async def setUp(self):
                    self.store = asynctest.CoroutineMock(return_value=3)

                async def test_count(self):
                    assert await self.store("apples") == 3
            """,
        after="""
            import unittest
            from unittest import mock

            class TestInventory(unittest.IsolatedAsyncioTestCase):
                async def asyncSetUp(self):
                    self.store = mock.AsyncMock(return_value=3)

                async def test_count(self):
                    assert await self.store("apples") == 3
            """,
    ),
    Example(
        title="names from-imported from asynctest keep their local names",
        before="""
            from asynctest import CoroutineMock as CM, patch


            @patch("shop.inventory.fetch", new_callable=CM)
            async def test_fetch(fetch):
                fetch.return_value = 3
            """,
        after="""
            from unittest.mock import AsyncMock as CM, patch


            @patch("shop.inventory.fetch", new_callable=CM)
            async def test_fetch(fetch):
                fetch.return_value = 3
            """,
    ),
    Example(
        title="a mock class of the module's own and a string that mentions asynctest",
        before="""
            class CoroutineMock:
                async def __call__(self):
                    return 3

            def test_mock_is_local():
                assert "asynctest" not in repr(CoroutineMock())
            """,
    ),
)
