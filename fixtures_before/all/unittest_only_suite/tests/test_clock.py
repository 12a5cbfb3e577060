import asyncio
import time
import unittest


class ClockTest(unittest.IsolatedAsyncioTestCase):
    async def test_monotonic_while_blocking(self):
        before = time.monotonic()
        time.sleep(0.001)
        await asyncio.sleep(0)
        self.assertGreater(time.monotonic(), before)
