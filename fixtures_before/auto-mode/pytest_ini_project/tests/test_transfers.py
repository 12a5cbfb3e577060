import asyncio

import pytest

pytestmark = pytest.mark.asyncio


async def test_deposits_from_two_tasks_add_up(wallet):
    await asyncio.gather(wallet.deposit(10), wallet.deposit(15))
    assert wallet.balance == 125


class TestRefunds:
    async def test_distinct_refunds_both_apply(self, wallet):
        await wallet.refund("tx-1", 5)
        await wallet.refund("tx-2", 5)
        assert wallet.balance == 110

    async def test_refund_is_remembered(self, wallet):
        await wallet.refund("tx-9", 1)
        assert "tx-9" in wallet.refunded
