"""Order pipeline tests sharing one dispatcher per module.

The dispatcher owns an asyncio.Queue and a Future created in the loop the fixture runs
in; both tests must run in that same loop.
"""
import asyncio

import pytest
import pytest_asyncio


class Dispatcher:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.orders: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self.shutdown = self.loop.create_future()
        self.shipped: list[str] = []

    async def pump(self) -> None:
        while not self.shutdown.done():
            sku, quantity = await self.orders.get()
            self.shipped.append(f"{sku}x{quantity}")
            self.orders.task_done()


@pytest_asyncio.fixture(scope="module")
async def dispatcher():
    dispatcher = Dispatcher()
    worker = asyncio.create_task(dispatcher.pump())
    yield dispatcher
    dispatcher.shutdown.set_result(None)
    worker.cancel()


@pytest.mark.asyncio(loop_scope="module")
async def test_single_order_is_shipped(dispatcher):
    await dispatcher.orders.put(("kettle", 1))
    await dispatcher.orders.join()
    assert dispatcher.shipped == ["kettlex1"]


@pytest.mark.asyncio(loop_scope="module")
async def test_dispatcher_keeps_its_loop(dispatcher):
    assert dispatcher.loop is asyncio.get_running_loop()
    await dispatcher.orders.put(("teapot", 2))
    await dispatcher.orders.join()
    assert dispatcher.shipped[-1] == "teapotx2"
    assert not dispatcher.shutdown.done()
