import asyncio

import pytest


@pytest.mark.asyncio
async def test_debug_loop_is_the_test_loop(debug_loop):
    assert debug_loop is asyncio.get_running_loop()
    assert debug_loop.get_debug()


@pytest.mark.asyncio
async def test_gateway_forwards(gateway):
    assert gateway.loop is asyncio.get_running_loop()
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", gateway.port), timeout=2)
    writer.write(b"hi\n")
    await writer.drain()
    assert await asyncio.wait_for(reader.readline(), timeout=2) == b"> hi\n"
    writer.close()
