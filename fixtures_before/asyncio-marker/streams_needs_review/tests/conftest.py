import pytest_asyncio

from tests.streams import ChunkedStream


@pytest_asyncio.fixture
async def stream():
    return ChunkedStream(b"abcdefgh", chunk_size=3)
