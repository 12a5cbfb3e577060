import asyncio

import pytest


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def warehouse(event_loop):
    stock = {"bolts": 40}
    event_loop.run_until_complete(asyncio.sleep(0))
    return stock


def test_reserve_bolts(warehouse, event_loop):
    async def reserve(count):
        await asyncio.sleep(0)
        warehouse["bolts"] -= count
        return warehouse["bolts"]

    assert event_loop.run_until_complete(reserve(15)) == 25


@pytest.mark.usefixtures("event_loop")
def test_stock_is_counted(warehouse):
    assert warehouse == {"bolts": 40}
