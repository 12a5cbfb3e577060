import anyio
import pytest


@pytest.fixture
async def job_queue():
    send, receive = anyio.create_memory_object_stream[str](max_buffer_size=5)
    async with send, receive:
        await send.send("resize-image")
        yield receive
