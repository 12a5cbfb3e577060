import asyncio

import pytest


@pytest.fixture
def event_loop():
    """A private loop for the sync tests of the blocking bridge API."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
