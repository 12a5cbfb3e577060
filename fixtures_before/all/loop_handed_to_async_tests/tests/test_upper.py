"""Async tests of objects a conftest.py fixture built on the loop (pytest-asyncio 0.21 style)."""
import asyncio

import pytest


@pytest.mark.asyncio
async def test_upper_server_runs_on_the_test_loop(upper_server):
    assert upper_server.loop is asyncio.get_running_loop()
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", upper_server.port), timeout=2)
    writer.write(b"quiet\n")
    await writer.drain()
    assert await asyncio.wait_for(reader.readline(), timeout=2) == b"QUIET\n"
    writer.close()


@pytest.mark.asyncio
async def test_clock_wakes_sleepers(clock):
    assert clock.loop is asyncio.get_running_loop()
    sleeper = asyncio.ensure_future(clock.sleep(5))
    await asyncio.sleep(0)
    clock.advance(5)
    assert await asyncio.wait_for(sleeper, timeout=2) == 5
