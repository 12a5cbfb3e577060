import asyncio
import time

import pytest


@pytest.mark.asyncio
async def test_watchdog_sees_a_stalled_loop():
    stalls = []
    loop = asyncio.get_running_loop()
    started = loop.time()
    loop.call_soon(lambda: stalls.append(loop.time() - started))
    # Block purposefully: the watchdog must see the loop stall
    time.sleep(0.02)
    await asyncio.sleep(0)
    assert stalls and stalls[0] >= 0.02


@pytest.mark.asyncio
async def test_sync_sleep_in_a_coroutine():
    ran = []
    asyncio.get_running_loop().call_soon(ran.append, "tick")
    time.sleep(0.001)  # time.sleep is a more challenging scenario than asyncio.sleep
    assert ran == []
