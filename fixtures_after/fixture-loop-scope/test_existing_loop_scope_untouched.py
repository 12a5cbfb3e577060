"""Fixtures that already say which loop they run in are left as they are."""
import asyncio

import pytest
import pytest_asyncio


class EventBus:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.subscribers: dict[str, list[asyncio.Queue[str]]] = {}

    def subscribe(self, topic: str) -> asyncio.Queue[str]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        self.subscribers.setdefault(topic, []).append(queue)
        return queue

    async def publish(self, topic: str, message: str) -> int:
        for queue in self.subscribers.get(topic, []):
            await queue.put(message)
        return len(self.subscribers.get(topic, []))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bus():
    return EventBus()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def audit_log():
    return []


@pytest_asyncio.fixture(
    scope="session",
    loop_scope="session",
)
def topics():
    return ("orders", "refunds")


@pytest.mark.asyncio(loop_scope="module")
async def test_publish_reaches_subscriber(bus, topics):
    inbox = bus.subscribe(topics[0])
    assert await bus.publish(topics[0], "order-17") == 1
    assert await inbox.get() == "order-17"


@pytest.mark.asyncio(loop_scope="module")
async def test_bus_runs_in_module_loop(bus, audit_log):
    assert bus.loop is asyncio.get_running_loop()
    audit_log.append("checked")
    assert audit_log == ["checked"]
