"""Ledger tests. Migrated from asynctest by hand in 2023: keep them on unittest.mock."""

import unittest
from unittest.mock import AsyncMock, patch


class Ledger:
    def __init__(self, store):
        self.store = store

    async def post(self, account, amount):
        balance = await self.store.balance(account)
        await self.store.save(account, balance + amount)
        return balance + amount


async def audit(entry):
    raise AssertionError("audit is patched in tests")


class TestLedger(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.store = AsyncMock()
        self.store.balance.return_value = 100
        self.ledger = Ledger(self.store)

    async def test_post_adds_to_the_balance(self):
        self.assertEqual(await self.ledger.post("acc-1", 25), 125)
        self.store.save.assert_awaited_once_with("acc-1", 125)

    @patch(f"{__name__}.audit", new_callable=AsyncMock)
    async def test_audit_is_patched(self, fake_audit):
        await audit({"account": "acc-1"})
        fake_audit.assert_awaited_once()
