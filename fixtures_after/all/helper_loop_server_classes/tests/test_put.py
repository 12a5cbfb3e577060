import asyncio

import pytest
import pytest_asyncio

import kvclient
from tests import utils


class TestPut:
    @pytest_asyncio.fixture(autouse=True)
    async def setup_server(self):
        self.server = utils.MockServer()
        await self.server.start()
        yield
        await self.server.stop()

    @pytest.mark.asyncio
    async def test_put_then_get(self):
        port = self.server.port
        assert await asyncio.wait_for(kvclient.put("127.0.0.1", port, "colour", "red"), timeout=2) == "OK"
        assert await asyncio.wait_for(kvclient.get("127.0.0.1", port, "colour"), timeout=2) == "red"

    @pytest.mark.asyncio
    async def test_each_test_starts_empty(self):
        assert self.server.data == {}
        assert await asyncio.wait_for(kvclient.get("127.0.0.1", self.server.port, "colour"), timeout=2) == "MISSING"
