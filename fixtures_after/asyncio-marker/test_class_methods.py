import asyncio

import pytest


class Inventory:
    def __init__(self) -> None:
        self.stock: dict[str, int] = {}

    async def receive(self, sku: str, count: int) -> None:
        await asyncio.sleep(0)
        self.stock[sku] = self.stock.get(sku, 0) + count

    async def ship(self, sku: str, count: int) -> None:
        await asyncio.sleep(0)
        if self.stock.get(sku, 0) < count:
            raise LookupError(sku)
        self.stock[sku] -= count


class TestInventory:
    @pytest.mark.asyncio
    async def test_receive_adds_stock(self):
        inventory = Inventory()
        await inventory.receive("mug", 4)
        assert inventory.stock == {"mug": 4}

    @pytest.mark.asyncio
    async def test_ship_removes_stock(self):
        inventory = Inventory()
        await inventory.receive("mug", 4)
        await inventory.ship("mug", 3)
        assert inventory.stock == {"mug": 1}

    @pytest.mark.asyncio
    @staticmethod
    async def test_ship_unknown_sku_fails():
        with pytest.raises(LookupError):
            await Inventory().ship("teapot", 1)

    async def restock(self, inventory):
        await inventory.receive("mug", 10)

    def test_new_inventory_is_empty(self):
        assert Inventory().stock == {}

    class TestBulk:
        @pytest.mark.asyncio
        async def test_bulk_receive(self):
            inventory = Inventory()
            await asyncio.gather(*(inventory.receive("plate", 2) for _ in range(5)))
            assert inventory.stock == {"plate": 10}


class InventoryScenario:
    """Not a test class: its name does not match python_classes."""

    async def test_not_collected(self):
        await Inventory().receive("bowl", 1)


class TestWithInit:
    def __init__(self) -> None:
        self.inventory = Inventory()

    async def test_not_collected_either(self):
        await self.inventory.receive("bowl", 1)
