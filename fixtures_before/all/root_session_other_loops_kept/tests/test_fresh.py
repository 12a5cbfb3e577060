import asyncio

import pytest
import pytest_asyncio

seen = []


@pytest.fixture
def event_loop():
    """Each test here gets a fresh loop: the timers below must not see each other."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest_asyncio.fixture
async def timer():
    return asyncio.get_running_loop()


@pytest.mark.asyncio
async def test_first(timer):
    assert timer is asyncio.get_running_loop()
    seen.append(timer)


@pytest.mark.asyncio
async def test_second(timer):
    assert timer is asyncio.get_running_loop()
    assert timer not in seen
