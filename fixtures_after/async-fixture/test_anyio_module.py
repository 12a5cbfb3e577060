"""These tests run under the anyio pytest plugin: their async fixtures belong to anyio."""

import anyio
import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def ticket_stream():
    send, receive = anyio.create_memory_object_stream[str](max_buffer_size=10)
    async with send, receive:
        yield send, receive


@pytest.fixture(scope="function")
async def prefilled(ticket_stream):
    send, receive = ticket_stream
    for ticket in ("T-1", "T-2"):
        await send.send(ticket)
    return receive


async def test_tickets_come_out_in_order(prefilled):
    assert await prefilled.receive() == "T-1"
    assert await prefilled.receive() == "T-2"


async def test_empty_stream_would_block(ticket_stream):
    _, receive = ticket_stream
    with anyio.move_on_after(0.01) as scope:
        await receive.receive()
    assert scope.cancelled_caught
