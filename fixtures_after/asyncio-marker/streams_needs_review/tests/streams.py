import asyncio


class ChunkedStream:
    def __init__(self, data: bytes, chunk_size: int) -> None:
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        self.data = data
        self.chunk_size = chunk_size

    async def chunks(self):
        for start in range(0, len(self.data), self.chunk_size):
            await asyncio.sleep(0)
            yield self.data[start : start + self.chunk_size]
