import asyncio

import pytest
import pytest_asyncio


class ConnectionPool:
    """Stands in for an asyncpg pool: bound to the loop it was created in."""

    def __init__(self):
        self.loop = asyncio.get_running_loop()
        self.ready = self.loop.create_future()
        self.ready.set_result(True)

    async def fetch(self, query):
        assert asyncio.get_running_loop() is self.loop, "pool used from another loop"
        await self.ready
        return [{"query": query}]


@pytest.fixture(scope="session")
def event_loop():
    """One loop for the whole suite: the database pool lives for the session."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest_asyncio.fixture(scope="session")
async def db_pool():
    return ConnectionPool()


@pytest_asyncio.fixture
async def user_row(db_pool):
    rows = await db_pool.fetch("select * from users limit 1")
    return rows[0]
