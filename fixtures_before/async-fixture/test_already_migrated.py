import asyncio

import pytest
import pytest_asyncio


class EventBus:
    def __init__(self) -> None:
        self.subscribers: dict[str, list[asyncio.Queue[str]]] = {}

    def subscribe(self, topic: str) -> asyncio.Queue[str]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        self.subscribers.setdefault(topic, []).append(queue)
        return queue

    async def publish(self, topic: str, message: str) -> int:
        queues = self.subscribers.get(topic, [])
        for queue in queues:
            await queue.put(message)
        return len(queues)


@pytest_asyncio.fixture
async def bus():
    return EventBus()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def topic_names():
    await asyncio.sleep(0)
    return ("orders", "invoices")


@pytest_asyncio.fixture()
async def orders_queue(bus):
    queue = bus.subscribe("orders")
    yield queue
    assert queue.empty(), "every published order must be consumed"


@pytest.mark.asyncio
async def test_publish_reaches_the_subscriber(bus, orders_queue):
    assert await bus.publish("orders", "order-1") == 1
    assert await orders_queue.get() == "order-1"


@pytest.mark.asyncio
async def test_topics_are_loaded_once(topic_names):
    assert "orders" in topic_names
