import asyncio

import pytest

from tests.helpers import start_echo_server, unused_tcp_port


@pytest.mark.asyncio
async def test_connections_are_made_on_the_test_loop(unused_tcp_port):
    event_loop = asyncio.get_running_loop()
    server = await start_echo_server(unused_tcp_port)
    async with server:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", unused_tcp_port), timeout=2
        )
        writer.write(b"hello\n")
        assert await asyncio.wait_for(reader.readline(), timeout=2) == b"hello\n"
        assert server.get_loop() is event_loop
        writer.close()
