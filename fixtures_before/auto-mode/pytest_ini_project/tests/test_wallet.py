"""Wallet balance rules."""

import asyncio

import pytest


@pytest.mark.asyncio
async def test_deposit_increases_balance(wallet):
    await wallet.deposit(50)
    assert wallet.balance == 150


# regression: a retried refund used to be applied twice
@pytest.mark.asyncio
async def test_refund_is_idempotent(wallet):
    await asyncio.gather(wallet.refund("tx-1", 30), wallet.refund("tx-1", 30))
    assert wallet.balance == 130


@pytest.mark.parametrize("amount", [0, -5])
@pytest.mark.asyncio
async def test_rejects_non_positive_deposits(wallet, amount):
    with pytest.raises(ValueError):
        await wallet.deposit(amount)


def test_currency_is_euro(wallet_currency):
    assert wallet_currency == "EUR"
