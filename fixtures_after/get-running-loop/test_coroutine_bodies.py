import asyncio
import zlib

import pytest
import pytest_asyncio


def compress(blob: bytes) -> bytes:
    return zlib.compress(blob, level=6)


@pytest_asyncio.fixture
async def archive():
    loop = asyncio.get_running_loop()
    shelf = {"readme": await loop.run_in_executor(None, compress, b"hello " * 50)}
    yield shelf
    shelf.clear()


async def wait_briefly(seconds):
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(seconds / 4)
    return deadline


@pytest.mark.asyncio
async def test_archive_is_compressed(archive):
    loop = asyncio.get_running_loop()
    assert loop is asyncio.get_running_loop()
    assert len(archive["readme"]) < 300


@pytest.mark.asyncio
async def test_wait_briefly_passes_deadline():
    deadline = await wait_briefly(0.01)
    assert asyncio.get_running_loop().time() >= deadline


class TestArchiveWorker:
    @pytest.mark.asyncio
    async def test_futures_from_the_running_loop(self, archive):
        pending = [asyncio.get_running_loop().create_future() for _ in archive]
        for future in pending:
            future.set_result(True)
        assert all(await asyncio.gather(*pending))

    @pytest.mark.asyncio
    async def test_executor_round_trip(self):
        work = asyncio.get_running_loop().run_in_executor(None, compress, b"x")
        packed = await asyncio.wait_for(work, timeout=1)
        assert zlib.decompress(packed) == b"x"
