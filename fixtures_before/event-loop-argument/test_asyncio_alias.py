import asyncio as aio
from asyncio import sleep

import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def ticker(event_loop):
    ticks = []
    handle = event_loop.call_later(0.001, ticks.append, "tick")
    yield ticks
    handle.cancel()


@pytest.mark.asyncio
async def test_ticker_ticks(ticker, event_loop):
    await sleep(0.01, loop=event_loop)
    assert ticker == ["tick"]
    assert event_loop.time() > 0


@pytest.mark.asyncio
async def test_condition_notifies(event_loop):
    cond = aio.Condition(loop=aio.get_event_loop())
    async with cond:
        cond.notify_all()
    assert not cond.locked()
