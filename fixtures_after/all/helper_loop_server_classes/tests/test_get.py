import asyncio

import pytest
import pytest_asyncio

import kvclient
from tests.utils import MockServer


class TestGet:
    @pytest_asyncio.fixture(autouse=True)
    async def setup_server(self):
        self.server = MockServer({"colour": "blue"})
        await self.server.start()
        yield
        await self.server.stop()

    @pytest.mark.asyncio
    async def test_known_key(self):
        value = await asyncio.wait_for(kvclient.get("127.0.0.1", self.server.port, "colour"), timeout=2)
        assert value == "blue"
        assert self.server.received == ["GET colour"]

    @pytest.mark.asyncio
    async def test_unknown_key(self):
        value = await asyncio.wait_for(kvclient.get("127.0.0.1", self.server.port, "size"), timeout=2)
        assert value == "MISSING"
