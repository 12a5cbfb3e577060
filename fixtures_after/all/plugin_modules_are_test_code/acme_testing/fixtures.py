import asyncio

import pytest_asyncio

from acme.service import Service


@pytest_asyncio.fixture
async def service():
    return await Service().start()


@pytest_asyncio.fixture
async def ticker():
    event_loop = asyncio.get_running_loop()
    ticks = []
    handle = event_loop.call_later(0, ticks.append, "tick")
    yield ticks
    handle.cancel()
