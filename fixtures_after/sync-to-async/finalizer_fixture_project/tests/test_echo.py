import asyncio

import pytest


@pytest.mark.asyncio
async def test_the_server_answers_on_the_test_loop(echo_server):
    port = echo_server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port), timeout=2
    )
    writer.write(b"ping")
    assert await asyncio.wait_for(reader.read(4), timeout=2) == b"ping"
    writer.close()
    await writer.wait_closed()
