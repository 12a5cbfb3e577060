import asyncio
import time

import pytest
from inventory import OutOfStock


async def test_store_is_connected(store):
    assert store.connected


async def test_take_reduces_stock(store, widgets):
    assert await store.take(widgets, 2) == 3


async def test_out_of_stock(store, widgets):
    with pytest.raises(OutOfStock):
        await store.take(widgets, 6)


async def test_concurrent_orders(store, widgets):
    async def order() -> int:
        time.sleep(0.001)
        return await store.take(widgets, 1)

    results = await asyncio.gather(order(), order(), order())
    assert sorted(results) == [2, 3, 4]


def test_level_of_unknown_sku_is_zero():
    from inventory import Store

    assert Store().level("gadget") == 0


class TestRestock:
    async def test_restock_adds(self, store, widgets):
        await store.add(widgets, 10)
        assert store.level(widgets) == 15

    @pytest.mark.asyncio
    async def test_already_marked(self, store):
        time.sleep(0.001)
        assert store.connected
