import asyncio

import pytest

from tests.helpers import *


@pytest.mark.asyncio
async def test_echo_server_answers(unused_tcp_port):
    server = await start_echo_server(unused_tcp_port)
    async with server:
        reader, writer = await asyncio.open_connection("127.0.0.1", unused_tcp_port)
        writer.write(b"ping\n")
        assert await asyncio.wait_for(reader.readline(), timeout=2) == b"ping\n"
        writer.close()


@pytest.mark.asyncio
async def test_the_server_lives_on_the_test_loop(event_loop, unused_tcp_port):
    server = await start_echo_server(unused_tcp_port)
    async with server:
        assert server.get_loop() is event_loop
        assert asyncio.get_running_loop() is event_loop
