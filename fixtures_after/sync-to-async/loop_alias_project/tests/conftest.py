import asyncio

import pytest_asyncio


@pytest_asyncio.fixture
async def loop():
    """The loop the test runs in (the name pytest-aiohttp used)."""
    return asyncio.get_running_loop()
