import asyncio

import pytest


@pytest.fixture
async def db():
    queue = asyncio.Queue()
    await queue.put("row")
    return queue
