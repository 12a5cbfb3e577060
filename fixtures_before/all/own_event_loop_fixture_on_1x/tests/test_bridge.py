import asyncio

import pytest


def call_blocking(loop, coro):
    return loop.run_until_complete(coro)


async def double(value):
    await asyncio.sleep(0)
    return value * 2


def test_bridge_runs_a_coroutine(event_loop):
    assert call_blocking(event_loop, double(21)) == 42


def test_bridge_loop_is_private(event_loop):
    assert not event_loop.is_running()
    assert event_loop.run_until_complete(double(1)) == 2


@pytest.mark.asyncio
async def test_async_side():
    assert await double(2) == 4
