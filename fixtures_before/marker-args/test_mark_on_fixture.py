"""Inventory tests from before anyone knew marks do nothing on fixtures."""
import asyncio

import pytest
import pytest_asyncio


class Inventory:
    def __init__(self) -> None:
        self.stock: dict[str, int] = {}

    async def receive(self, sku: str, count: int) -> None:
        await asyncio.sleep(0)
        self.stock[sku] = self.stock.get(sku, 0) + count


@pytest_asyncio.fixture
@pytest.mark.asyncio
async def inventory():
    inv = Inventory()
    await inv.receive("apple", 3)
    yield inv


# Module-wide price table, loaded once.
@pytest.mark.asyncio(scope="module")
@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def prices():
    await asyncio.sleep(0)
    return {"apple": 0.5, "pear": 0.75}


@pytest.fixture
# the warehouse label is plain data
@pytest.mark.asyncio
def warehouse():
    return "north"


@pytest.mark.asyncio
async def test_receive_adds_stock(inventory, warehouse):
    await inventory.receive("apple", 2)
    assert inventory.stock == {"apple": 5}
    assert warehouse == "north"


@pytest.mark.asyncio
async def test_stock_value(inventory, prices):
    assert inventory.stock["apple"] * prices["apple"] == 1.5
