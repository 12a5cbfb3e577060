import asyncio

import pytest
import pytest_asyncio

pytestmark = pytest.mark.asyncio(loop_scope="function")

seen = []


@pytest_asyncio.fixture(loop_scope="function")
async def timer():
    return asyncio.get_running_loop()


async def test_first(timer):
    assert timer is asyncio.get_running_loop()
    seen.append(timer)


async def test_second(timer):
    assert timer is asyncio.get_running_loop()
    assert timer not in seen
