import asyncio

import pytest

from acme.service import Service


@pytest.fixture
async def service():
    return await Service().start()


@pytest.fixture
async def ticker(event_loop):
    ticks = []
    handle = event_loop.call_later(0, ticks.append, "tick")
    yield ticks
    handle.cancel()
