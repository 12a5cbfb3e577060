import asyncio

import pytest


@pytest.fixture
def event_loop():
    """A new event loop for each test, for sync code that needs a loop object
    (pytest-asyncio 1.0 removed its own event_loop fixture), current while it lives."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)
    loop.close()
