"""A loop of the project's own, for sync code that drives coroutines itself."""
import asyncio

import pytest


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
