import asyncio

import pytest
import pytest_asyncio


class Broker:
    def __init__(self):
        self.loop = asyncio.get_running_loop()
        self.queues = {}

    def queue(self, topic):
        return self.queues.setdefault(topic, asyncio.Queue())


@pytest.fixture(scope="session")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest_asyncio.fixture(scope="session")
async def broker():
    return Broker()


@pytest_asyncio.fixture
async def orders_queue(broker):
    queue = broker.queue("orders")
    yield queue
    while not queue.empty():
        queue.get_nowait()
