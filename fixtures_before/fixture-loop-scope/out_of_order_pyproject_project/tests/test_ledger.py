import asyncio

import pytest
import pytest_asyncio


class Ledger:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.lock = asyncio.Lock()
        self.balance = 0

    async def post(self, amount: int) -> int:
        async with self.lock:
            self.balance += amount
            return self.balance


@pytest_asyncio.fixture(scope="module")
async def ledger():
    ledger = Ledger()
    await ledger.post(500)
    yield ledger


@pytest.fixture(scope="module")
def opening_balance():
    return 500


@pytest.mark.asyncio(loop_scope="module")
async def test_opening_balance(ledger, opening_balance):
    assert ledger.balance == opening_balance


@pytest.mark.asyncio(loop_scope="module")
async def test_concurrent_posts_are_serialised(ledger):
    assert ledger.loop is asyncio.get_running_loop()
    results = await asyncio.gather(ledger.post(10), ledger.post(-20), ledger.post(5))
    assert ledger.balance == 495
    assert len(set(results)) == 3
