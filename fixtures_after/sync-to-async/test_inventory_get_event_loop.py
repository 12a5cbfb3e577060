import asyncio

import pytest


class Inventory:
    def __init__(self):
        self._stock = {"widget": 5, "gadget": 0}
        self.reserved_at = None

    async def available(self, sku):
        await asyncio.sleep(0)
        return self._stock.get(sku, 0)

    async def reserve(self, sku, quantity):
        await asyncio.sleep(0)
        if self._stock.get(sku, 0) < quantity:
            raise ValueError(f"not enough {sku}")
        self._stock[sku] -= quantity
        self.reserved_at = asyncio.get_running_loop().time()
        return self._stock[sku]


@pytest.fixture
def inventory():
    return Inventory()


@pytest.mark.asyncio
async def test_widget_is_available(inventory):
    assert await inventory.available("widget") == 5


@pytest.mark.asyncio
async def test_reserve_reduces_stock(inventory):
    left = await inventory.reserve("widget", 2)
    assert left == 3


@pytest.mark.asyncio
async def test_reservation_is_timestamped(inventory):
    loop = asyncio.get_running_loop()
    started = loop.time()
    await inventory.reserve("widget", 1)
    assert started <= inventory.reserved_at <= loop.time()


class TestOutOfStock:
    @pytest.mark.asyncio
    async def test_reserving_too_much_fails(self, inventory):
        with pytest.raises(ValueError, match="not enough gadget"):
            await inventory.reserve("gadget", 1)

    @pytest.mark.asyncio
    async def test_counts_for_every_sku(self, inventory):
        counts = [await inventory.available(sku) for sku in ("widget", "gadget")]
        assert counts == [5, 0]
