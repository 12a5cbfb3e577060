"""The price cache is shared by the whole module: one loop for all of its tests."""

import asyncio

import pytest
import pytest_asyncio

pytestmark = pytest.mark.asyncio(loop_scope="module")


class PriceCache:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.prices: dict[str, int] = {}

    async def load(self, sku: str, cents: int) -> None:
        await asyncio.sleep(0)
        self.prices[sku] = cents


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cache():
    cache = PriceCache()
    await cache.load("apple", 120)
    return cache


async def test_cache_is_warm(cache):
    assert cache.prices["apple"] == 120


async def test_cache_runs_in_the_module_loop(cache):
    assert cache.loop is asyncio.get_running_loop()


# needs a loop of its own: the bare mark wins over the module's loop_scope
@pytest.mark.asyncio
async def test_fresh_cache_gets_a_fresh_loop(cache):
    fresh = PriceCache()
    assert fresh.loop is not cache.loop
