"""Cache client tests: each test got a fresh client from the class's event_loop override."""

import asyncio

import pytest


class CacheClient:
    def __init__(self):
        self.data = {}

    async def set(self, key, value):
        await asyncio.sleep(0)
        self.data[key] = value

    async def get(self, key):
        await asyncio.sleep(0)
        return self.data.get(key)


class TestCacheClient:
    @pytest.fixture(autouse=True)
    def setup_client(self):
        self.client = CacheClient()

    @pytest.mark.asyncio
    async def test_set_then_get(self):
        await self.client.set("answer", 42)
        assert await self.client.get("answer") == 42

    @pytest.mark.asyncio
    async def test_starts_empty(self):
        assert await self.client.get("answer") is None
