import asyncio
import concurrent.futures

import pytest


class RateLimiter:
    def __init__(self, rate, loop=None):
        self.rate = rate
        self.loop = loop


@pytest.mark.asyncio
async def test_ensure_future_still_takes_loop():
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(asyncio.sleep(0, result="ok"), loop=loop)
    assert await task == "ok"


@pytest.mark.asyncio
async def test_future_and_wrap_future_take_loop():
    loop = asyncio.get_running_loop()
    pending = asyncio.Future(loop=loop)
    loop.call_soon(pending.set_result, 5)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        wrapped = asyncio.wrap_future(pool.submit(sum, [1, 2]), loop=loop)
        assert await wrapped + await pending == 8


@pytest.mark.asyncio
async def test_own_class_keeps_its_loop_argument():
    limiter = RateLimiter(10, loop=asyncio.get_event_loop())
    assert limiter.loop is asyncio.get_running_loop()


@pytest.mark.asyncio
async def test_stream_reader_keeps_loop():
    reader = asyncio.StreamReader(loop=asyncio.get_running_loop())
    reader.feed_data(b"event_loop ready\n")
    reader.feed_eof()
    assert await reader.readline() == b"event_loop ready\n"
