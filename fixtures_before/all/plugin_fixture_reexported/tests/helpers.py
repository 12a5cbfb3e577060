"""What the test modules share: pytest-asyncio's fixtures and a small echo server."""

import asyncio

from pytest_asyncio.plugin import unused_tcp_port, event_loop

__all__ = ["unused_tcp_port", "event_loop", "start_echo_server"]


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(await reader.readline())
    await writer.drain()
    writer.close()


async def start_echo_server(port: int) -> asyncio.AbstractServer:
    return await asyncio.start_server(_echo, "127.0.0.1", port)
