"""Connection pool tests: cleanups may be coroutine functions under asynctest."""

import unittest
from unittest.mock import AsyncMock


class FakePool:
    def __init__(self):
        self.closed = False
        self.acquired = 0

    async def acquire(self):
        self.acquired += 1
        return self

    async def close(self):
        self.closed = True


async def drain(pool):
    pool.acquired = 0


class TestConnectionPool(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.pool = FakePool()
        self.released = []
        self.addAsyncCleanup(self.close_pool)
        self.addAsyncCleanup(drain, self.pool)
        self.addCleanup(self.forget_released)
        self.on_release = AsyncMock(side_effect=self.released.append)

    async def close_pool(self):
        await self.pool.close()
        self.assertTrue(self.pool.closed)

    def forget_released(self):
        self.released.clear()

    async def test_acquire_counts_connections(self):
        await self.pool.acquire()
        await self.pool.acquire()
        self.assertEqual(self.pool.acquired, 2)

    async def test_release_callback_is_awaited(self):
        await self.on_release(self.pool)
        self.on_release.assert_awaited_once_with(self.pool)
        self.assertEqual(self.released, [self.pool])
