import asyncio
import unittest


class Cache:
    def __init__(self) -> None:
        self._data: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        await asyncio.sleep(0)
        return self._data.get(key)

    async def put(self, key: str, value: str) -> None:
        await asyncio.sleep(0)
        self._data[key] = value


class CacheTestCase(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.cache = Cache()

    async def test_missing_key_is_none(self):
        self.assertIsNone(await self.cache.get("absent"))


class TestCachePut(CacheTestCase):
    async def test_put_then_get(self):
        await self.cache.put("colour", "teal")
        self.assertEqual(await self.cache.get("colour"), "teal")


def test_cache_is_a_plain_object():
    assert not isinstance(Cache(), unittest.TestCase)
