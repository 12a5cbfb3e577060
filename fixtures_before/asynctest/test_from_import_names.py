"""Cache warm-up tests (written against asynctest's mocks)."""

import pytest
from asynctest import CoroutineMock, MagicMock, patch
from asynctest.mock import call, sentinel


class CacheWarmer:
    def __init__(self, backend):
        self.backend = backend

    async def warm(self, keys):
        for key in keys:
            value = await self.backend.load(key)
            await self.backend.store(key, value)
        return len(keys)


async def fetch_catalog():
    raise AssertionError("the real catalog is never fetched in tests")


@pytest.mark.asyncio
async def test_warm_loads_and_stores_every_key():
    backend = MagicMock()
    backend.load = CoroutineMock(return_value=sentinel.payload)
    backend.store = CoroutineMock()

    assert await CacheWarmer(backend).warm(["a", "b"]) == 2

    assert backend.store.await_args_list == [call("a", sentinel.payload), call("b", sentinel.payload)]


@pytest.mark.asyncio
@patch(f"{__name__}.fetch_catalog", new_callable=CoroutineMock, return_value=["sku-1"])
async def test_catalog_is_patched(fetch):
    assert await fetch_catalog() == ["sku-1"]
    fetch.assert_awaited_once()
