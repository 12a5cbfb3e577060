"""A timeout cannot fire while the loop is blocked: the test's inner coroutine blocks it."""
import asyncio
import time

import pytest


async def first_of(*aws, timeout):
    done, pending = await asyncio.wait([asyncio.ensure_future(a) for a in aws], timeout=timeout)
    for task in pending:
        task.cancel()
    return [task.result() for task in done]


@pytest.mark.asyncio
async def test_timeout_cannot_fire_while_the_loop_is_blocked():
    async def long_running_task():
        time.sleep(0.1)
        return "done"

    assert await first_of(long_running_task(), timeout=0.01) == ["done"]


@pytest.mark.asyncio
async def test_timeout_fires():
    async def long_running_task():
        await asyncio.sleep(0.1)
        return "done"

    assert await first_of(long_running_task(), timeout=0.5) == ["done"]
