import asyncio

import pytest_asyncio


@pytest_asyncio.fixture
async def db():
    queue = asyncio.Queue()
    await queue.put("row")
    return queue
