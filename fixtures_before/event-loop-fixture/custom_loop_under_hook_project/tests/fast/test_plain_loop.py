"""These tests measure asyncio's own loop, not the project's."""

import asyncio

import pytest


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_on_asyncio_loop(payload):
    await asyncio.sleep(0)
    assert type(asyncio.get_running_loop()).__name__ != "CountingLoop"
