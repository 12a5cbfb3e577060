import asyncio

import pytest


@pytest.fixture
async def published(orders_queue):
    await orders_queue.put({"id": 7})
    return orders_queue


@pytest.mark.asyncio
async def test_publish_then_consume(published, broker):
    assert asyncio.get_running_loop() is broker.loop
    assert await asyncio.wait_for(published.get(), 0.05) == {"id": 7}


class TestRedelivery:
    @pytest.mark.asyncio
    async def test_consumer_waits_in_broker_loop(self, orders_queue, broker):
        assert asyncio.get_running_loop() is broker.loop
        waiter = asyncio.ensure_future(orders_queue.get())
        await orders_queue.put({"id": 8})
        assert await waiter == {"id": 8}
