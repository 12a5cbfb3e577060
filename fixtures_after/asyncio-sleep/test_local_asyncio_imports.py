"""Polling helpers that import what they need where they need it."""
import time

import pytest


async def wait_until(predicate, timeout=1.0):
    from asyncio import sleep as pause

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError
        await pause(0.001)
    await pause(0)


@pytest.mark.asyncio
async def test_flag_is_seen_while_the_loop_runs():
    import asyncio as aio

    seen = []

    async def raise_flag():
        await aio.sleep(0.001)
        seen.append(True)

    task = aio.create_task(raise_flag())
    await wait_until(lambda: seen)
    await task
    assert seen == [True]
