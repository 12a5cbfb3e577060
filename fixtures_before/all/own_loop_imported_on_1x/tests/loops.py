"""A loop for the sync tests that drive coroutines themselves (pytest-asyncio runs the async ones)."""

import asyncio

import pytest


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


async def double(value: int) -> int:
    await asyncio.sleep(0)
    return value * 2
