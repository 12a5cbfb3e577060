"""Order store tests: the module's loop also opened the database; the name the setup would
take, setup_database, is the helper it calls."""

import asyncio

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")

DATABASE = None


def setup_database():
    return {"orders": []}


async def place_order(item):
    await asyncio.sleep(0)
    DATABASE["orders"].append(item)
    return len(DATABASE["orders"])


@pytest.fixture(scope="module", autouse=True)
def module_setup():
    global DATABASE
    DATABASE = setup_database()
    yield
    DATABASE = None


async def test_first_order():
    assert await place_order("book") == 1


async def test_orders_share_the_module_database():
    assert await place_order("pen") == 2
