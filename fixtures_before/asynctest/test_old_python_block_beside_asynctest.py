"""asynctest outside the old-Python block is migrated; the block itself is left as it is."""
import sys

import asynctest

if sys.version_info < (3, 8):
    from asynctest import CoroutineMock as AsyncMock
else:
    from unittest.mock import AsyncMock


class TestMixed(asynctest.TestCase):
    async def test_awaits(self):
        fetch = AsyncMock(return_value=1)
        self.assertEqual(await fetch(), 1)
