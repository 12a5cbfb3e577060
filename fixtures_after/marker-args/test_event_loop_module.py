"""Feed tests written for pytest-asyncio 0.22's module-level asyncio_event_loop mark."""
import asyncio

import pytest

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

_loops: list[asyncio.AbstractEventLoop] = []


class Feed:
    def __init__(self) -> None:
        self.items: list[str] = []

    async def publish(self, item: str) -> None:
        await asyncio.sleep(0)
        self.items.insert(0, item)


async def test_publish_prepends():
    _loops.append(asyncio.get_running_loop())
    feed = Feed()
    await feed.publish("a")
    await feed.publish("b")
    assert feed.items == ["b", "a"]


async def test_same_module_loop():
    assert asyncio.get_running_loop() is _loops[0]


@pytest.mark.asyncio(loop_scope="function")
async def test_isolated_loop_stays_isolated():
    assert asyncio.get_running_loop() is not _loops[0]


def test_feed_starts_empty():
    assert Feed().items == []
