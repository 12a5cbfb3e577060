"""An old-Python block on the line of its if is left as it is, as an indented one is."""
import sys

import asynctest

if sys.version_info < (3, 8, 0): from asynctest import CoroutineMock as AsyncMock
else: from unittest.mock import AsyncMock


class TestFetch(asynctest.TestCase):
    async def test_awaits(self):
        fetch = AsyncMock(return_value=1)
        self.assertEqual(await fetch(), 1)
