import asyncio

import pytest

from tests.contracts import StreamContract
from tests.streams import ChunkedStream


@pytest.mark.asyncio
async def test_chunks_cover_the_payload(stream):
    assert [chunk async for chunk in stream.chunks()] == [b"abc", b"def", b"gh"]


def test_rejects_zero_chunk_size():
    with pytest.raises(ValueError, match="positive"):
        ChunkedStream(b"payload", chunk_size=0)


async def test_stream_yields_chunks(stream):
    # written as a generator by mistake: pytest cannot run it
    async for chunk in stream.chunks():
        yield chunk


class TestChunkedStreamContract(StreamContract):
    loops: set[int] = set()

    async def test_reads_in_the_class_loop(self, stream):
        type(self).loops.add(id(asyncio.get_running_loop()))
        assert [chunk async for chunk in stream.chunks()][-1] == b"gh"
        assert len(type(self).loops) == 1
