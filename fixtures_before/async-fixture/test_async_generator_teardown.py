import asyncio

import pytest


class FakeConnectionPool:
    def __init__(self, size: int) -> None:
        self.size = size
        self.open = False
        self.checked_out = 0

    async def start(self) -> None:
        await asyncio.sleep(0)
        self.open = True

    async def close(self) -> None:
        await asyncio.sleep(0)
        self.open = False


CLOSED_POOLS: list[FakeConnectionPool] = []


@pytest.fixture
async def pool():
    pool = FakeConnectionPool(size=4)
    await pool.start()
    yield pool
    await pool.close()
    CLOSED_POOLS.append(pool)


@pytest.fixture()
async def busy_pool(pool):
    pool.checked_out = pool.size
    try:
        yield pool
    finally:
        pool.checked_out = 0


@pytest.mark.asyncio
async def test_pool_is_open_inside_the_test(pool):
    assert pool.open
    assert pool.size == 4


@pytest.mark.asyncio
async def test_busy_pool_has_no_free_connections(busy_pool):
    assert busy_pool.checked_out == busy_pool.size


def test_previous_pools_were_closed_on_teardown():
    assert len(CLOSED_POOLS) == 2
    assert not any(p.open for p in CLOSED_POOLS)
    assert all(p.checked_out == 0 for p in CLOSED_POOLS)
