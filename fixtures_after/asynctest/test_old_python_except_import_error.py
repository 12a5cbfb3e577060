"""The except ImportError of a try importing from unittest runs only where unittest lacks
AsyncMock (below Python 3.8): left as it is, and the name it binds with it."""
import unittest

try:
    from unittest.mock import AsyncMock
except ImportError:
    from asynctest import CoroutineMock as AsyncMock


class TestFetch(unittest.IsolatedAsyncioTestCase):
    async def test_awaits(self):
        fetch = AsyncMock(return_value=1)
        self.assertEqual(await fetch(), 1)
