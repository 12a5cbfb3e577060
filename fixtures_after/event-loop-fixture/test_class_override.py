"""Websocket session tests: each test class keeps its connection pool on one loop."""

import asyncio

import pytest
import pytest_asyncio


class ConnectionPool:
    def __init__(self):
        self.loop = asyncio.get_running_loop()
        self.opened = []

    async def open(self, peer):
        assert asyncio.get_running_loop() is self.loop, "pool used from another loop"
        self.opened.append(peer)
        return len(self.opened)


@pytest.mark.asyncio(loop_scope="class")
class TestSessionLifecycle:
    shared = {}

    @pytest_asyncio.fixture(loop_scope="class")
    async def pool(self):
        if "pool" not in self.shared:
            self.shared["pool"] = ConnectionPool()
        return self.shared["pool"]

    async def test_open_first_peer(self, pool):
        assert await pool.open("alice") == 1

    async def test_open_second_peer_on_same_pool(self, pool):
        assert await pool.open("bob") == 2
        assert pool.loop is asyncio.get_running_loop()


class TestHeartbeat:
    @pytest.mark.asyncio
    async def test_heartbeat_runs_in_its_own_loop(self):
        pool = ConnectionPool()
        assert await pool.open("carol") == 1
