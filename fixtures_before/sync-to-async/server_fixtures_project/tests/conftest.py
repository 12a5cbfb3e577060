"""Server and clock fixtures for async tests; the line server and the clock are bound to the loop
they are given, as older asyncio code was (pytest-asyncio 0.21 style)."""
import asyncio

import pytest


class FakeClock:
    """Time that moves only when told to; sleepers wake on the loop it was made for."""

    def __init__(self, loop):
        self.loop = loop
        self.now = 0.0
        self._sleepers = []

    def sleep(self, seconds):
        future = self.loop.create_future()
        self._sleepers.append((self.now + seconds, future))
        return future

    def advance(self, seconds):
        self.now += seconds
        for when, future in list(self._sleepers):
            if when <= self.now and not future.done():
                future.set_result(when)


class UpperServer:
    """Answers each line in upper case; made for one loop, as older asyncio code was."""

    def __init__(self, host, port, *, loop):
        self.host = host
        self.port = port
        self.loop = loop
        self.server = None

    async def _answer(self, reader, writer):
        assert asyncio.get_running_loop() is self.loop, "served on another loop"
        line = await reader.readline()
        writer.write(line.upper())
        await writer.drain()
        writer.close()

    async def start(self):
        self.server = await asyncio.start_server(self._answer, self.host, self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self):
        self.server.close()
        await self.server.wait_closed()


async def echo(reader, writer):
    writer.write(await reader.readline())
    await writer.drain()
    writer.close()


@pytest.fixture
def echo_server(event_loop):
    server = event_loop.run_until_complete(asyncio.start_server(echo, "127.0.0.1", 0))
    yield server
    server.close()
    event_loop.run_until_complete(server.wait_closed())


@pytest.fixture
def echo_port(echo_server):
    return echo_server.sockets[0].getsockname()[1]


@pytest.fixture
def clock(event_loop):
    return FakeClock(event_loop)


@pytest.fixture
def upper_server(event_loop):
    server = UpperServer("127.0.0.1", 0, loop=event_loop)
    event_loop.run_until_complete(server.start())
    yield server
    event_loop.run_until_complete(server.stop())
