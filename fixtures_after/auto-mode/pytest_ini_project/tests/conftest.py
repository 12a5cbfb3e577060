import asyncio

import pytest
import pytest_asyncio


class Wallet:
    def __init__(self, balance: int) -> None:
        self.balance = balance
        self.refunded: set[str] = set()
        self.lock = asyncio.Lock()

    async def deposit(self, amount: int) -> None:
        if amount <= 0:
            raise ValueError("deposits must be positive")
        async with self.lock:
            self.balance += amount

    async def refund(self, transaction: str, amount: int) -> None:
        async with self.lock:
            if transaction not in self.refunded:
                self.refunded.add(transaction)
                self.balance += amount


@pytest_asyncio.fixture
async def wallet():
    return Wallet(100)


@pytest.fixture
def wallet_currency():
    return "EUR"
