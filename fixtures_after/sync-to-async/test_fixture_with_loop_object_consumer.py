"""A sync client API bound to a loop, and a fixture whose results a test drives on that loop.

The module defines its own event_loop (on pytest-asyncio 1.x an ordinary fixture): the
fixture and the test share it, as they shared pytest-asyncio 0.21's. Converting the fixture
alone would open the connection on pytest-asyncio's loop while the test drives it on this
one (must not touch).
"""
import asyncio

import pytest


class Connection:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None

    async def open(self) -> None:
        await asyncio.sleep(0)
        self.loop = asyncio.get_running_loop()

    async def query(self, sql: str) -> str:
        assert asyncio.get_running_loop() is self.loop, "connection used from another loop"
        await asyncio.sleep(0)
        return sql.lower()


class SyncClient:
    """A blocking facade over a connection, for sync callers."""

    def __init__(self, loop: asyncio.AbstractEventLoop, connection: Connection) -> None:
        self.loop = loop
        self.connection = connection

    def query(self, sql: str) -> str:
        return self.loop.run_until_complete(self.connection.query(sql))


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def connection(event_loop):
    connection = Connection()
    event_loop.run_until_complete(connection.open())
    return connection


def test_sync_client_queries(connection, event_loop):
    client = SyncClient(event_loop, connection)
    assert client.query("SELECT 1") == "select 1"
