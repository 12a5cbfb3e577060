import asyncio

import pytest_asyncio


class Feed:
    """Prices pushed through a queue: the queue belongs to the loop that made the feed."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.prices: asyncio.Queue[float] = asyncio.Queue()

    async def push(self, price: float) -> None:
        await self.prices.put(price)


@pytest_asyncio.fixture(scope="session")
async def feed():
    return Feed()


@pytest_asyncio.fixture(scope="module")
async def quotes(feed):
    await feed.push(101.5)
    return Feed()
