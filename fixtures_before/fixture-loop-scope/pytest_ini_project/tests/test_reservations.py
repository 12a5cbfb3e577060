import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module")
async def reserved_kettle(inventory):
    assert await inventory.reserve("kettle")
    return "kettle"


@pytest.mark.asyncio(loop_scope="session")
async def test_reservation_is_published(inventory, reserved_kettle):
    assert inventory.loop is asyncio.get_running_loop()
    assert await inventory.changes.get() == reserved_kettle


@pytest.mark.asyncio(loop_scope="session")
async def test_last_teapot(inventory):
    assert await inventory.reserve("teapot")
    assert not await inventory.reserve("teapot")
