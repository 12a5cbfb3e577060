import asyncio

import pytest


@pytest.fixture
async def queue():
    return asyncio.Queue()


@pytest.mark.asyncio
async def test_order_is_queued(queue):
    await queue.put("order-1")
    assert queue.qsize() == 1
