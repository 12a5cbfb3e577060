import asyncio

import pytest
import pytest_asyncio

pytestmark = pytest.mark.asyncio(loop_scope="module")

SEEN = []


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def catalog_cache():
    SEEN.append(asyncio.get_running_loop())
    return {"lock": asyncio.Lock(), "items": {}}


async def test_cache_fill(catalog_cache):
    SEEN.append(asyncio.get_running_loop())
    async with catalog_cache["lock"]:
        catalog_cache["items"]["sku-1"] = 19.99
    assert catalog_cache["items"] == {"sku-1": 19.99}


async def test_cache_shared_within_module(catalog_cache):
    SEEN.append(asyncio.get_running_loop())
    assert "sku-1" in catalog_cache["items"]
    assert SEEN[0] is SEEN[1] is SEEN[2]
