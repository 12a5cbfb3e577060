import asyncio

import pytest

import kvclient
from tests.utils import MockServer, get_event_loop


class TestGet:
    @pytest.fixture
    def event_loop(self):
        loop = get_event_loop()
        self.server = MockServer({"colour": "blue"})
        loop.run_until_complete(self.server.start())
        yield loop
        loop.run_until_complete(self.server.stop())
        loop.close()

    @pytest.mark.asyncio
    async def test_known_key(self):
        value = await asyncio.wait_for(kvclient.get("127.0.0.1", self.server.port, "colour"), timeout=2)
        assert value == "blue"
        assert self.server.received == ["GET colour"]

    @pytest.mark.asyncio
    async def test_unknown_key(self):
        value = await asyncio.wait_for(kvclient.get("127.0.0.1", self.server.port, "size"), timeout=2)
        assert value == "MISSING"
