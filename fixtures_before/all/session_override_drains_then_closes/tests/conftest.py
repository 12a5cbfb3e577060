"""A session loop override that lets pending callbacks run before it closes (aio-libs style)."""
import asyncio
import gc
from typing import Iterator

import pytest
import pytest_asyncio


@pytest.fixture(scope="session")
def event_loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(None)

    yield loop

    if not loop.is_closed():
        loop.call_soon(loop.stop)
        loop.run_forever()
        loop.close()
    gc.collect()
    asyncio.set_event_loop(None)


class Pool:
    def __init__(self):
        self.loop = asyncio.get_running_loop()

    async def get(self, key):
        done = self.loop.create_future()
        self.loop.call_soon(done.set_result, key.upper())
        return await done


@pytest_asyncio.fixture
async def pool():
    yield Pool()


async def fill(pool):
    return [await pool.get(key) for key in ("x", "y")]


@pytest.fixture
def warmed(event_loop, pool):
    return event_loop.run_until_complete(fill(pool))
