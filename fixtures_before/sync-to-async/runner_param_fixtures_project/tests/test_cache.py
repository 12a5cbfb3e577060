"""A cache whose async API the sync tests drive on pytest-asyncio 0.21's event_loop.

The tests that use ``backend`` (directly, through ``cache`` or by ``usefixtures``) get
the anyio or trio mark of its parameter: made async they would not be pytest-asyncio's
to run, so they stay sync; ``test_plain_lookup`` uses none and becomes async.
"""
import asyncio

import pytest


class Cache:
    def __init__(self, backend):
        self.backend = backend
        self.entries = {}

    async def put(self, key, value):
        await asyncio.sleep(0)
        self.entries[key] = value

    async def get(self, key):
        await asyncio.sleep(0)
        return self.entries.get(key)


@pytest.fixture
def cache(backend):
    return Cache(backend)


def test_backend_named(event_loop, backend):
    store = Cache(backend)
    event_loop.run_until_complete(store.put("name", backend))
    assert event_loop.run_until_complete(store.get("name")) == backend


def test_through_cache(event_loop, cache):
    event_loop.run_until_complete(cache.put("a", 1))
    assert event_loop.run_until_complete(cache.get("a")) == 1


class TestUsefixtures:
    @pytest.mark.usefixtures("backend")
    def test_missing_key(self, event_loop):
        assert event_loop.run_until_complete(Cache("asyncio").get("missing")) is None


def test_plain_lookup(event_loop):
    store = Cache("asyncio")
    event_loop.run_until_complete(store.put("b", 2))
    assert event_loop.run_until_complete(store.get("b")) == 2
