import asyncio
import pathlib

import pytest
import pytest_asyncio


class Broker:
    def __init__(self):
        self.loop = asyncio.get_running_loop()
        self.queues = {}

    def queue(self, topic):
        return self.queues.setdefault(topic, asyncio.Queue())


def pytest_collection_modifyitems(items):
    # The async tests below this folder share one session loop, as with the event_loop
    # fixture this hook replaces (pytest-asyncio 1.x); an explicit loop_scope wins.
    here = pathlib.Path(__file__).parent
    for item in items:
        mark = item.get_closest_marker("asyncio")
        if (
            pytest_asyncio.is_async_test(item)
            and here in item.path.parents
            and (mark is None or "loop_scope" not in mark.kwargs)
        ):
            item.add_marker(pytest.mark.asyncio(loop_scope="session"), append=False)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def broker():
    return Broker()


@pytest_asyncio.fixture(loop_scope="session")
async def orders_queue(broker):
    queue = broker.queue("orders")
    yield queue
    while not queue.empty():
        queue.get_nowait()
