import asyncio

import pytest


@pytest.fixture(scope="session", autouse=True)
def main_loop():
    """The loop BlockingClient finds current, for the whole run."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)
    loop.close()
