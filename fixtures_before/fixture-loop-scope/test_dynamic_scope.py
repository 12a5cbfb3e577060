"""Scopes decided at runtime, and a loop scope narrower than the cache scope: reported only."""
import os

import pytest
import pytest_asyncio


def determine_scope(fixture_name, config):
    if config.getoption("--keep-cache", None) or os.environ.get("KEEP_CACHE"):
        return "session"
    return "function"


class PriceCache:
    def __init__(self) -> None:
        self.prices: dict[str, int] = {"apple": 3, "pear": 4}

    async def lookup(self, item: str) -> int:
        return self.prices[item]


@pytest_asyncio.fixture(scope=determine_scope)
async def price_cache():
    return PriceCache()


@pytest_asyncio.fixture(scope="module", loop_scope="function")
def unit_labels():
    return {"apple": "kg", "pear": "kg"}


@pytest.mark.asyncio
async def test_apple_price(price_cache):
    assert await price_cache.lookup("apple") == 3


def test_labels_are_sync():
    assert determine_scope is not None
