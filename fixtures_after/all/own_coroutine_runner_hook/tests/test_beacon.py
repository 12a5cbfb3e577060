import asyncio

import pytest


@pytest.fixture
def interval():
    return 0.001


async def test_beacon_ticks(interval):
    loop = asyncio.get_event_loop()
    started = loop.time()
    await asyncio.sleep(interval)
    assert loop.time() >= started


def test_sync_tests_still_run():
    assert True
