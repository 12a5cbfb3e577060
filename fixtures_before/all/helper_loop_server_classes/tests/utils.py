"""Helpers shared by the test modules."""

import asyncio


def get_event_loop():
    """The current loop, or a new one set as current (Python 3.12 no longer makes one)."""
    try:
        return asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return loop


class MockServer:
    """A key-value server on a free local port that records every line it is sent."""

    def __init__(self, data=None):
        self.data = dict(data or {})
        self.received = []
        self.port = None
        self._server = None

    async def start(self):
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self):
        self._server.close()
        await self._server.wait_closed()

    async def _handle(self, reader, writer):
        line = (await reader.readline()).decode().rstrip("\n")
        self.received.append(line)
        command, key, *value = line.split(" ", 2)
        if command == "SET":
            self.data[key] = value[0]
            answer = "OK"
        else:
            answer = self.data.get(key, "MISSING")
        writer.write(answer.encode() + b"\n")
        await writer.drain()
        writer.close()
