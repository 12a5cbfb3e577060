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


def pytest_collection_modifyitems(items):
    # The async tests of the project share one session loop, as with the event_loop
    # fixture this hook replaces (pytest-asyncio 1.x); an explicit loop_scope wins.
    for item in items:
        mark = item.get_closest_marker("asyncio")
        if pytest_asyncio.is_async_test(item) and (
            mark is None or "loop_scope" not in mark.kwargs
        ):
            item.add_marker(pytest.mark.asyncio(loop_scope="session"), append=False)


@pytest_asyncio.fixture(scope="session")
async def db_pool():
    return ConnectionPool()


@pytest_asyncio.fixture
async def user_row(db_pool):
    rows = await db_pool.fetch("select * from users limit 1")
    return rows[0]
