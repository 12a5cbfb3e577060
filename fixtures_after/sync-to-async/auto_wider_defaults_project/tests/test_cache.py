"""A cache whose connection belongs to the loop that opened it (pytest-asyncio 0.26, auto mode)."""
import asyncio

import pytest
import pytest_asyncio


class Cache:
    def __init__(self):
        self.loop = None
        self.data = {}

    async def connect(self):
        await asyncio.sleep(0)
        self.loop = asyncio.get_running_loop()

    async def get(self, key):
        # a connection is bound to its loop: used from another one it fails
        assert asyncio.get_running_loop() is self.loop, "cache used from another loop"
        await asyncio.sleep(0)
        return self.data.get(key)


@pytest_asyncio.fixture(loop_scope="function")
async def cache():
    cache = Cache()
    await cache.connect()
    cache.data["user:1"] = "ada"
    return cache


@pytest.mark.asyncio(loop_scope="function")
async def test_get_known_key(cache):
    assert await cache.get("user:1") == "ada"


@pytest.mark.asyncio(loop_scope="function")
async def test_get_missing_key(cache):
    assert await cache.get("user:2") is None


async def test_module_loop_is_shared():
    await asyncio.sleep(0)
