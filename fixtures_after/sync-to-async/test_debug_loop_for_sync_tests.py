"""A fixture that tweaks the loop and hands it on, consumed by sync tests only: they drive it
themselves through a blocking facade. The module defines its own event_loop (on
pytest-asyncio 1.x an ordinary fixture): the loop stays one that sync code drives, and
making debug_loop async would give the facade a loop that is already running (must not touch).
"""
import asyncio

import pytest


class BlockingCache:
    """A sync facade over an async store, for sync callers."""

    def __init__(self, loop):
        self.loop = loop
        self.data = {}

    async def _put(self, key, value):
        await asyncio.sleep(0)
        self.data[key] = value

    def put(self, key, value):
        self.loop.run_until_complete(self._put(key, value))


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def debug_loop(event_loop):
    event_loop.set_debug(True)
    return event_loop


@pytest.fixture
def cache(debug_loop):
    return BlockingCache(debug_loop)


def test_put_runs_on_the_debug_loop(cache, debug_loop):
    cache.put("a", 1)
    assert cache.data == {"a": 1}
    assert cache.loop is debug_loop and debug_loop.get_debug()


def test_the_loop_is_not_running(debug_loop):
    assert not debug_loop.is_running()
