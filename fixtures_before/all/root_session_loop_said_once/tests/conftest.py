import asyncio

import pytest
import pytest_asyncio


class Feed:
    """Prices pushed through a queue: the queue belongs to the loop that made the feed."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.prices: asyncio.Queue[float] = asyncio.Queue()

    async def push(self, price: float) -> None:
        await self.prices.put(price)


@pytest.fixture(scope="session")
def event_loop():
    """One loop for the whole run: the feeds below outlive a test."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest_asyncio.fixture(scope="session")
async def feed():
    return Feed()


@pytest_asyncio.fixture(scope="module")
async def quotes(feed):
    await feed.push(101.5)
    return Feed()
