"""Wallet service tests written for pytest-asyncio 0.16 (legacy mode)."""

import asyncio

import pytest
import pytest_asyncio


class Wallet:
    def __init__(self, balance: int) -> None:
        self.balance = balance
        self.history: list[int] = []

    async def charge(self, amount: int) -> None:
        await asyncio.sleep(0)
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance -= amount
        self.history.append(-amount)

    async def refund(self, amount: int) -> None:
        await asyncio.sleep(0)
        self.balance += amount
        self.history.append(amount)


@pytest_asyncio.fixture
async def wallet():
    return Wallet(100)


@pytest.fixture
async def test_wallet_factory():
    # a fixture whose name looks like a test: not a test
    return Wallet


async def test_charge_reduces_balance(wallet):
    await wallet.charge(30)
    assert wallet.balance == 70


@pytest.mark.asyncio
async def test_refund_restores_balance(wallet):
    await wallet.refund(30)
    assert wallet.balance == 130


# Overdrafts must never be accepted, whatever the order of operations.
async def test_overdraft_is_rejected(wallet):
    with pytest.raises(ValueError, match="insufficient"):
        await wallet.charge(500)
    assert wallet.history == []


@pytest.mark.asyncio(loop_scope="function")
async def test_history_records_both_directions(wallet):
    await wallet.charge(10)
    await wallet.refund(5)
    assert wallet.history == [-10, 5]


async def test_concurrent_charges_are_serialised(wallet):
    async def charge_twice():
        await wallet.charge(20)
        await wallet.charge(20)

    await asyncio.gather(charge_twice(), charge_twice())
    assert wallet.balance == 20


async def replay(wallet, amounts):
    for amount in amounts:
        await wallet.refund(amount)


def test_wallet_starts_with_given_balance():
    assert Wallet(42).balance == 42
