"""An echo server that a sync fixture starts on the test's loop (pytest-asyncio 0.24 style)."""
import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    line = await reader.readline()
    writer.write(line.upper())
    await writer.drain()
    writer.close()


async def ask(port: int, text: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(text + b"\n")
    await writer.drain()
    answer = await reader.readline()
    writer.close()
    return answer


@pytest_asyncio.fixture(loop_scope="function")
async def server() -> AsyncIterator[asyncio.Server]:
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    yield server
    server.close()
    await server.wait_closed()


@pytest.fixture
def port(server: asyncio.Server) -> int:
    return int(server.sockets[0].getsockname()[1])


@pytest.mark.asyncio
async def test_echo_answers(port: int) -> None:
    # the server runs on the loop of the fixture: a loop that is not running never answers
    answer = await asyncio.wait_for(ask(port, b"ping"), timeout=2)
    assert answer == b"PING\n"


def test_server_is_listening(server: asyncio.Server) -> None:
    assert server.is_serving()
