import asyncio

import pytest


async def notify(name):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_soon(done.set_result, name)
    return await done


@pytest.mark.asyncio
async def test_each_test_is_recorded():
    assert asyncio.get_running_loop().recording


@pytest.mark.asyncio
async def test_callbacks_are_recorded():
    assert await notify("ready") == "ready"
    assert "Future.set_result" in asyncio.get_running_loop().steps


def test_sync_tests_are_not_wrapped():
    assert notify.__name__ == "notify"
