"""Function-scoped async fixtures already run in the test's own loop: nothing to add."""
import asyncio

import pytest
import pytest_asyncio


class Basket:
    def __init__(self) -> None:
        self.items: dict[str, int] = {}
        self.lock = asyncio.Lock()

    async def add(self, sku: str, quantity: int = 1) -> None:
        async with self.lock:
            self.items[sku] = self.items.get(sku, 0) + quantity


@pytest_asyncio.fixture
async def basket():
    return Basket()


@pytest_asyncio.fixture(scope="function")
async def filled_basket(basket):
    await basket.add("bread")
    await basket.add("milk", 2)
    return basket


@pytest_asyncio.fixture()
async def discount_codes():
    yield {"SPRING10": 0.1}


@pytest.mark.asyncio
async def test_add_merges_quantities(basket):
    await basket.add("bread")
    await basket.add("bread")
    assert basket.items == {"bread": 2}


@pytest.mark.asyncio
async def test_filled_basket(filled_basket, discount_codes):
    assert sum(filled_basket.items.values()) == 3
    assert discount_codes["SPRING10"] == 0.1
