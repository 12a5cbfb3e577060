import asyncio

import pytest
import pytest_asyncio

LOADS = []


async def load_catalog(region):
    await asyncio.sleep(0)
    LOADS.append(region)
    return {"region": region, "skus": ["A-100", "B-200", "C-300"]}


async def load_price_list(catalog):
    await asyncio.sleep(0)
    return {sku: 10 * (i + 1) for i, sku in enumerate(catalog["skus"])}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def catalog():
    return await load_catalog("eu")


@pytest_asyncio.fixture(
    scope="module",
    loop_scope="module",
    params=["retail", "wholesale"],
)
async def price_list(catalog):
    prices = await load_price_list(catalog)
    return {"channel": "retail", "prices": prices}


def test_catalog_is_loaded_once(catalog):
    assert catalog["region"] == "eu"
    assert LOADS == ["eu"]


def test_every_sku_has_a_price(catalog, price_list):
    assert set(price_list["prices"]) == set(catalog["skus"])


class TestDiscounts:
    @pytest_asyncio.fixture
    async def discounted(self, price_list):
        prices = await asyncio.sleep(0, result=price_list["prices"])
        return {sku: price * 0.9 for sku, price in prices.items()}

    def test_discount_is_ten_percent(self, discounted):
        assert discounted["A-100"] == pytest.approx(9.0)
