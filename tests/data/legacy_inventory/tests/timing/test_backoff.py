import asyncio

import pytest
from inventory import OutOfStock, Store


async def take_with_backoff(store, sku, count, attempts=3, delay=0.01):
    for attempt in range(attempts):
        try:
            return await store.take(sku, count)
        except OutOfStock:
            await asyncio.sleep(delay * 2**attempt)
            await store.add(sku, count)
    raise OutOfStock(sku)


@pytest.mark.asyncio
async def test_backoff_waits_longer_each_time(event_loop):
    # the conftest's loop counts the back-off timers; a default loop has no steps
    store = Store()
    await store.connect()
    assert await take_with_backoff(store, "bolt", 1) == 0
    assert type(event_loop).__name__ == "StepLoop"
    assert event_loop.steps == [0.01]
    await store.close()
