"""Fixtures that hand the test's loop on (pytest-asyncio 0.24 style: the default fixture loop
scope was set to silence the warning, and these sync fixtures still take event_loop)."""
import asyncio

import pytest_asyncio


class Gateway:
    """Forwards lines to a handler; bound to the loop it is given."""

    def __init__(self, *, loop):
        self.loop = loop
        self.server = None
        self.port = None

    async def _forward(self, reader, writer):
        line = await reader.readline()
        writer.write(b"> " + line)
        await writer.drain()
        writer.close()

    async def start(self):
        self.server = await asyncio.start_server(self._forward, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self):
        self.server.close()
        await self.server.wait_closed()


@pytest_asyncio.fixture(loop_scope="function")
async def debug_loop():
    event_loop = asyncio.get_running_loop()
    event_loop.set_debug(True)
    yield event_loop


@pytest_asyncio.fixture(loop_scope="function")
async def gateway():
    event_loop = asyncio.get_running_loop()
    gateway = Gateway(loop=event_loop)
    await gateway.start()
    yield gateway
    await gateway.stop()
