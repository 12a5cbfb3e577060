"""A module-scoped fixture that hands its loop to an object async tests use, while the tests
run on a loop per test: as an async fixture it would live on the module's loop, not theirs,
so it is left as it is, with a note (must not touch). The module's own module-scoped
event_loop keeps it working meanwhile: the tests only read what it loaded.
"""
import asyncio

import pytest


class Catalog:
    def __init__(self, loop):
        self.loop = loop
        self.items = {}

    async def load(self):
        await asyncio.sleep(0)
        self.items = {"apple": 3, "pear": 5}


@pytest.fixture(scope="module")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def catalog(event_loop):
    catalog = Catalog(event_loop)
    event_loop.run_until_complete(catalog.load())
    return catalog


@pytest.mark.asyncio
async def test_prices(catalog):
    await asyncio.sleep(0)
    assert catalog.items["apple"] == 3


@pytest.mark.asyncio
async def test_catalog_is_loaded_once(catalog):
    assert sorted(catalog.items) == ["apple", "pear"]
