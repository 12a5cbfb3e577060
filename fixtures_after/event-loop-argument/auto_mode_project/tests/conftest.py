import asyncio

import pytest


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


class Broker:
    def __init__(self, loop):
        self.loop = loop
        self.topics = {}

    async def publish(self, topic, message):
        self._queue(topic).put_nowait(message)
        await asyncio.sleep(0)

    async def next_message(self, topic):
        return await asyncio.wait_for(self._queue(topic).get(), timeout=1)

    def _queue(self, topic):
        return self.topics.setdefault(topic, asyncio.Queue())


@pytest.fixture
async def broker():
    event_loop = asyncio.get_running_loop()
    broker = Broker(event_loop)
    yield broker
    broker.topics.clear()
