import asyncio

import pytest_asyncio


@pytest_asyncio.fixture
async def loop():
    """The loop of the test (async tests run in it; sync ones drive it)."""
    return asyncio.get_running_loop()
