"""Async tests that open connections on the debug loop they are given (pytest-asyncio 0.21 style)."""
import asyncio

import pytest


class Greeter(asyncio.Protocol):
    def connection_made(self, transport):
        transport.write(b"hello\n")
        transport.close()


@pytest.mark.asyncio
async def test_the_debug_loop_is_the_running_loop(debug_event_loop):
    assert debug_event_loop is asyncio.get_running_loop()
    assert debug_event_loop.get_debug()


@pytest.mark.asyncio
async def test_connection_on_the_debug_loop(debug_event_loop):
    server = await debug_event_loop.create_server(Greeter, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout=2)
    assert await asyncio.wait_for(reader.readline(), timeout=2) == b"hello\n"
    writer.close()
    server.close()
    await server.wait_closed()


@pytest.mark.asyncio
async def test_futures_of_the_debug_loop(debug_event_loop):
    future = debug_event_loop.create_future()
    debug_event_loop.call_soon(future.set_result, 42)
    assert await asyncio.wait_for(future, timeout=2) == 42
