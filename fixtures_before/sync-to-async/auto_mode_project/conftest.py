import asyncio

import pytest

STOPPED_BROKERS = []


class Broker:
    def __init__(self):
        self.topics = {}
        self.loop = None

    async def start(self):
        await asyncio.sleep(0)
        self.loop = asyncio.get_running_loop()

    async def publish(self, topic, message):
        await asyncio.sleep(0)
        self.topics.setdefault(topic, []).append(message)
        return len(self.topics[topic])

    async def stop(self):
        await asyncio.sleep(0)
        STOPPED_BROKERS.append(self)


@pytest.fixture
def broker(event_loop):
    broker = Broker()
    event_loop.run_until_complete(broker.start())
    yield broker
    event_loop.run_until_complete(broker.stop())
