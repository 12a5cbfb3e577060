import asyncio

import pytest_asyncio


@pytest_asyncio.fixture
async def debug_event_loop():
    """The test's loop in debug mode (slow callbacks and never-awaited coroutines are logged)."""
    event_loop = asyncio.get_running_loop()
    event_loop.set_debug(True)
    yield event_loop
