"""Cache warmer tests run by anyio; the event_loop fixture feeds a sync adapter, not pytest-asyncio."""

import asyncio

import anyio
import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


async def warm(keys):
    await anyio.sleep(0)
    return {key: len(key) for key in keys}


async def test_warm_cache():
    assert await warm(["user:1", "user:22"]) == {"user:1": 6, "user:22": 7}


def test_sync_adapter_drives_its_own_loop(event_loop):
    assert event_loop.run_until_complete(warm(["a"])) == {"a": 1}
