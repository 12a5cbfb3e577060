import asyncio

import uvloop


async def test_runs_on_uvloop():
    assert isinstance(asyncio.get_running_loop(), uvloop.Loop)


async def test_sleep_returns():
    await asyncio.sleep(0)
