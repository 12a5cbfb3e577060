import pytest

from tests.utils import FakeBroker


class TestBroker:
    @pytest.fixture(autouse=True)
    def setup_broker(self):
        self.broker = FakeBroker()
        self.broker.start()
        yield
        self.broker.stop()

    @pytest.mark.asyncio
    async def test_publish_then_receive(self):
        await self.broker.publish("orders", {"id": 1})
        assert await self.broker.receive("orders") == {"id": 1}

    @pytest.mark.asyncio
    async def test_broker_is_running(self):
        assert self.broker.running
