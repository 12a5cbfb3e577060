"""A session-wide connection pool, declared one argument per line."""
import asyncio

import pytest
import pytest_asyncio


class ConnectionPool:
    def __init__(self, size: int) -> None:
        self.loop = asyncio.get_running_loop()
        self._free: asyncio.Queue[int] = asyncio.Queue()
        for slot in range(size):
            self._free.put_nowait(slot)
        self.closed = False

    async def acquire(self) -> int:
        return await self._free.get()

    def release(self, slot: int) -> None:
        self._free.put_nowait(slot)

    async def close(self) -> None:
        self.closed = True


@pytest_asyncio.fixture(
    scope="session",
    loop_scope="session",
    autouse=False,
)
async def pool():
    pool = ConnectionPool(size=2)
    yield pool
    await pool.close()


@pytest_asyncio.fixture(scope="session",
                        loop_scope="session",
                        name="pool_size")
def configured_pool_size():
    return 2


@pytest.mark.asyncio(loop_scope="session")
async def test_acquire_and_release(pool):
    slot = await pool.acquire()
    pool.release(slot)
    assert pool.loop is asyncio.get_running_loop()


@pytest.mark.asyncio(loop_scope="session")
async def test_pool_hands_out_every_slot(pool, pool_size):
    slots = [await pool.acquire() for _ in range(pool_size)]
    assert sorted(slots) == [0, 1]
    for slot in slots:
        pool.release(slot)
