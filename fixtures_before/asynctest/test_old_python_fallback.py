"""On Python 3.7 asynctest stands in for what unittest gained in 3.8: left as it is."""
import sys

if sys.version_info < (3, 8):
    from asynctest import CoroutineMock as AsyncMock
    from asynctest import TestCase as IsolatedAsyncioTestCase
else:
    from unittest import IsolatedAsyncioTestCase
    from unittest.mock import AsyncMock

if sys.version_info >= (3, 8):
    from unittest import mock
else:
    from asynctest import mock


class Service:
    async def fetch(self):
        return 1


class TestFetch(IsolatedAsyncioTestCase):
    async def test_awaits_the_mock(self):
        fetch = AsyncMock(return_value=3)
        self.assertEqual(await fetch(), 3)
        fetch.assert_awaited_once()

    async def test_patches_a_coroutine(self):
        with mock.patch.object(Service, "fetch", return_value=2) as patched:
            self.assertEqual(await Service().fetch(), 2)
        patched.assert_awaited_once()
