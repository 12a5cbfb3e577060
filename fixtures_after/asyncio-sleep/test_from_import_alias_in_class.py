import asyncio
from time import sleep as pause

import pytest


class Cache:
    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    async def set(self, key: str, value: str) -> None:
        await asyncio.sleep(0.001)
        self.items[key] = value


class TestCache:
    @pytest.mark.asyncio
    async def test_set_then_get(self):
        cache = Cache()
        await cache.set("user:1", "ada")
        await asyncio.sleep(0.001)
        assert cache.items == {"user:1": "ada"}

    def test_sync_helper_may_block(self):
        pause(0.001)
        assert Cache().items == {}
