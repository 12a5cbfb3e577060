import pytest


@pytest.fixture
def order():
    return {"sku": "nut-m4", "quantity": 15}


@pytest.mark.asyncio
async def test_store_is_seeded(store):
    assert store.stock == {"bolt-m4": 100, "nut-m4": 40}


@pytest.mark.asyncio
async def test_reservation_lowers_stock(store, order):
    assert await store.reserve(order["sku"], order["quantity"])
    assert store.stock["nut-m4"] == 25


@pytest.mark.asyncio
async def test_cannot_reserve_more_than_stock(store):
    assert not await store.reserve("nut-m4", 41)
    assert store.stock["nut-m4"] == 40


@pytest.mark.asyncio
async def test_each_test_gets_a_fresh_store(store, seed_rows):
    assert store.stock == seed_rows
    assert store.stock is not seed_rows


@pytest.mark.asyncio
async def test_prices_cover_the_whole_stock(store, unit_prices):
    assert set(unit_prices) == set(store.stock) == {"bolt-m4", "nut-m4", "washer-m4"}
    assert unit_prices["washer-m4"] < unit_prices["bolt-m4"]
