"""A session loop override that lets pending callbacks run before it closes (aio-libs style)."""
import asyncio
import gc
from typing import Iterator

import pytest
import pytest_asyncio


@pytest.fixture(scope="session", autouse=True)
def session_setup() -> Iterator[None]:
    yield
    gc.collect()


class Pool:
    def __init__(self):
        self.loop = asyncio.get_running_loop()

    async def get(self, key):
        done = self.loop.create_future()
        self.loop.call_soon(done.set_result, key.upper())
        return await done


@pytest_asyncio.fixture
async def pool():
    yield Pool()


async def fill(pool):
    return [await pool.get(key) for key in ("x", "y")]


@pytest_asyncio.fixture
async def warmed(pool):
    return await fill(pool)
