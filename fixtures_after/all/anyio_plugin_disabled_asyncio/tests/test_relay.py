import time

import anyio
import pytest


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def channel():
    send, receive = anyio.create_memory_object_stream(1)
    yield send, receive
    send.close()
    receive.close()


async def test_message_goes_through(channel):
    send, receive = channel
    await send.send("ping")
    assert await receive.receive() == "ping"


async def test_blocking_step_is_tolerated():
    time.sleep(0.001)
    await anyio.sleep(0)
