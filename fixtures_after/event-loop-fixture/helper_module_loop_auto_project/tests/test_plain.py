import asyncio


async def test_other_modules_keep_asyncio_loops():
    assert not hasattr(asyncio.get_running_loop(), "offset")
