"""Inventory service tests, one fresh event loop per test (asynctest.TestCase)."""

import asyncio
import unittest
from unittest import mock


class InventoryService:
    def __init__(self, repository):
        self.repository = repository
        self.reserved = {}

    async def reserve(self, sku, quantity):
        available = await self.repository.stock(sku)
        if available < quantity:
            raise ValueError(f"only {available} of {sku} left")
        self.reserved[sku] = self.reserved.get(sku, 0) + quantity
        return available - quantity


class TestInventoryService(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.repository = mock.AsyncMock()
        self.repository.stock = mock.AsyncMock(return_value=5)
        self.service = InventoryService(self.repository)
        self.started_at = asyncio.get_running_loop().time()

    async def asyncTearDown(self):
        await asyncio.sleep(0)
        self.service.reserved.clear()

    def test_nothing_reserved_initially(self):
        self.assertEqual(self.service.reserved, {})

    async def test_reserve_returns_what_is_left(self):
        left = await self.service.reserve("apple", 2)

        self.assertEqual(left, 3)
        self.repository.stock.assert_awaited_once_with("apple")
        self.assertGreaterEqual(asyncio.get_running_loop().time(), self.started_at)

    async def test_reserving_too_much_fails(self):
        with self.assertRaises(ValueError):
            await self.service.reserve("apple", 9)


class TestInventoryServiceWithEmptyStock(TestInventoryService):
    async def asyncSetUp(self):
        await super().asyncSetUp()
        self.repository.stock.return_value = 0

    async def test_reserving_too_much_fails(self):
        with self.assertRaisesRegex(ValueError, "only 0 of pear left"):
            await self.service.reserve("pear", 1)

    async def test_reserve_returns_what_is_left(self):
        self.assertFalse(self.service.reserved)
