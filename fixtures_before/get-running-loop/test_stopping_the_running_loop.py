"""A worker pool's tests, from a 0.21-era suite: some end by stopping the loop they ran in."""

import asyncio

import pytest


class Pool:
    def __init__(self):
        self.jobs = []
        self.closed = False

    async def submit(self, job):
        self.jobs.append(job)
        await asyncio.sleep(0)

    def close(self):
        self.closed = True


@pytest.mark.asyncio
async def test_pool_stops_the_loop_when_done():
    pool = Pool()
    await pool.submit("a")
    asyncio.get_running_loop().stop()


@pytest.mark.asyncio
async def test_pool_stops_through_a_name():
    loop = asyncio.get_event_loop()
    pool = Pool()
    await pool.submit("b")
    assert pool.jobs == ["b"]
    loop.stop()


@pytest.mark.asyncio
async def test_closing_other_things_is_fine():
    pool = Pool()
    pool.close()
    reader, writer = await asyncio.open_connection(*await _server())
    writer.close()
    await writer.wait_closed()
    assert pool.closed


async def _server():
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
    return server.sockets[0].getsockname()[:2]


def test_a_loop_of_its_own_may_be_stopped_and_closed():
    loop = asyncio.new_event_loop()
    loop.call_soon(loop.stop)
    loop.run_forever()
    loop.close()
    assert loop.is_closed()


@pytest.mark.asyncio
async def test_a_new_loop_made_inside_a_coroutine_is_not_the_running_one():
    other = asyncio.new_event_loop()
    other.close()
    assert asyncio.get_running_loop() is not other


@pytest.mark.asyncio
async def test_a_name_bound_again_to_a_loop_of_its_own():
    loop = asyncio.get_running_loop()
    assert loop.is_running()
    loop = asyncio.new_event_loop()
    loop.close()


def test_a_coroutine_run_on_a_loop_a_sync_test_made():
    async def work():
        await asyncio.sleep(0)
        asyncio.get_running_loop().stop()

    loop = asyncio.new_event_loop()
    loop.create_task(work())
    loop.run_forever()
    loop.close()
