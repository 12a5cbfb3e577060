import asyncio

import pytest
import pytest_asyncio


class PriceFeed:
    """Pushes quotes to subscribers; its futures belong to the loop that created it."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.first_quote = self.loop.create_future()
        self.quotes: asyncio.Queue[float] = asyncio.Queue()

    def push(self, price: float) -> None:
        if not self.first_quote.done():
            self.first_quote.set_result(price)
        self.quotes.put_nowait(price)


@pytest_asyncio.fixture(scope="module")
async def feed():
    feed = PriceFeed()
    feed.loop.call_soon(feed.push, 101.5)
    await asyncio.sleep(0)
    yield feed


@pytest_asyncio.fixture
async def latest_quote(feed):
    return await asyncio.wait_for(feed.quotes.get(), timeout=1)


@pytest.mark.asyncio(loop_scope="module")
async def test_first_quote_resolves(feed):
    assert await feed.first_quote == 101.5


@pytest.mark.asyncio(loop_scope="module")
async def test_feed_keeps_its_loop(feed):
    assert feed.loop is asyncio.get_running_loop()
    feed.push(99.0)
    assert await asyncio.wait_for(feed.quotes.get(), timeout=1) == 101.5
    assert await asyncio.wait_for(feed.quotes.get(), timeout=1) == 99.0
