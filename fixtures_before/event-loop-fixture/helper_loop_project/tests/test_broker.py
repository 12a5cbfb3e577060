import pytest

from tests.utils import FakeBroker, get_event_loop


class TestBroker:
    @pytest.fixture
    def event_loop(self):
        self.broker = FakeBroker()
        self.broker.start()
        loop = get_event_loop()
        yield loop
        self.broker.stop()
        loop.close()

    @pytest.mark.asyncio
    async def test_publish_then_receive(self):
        await self.broker.publish("orders", {"id": 1})
        assert await self.broker.receive("orders") == {"id": 1}

    @pytest.mark.asyncio
    async def test_broker_is_running(self):
        assert self.broker.running
