"""Cache tests whose author passed the loop scope positionally (an error since 0.24)."""
import asyncio

import pytest

_seen_loops: list[asyncio.AbstractEventLoop] = []


class TTLCache:
    def __init__(self) -> None:
        self._data: dict[str, str] = {}

    async def set(self, key: str, value: str) -> None:
        await asyncio.sleep(0)
        self._data[key] = value

    async def get(self, key: str) -> str | None:
        await asyncio.sleep(0)
        return self._data.get(key)


@pytest.mark.asyncio("module")
async def test_set_then_get():
    _seen_loops.append(asyncio.get_running_loop())
    cache = TTLCache()
    await cache.set("user:1", "ada")
    assert await cache.get("user:1") == "ada"


@pytest.mark.asyncio("module")
async def test_missing_key_is_none():
    _seen_loops.append(asyncio.get_running_loop())
    assert await TTLCache().get("nope") is None
    assert _seen_loops[0] is _seen_loops[1]


@pytest.mark.asyncio(
    "class",
)
class TestEviction:
    async def test_overwrite(self):
        cache = TTLCache()
        await cache.set("k", "v1")
        await cache.set("k", "v2")
        assert await cache.get("k") == "v2"
