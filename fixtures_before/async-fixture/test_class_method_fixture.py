import asyncio

import pytest


class InMemoryCache:
    def __init__(self) -> None:
        self._data: dict[str, str] = {}

    async def set(self, key: str, value: str) -> None:
        await asyncio.sleep(0)
        self._data[key] = value

    async def get(self, key: str) -> str | None:
        await asyncio.sleep(0)
        return self._data.get(key)


class TestSessionCache:
    @pytest.fixture
    async def cache(self):
        cache = InMemoryCache()
        await cache.set("session:42", "alice")
        return cache

    @pytest.fixture(autouse=True)
    async def warm_up(self, cache):
        await cache.set("session:warm", "yes")
        yield
        await cache.set("session:warm", "no")

    @pytest.fixture
    def session_key(self):
        return "session:42"

    @pytest.mark.asyncio
    async def test_lookup_returns_stored_user(self, cache, session_key):
        assert await cache.get(session_key) == "alice"

    @pytest.mark.asyncio
    async def test_autouse_fixture_warmed_the_cache(self, cache):
        assert await cache.get("session:warm") == "yes"

    @pytest.mark.asyncio
    async def test_missing_key_is_none(self, cache):
        assert await cache.get("session:0") is None
