import asyncio

import pytest


@pytest.fixture(scope="module")
def event_loop():
    # these tests patch the selector: they need asyncio's own loop, one per module
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
