"""Order book matching: the module shares one loop with its order book, like the exchange feed."""

import asyncio

import pytest
import pytest_asyncio

pytestmark = pytest.mark.asyncio(loop_scope="module")

LOOPS = []


class OrderBook:
    def __init__(self):
        self.filled = asyncio.get_running_loop().create_future()
        self.bids = []

    async def bid(self, symbol, price):
        self.bids.append((symbol, price))
        if len(self.bids) == 2:
            self.filled.set_result(self.bids[:])


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def order_book():
    LOOPS.append(asyncio.get_running_loop())
    return OrderBook()


async def test_first_bid_waits(order_book):
    LOOPS.append(asyncio.get_running_loop())
    await order_book.bid("ACME", 101)
    assert not order_book.filled.done()


class TestMatching:
    async def test_second_bid_fills(self, order_book):
        LOOPS.append(asyncio.get_running_loop())
        await order_book.bid("ACME", 102)
        assert await order_book.filled == [("ACME", 101), ("ACME", 102)]

    async def test_everything_ran_in_one_loop(self):
        assert len(LOOPS) == 3
        assert all(loop is asyncio.get_running_loop() for loop in LOOPS)
