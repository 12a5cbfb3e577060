import asyncio

import pytest

import kvclient
from tests import utils


class TestPut:
    @pytest.fixture
    def event_loop(self):
        """A loop for each test, with a fresh, empty server on it."""
        loop = utils.get_event_loop()
        self.server = utils.MockServer()
        loop.run_until_complete(self.server.start())
        yield loop
        loop.run_until_complete(self.server.stop())
        loop.close()

    @pytest.mark.asyncio
    async def test_put_then_get(self):
        port = self.server.port
        assert await asyncio.wait_for(kvclient.put("127.0.0.1", port, "colour", "red"), timeout=2) == "OK"
        assert await asyncio.wait_for(kvclient.get("127.0.0.1", port, "colour"), timeout=2) == "red"

    @pytest.mark.asyncio
    async def test_each_test_starts_empty(self):
        assert self.server.data == {}
        assert await asyncio.wait_for(kvclient.get("127.0.0.1", self.server.port, "colour"), timeout=2) == "MISSING"
