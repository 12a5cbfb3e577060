import asyncio

import pytest
import pytest_asyncio


class PriceFeed:
    def __init__(self, loop):
        self.loop = loop
        self.quotes = {}

    async def publish(self, symbol, price):
        await self._tick()
        self.quotes[symbol] = price

    async def _tick(self):
        done = self.loop.create_future()
        self.loop.call_soon(done.set_result, None)
        await done


@pytest_asyncio.fixture
async def price_feed():
    event_loop = asyncio.get_running_loop()
    feed = PriceFeed(event_loop)
    await feed.publish("ACME", 101.5)
    yield feed
    feed.quotes.clear()


@pytest_asyncio.fixture
async def warm_cache(price_feed):
    # the loop is not used here, only requested out of habit
    await price_feed.publish("INITECH", 12.25)
    return dict(price_feed.quotes)


@pytest.mark.asyncio
async def test_feed_lives_in_the_test_loop(price_feed):
    event_loop = asyncio.get_running_loop()
    assert price_feed.loop is event_loop
    await price_feed.publish("ACME", 102.0)
    assert price_feed.quotes["ACME"] == 102.0


class TestWarmCache:
    @pytest.mark.asyncio
    async def test_cache_holds_both_symbols(self, warm_cache):
        event_loop = asyncio.get_running_loop()
        assert sorted(warm_cache) == ["ACME", "INITECH"]
        assert event_loop.is_running()

    @pytest_asyncio.fixture
    async def delayed_quote(self, price_feed):
        event_loop = asyncio.get_running_loop()
        event_loop.call_soon(price_feed.quotes.__setitem__, "HOOLI", 55.0)
        yield price_feed

    @pytest.mark.asyncio
    async def test_delayed_quote_arrives(
        self,
        delayed_quote,
    ):
        event_loop = asyncio.get_running_loop()
        await delayed_quote.publish("ACME", 99.0)
        assert delayed_quote.quotes["HOOLI"] == 55.0
        assert delayed_quote.loop is event_loop
