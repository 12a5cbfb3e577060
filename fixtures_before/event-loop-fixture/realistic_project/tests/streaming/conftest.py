import asyncio

import pytest
import pytest_asyncio


@pytest.fixture(scope="module")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest_asyncio.fixture
async def ticker():
    queue = asyncio.Queue()
    for price in (101, 102, 103):
        queue.put_nowait(price)
    return queue
